import { z } from "zod";

import type { Prisma } from "@/lib/generated/prisma/client";
import { createAttributor, type Attribution, type Attributor } from "@/lib/ingest/attribution";
import type { ProcessContext } from "@/lib/ingest/process-context";
import { syncReadings, type DerivedReading } from "@/lib/ingest/readings";
import { claimVendorRecord, contentChecksum, updateVendorRecord, type VendorRecordInput } from "@/lib/ingest/vendor-records";
import { smartzEventSchema, type SmartzEvent } from "@/lib/vendors/smartz/schemas";

// What one Smartz poll stores (IngestEvent source `smartz_poll`): one page of a patient's events exactly as
// fetched, the cursor it was fetched from and the one to resume at, and the patient's status at the time.
export const smartzPollPayloadSchema = z.object({
  smartzPatientId: z.string().min(1),
  since: z.string().nullable(),
  nextCursor: z.string().nullable(),
  status: z.unknown().optional(),
  events: z.array(z.unknown()),
});

export type SmartzPollPayload = z.infer<typeof smartzPollPayloadSchema>;

// The reading metric of a diaper event: one event per reading, its type in the flags.
export const DIAPER_EVENT_METRIC = "diaper_event";

// An event becomes one reading: value 1, unit `event`, flagged with the event type (void, wet, bowel, change, …).
export function deriveSmartzReading(event: SmartzEvent): DerivedReading {
  return {
    metric: DIAPER_EVENT_METRIC,
    value: 1,
    value2: null,
    unit: "event",
    measuredAt: new Date(event.occurredAt),
    utcOffsetSeconds: null,
    origin: "device",
    flags: [event.type],
    mealContext: null,
  };
}

// Patient by the Smartz patient id (VendorIdentity); else the pod (Device vendorDeviceId) → the patient holding it then.
async function attributeSmartzEvent(attributor: Attributor, event: SmartzEvent): Promise<Attribution> {
  const device = event.deviceId ? await attributor.deviceByVendorId("smartz", event.deviceId) : null;
  const byIdentity = await attributor.patientByIdentity("smartz", event.patientId);
  const patientId = byIdentity ?? (device ? await attributor.patientForDevice(device, new Date(event.occurredAt)) : null);
  return { patientId, deviceId: device?.id ?? null };
}

async function processSmartzEvent(ctx: ProcessContext, attributor: Attributor, event: SmartzEvent): Promise<void> {
  ctx.counts.records += 1;
  const attribution = await attributeSmartzEvent(attributor, event);
  const input: VendorRecordInput = {
    vendor: "smartz",
    vendorRecordId: event.id,
    recordType: "event",
    checksum: contentChecksum(event),
    patientId: attribution.patientId,
    deviceId: attribution.deviceId,
    startTime: new Date(event.occurredAt),
    payload: event as Prisma.InputJsonValue,
    deletedAt: null,
  };
  const claim = await claimVendorRecord(ctx.tx, input);
  if (!claim.isNew) {
    // A replay (force) re-derives an unchanged event: the point of replaying is a changed mapping.
    if (claim.existing.checksum === input.checksum && !ctx.force) {
      ctx.counts.duplicatesSuppressed += 1;
      return;
    }
    await updateVendorRecord(ctx.tx, claim.existing, input);
    ctx.counts.recordsUpdated += 1;
  } else {
    ctx.counts.recordsCreated += 1;
  }
  await syncReadings(
    ctx,
    {
      vendor: "smartz",
      vendorRecordId: event.id,
      patientId: claim.isNew ? attribution.patientId : (claim.existing.patientId ?? attribution.patientId),
      deviceId: claim.isNew ? attribution.deviceId : (claim.existing.deviceId ?? attribution.deviceId),
      arrival: ctx.arrival,
      deletedAt: null,
    },
    [deriveSmartzReading(event)],
  );
}

// Processes a stored Smartz poll: every event is upserted on its Smartz id (an unchanged event is a suppressed
// duplicate), in id order so concurrent runs lock records in the same order. An event that does not parse is
// skipped and noted; the rest still count.
export async function processSmartzPoll(ctx: ProcessContext, payload: unknown): Promise<void> {
  const poll = smartzPollPayloadSchema.parse(payload);
  const events: SmartzEvent[] = [];
  for (const [index, raw] of poll.events.entries()) {
    const parsed = smartzEventSchema.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
    else {
      ctx.counts.skipped += 1;
      ctx.notes.push(`event ${index} skipped: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join(", ")}`);
    }
  }
  events.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const attributor = createAttributor(ctx.sql);
  for (const event of events) await processSmartzEvent(ctx, attributor, event);
}
