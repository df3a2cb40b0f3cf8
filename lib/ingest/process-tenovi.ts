import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createAttributor, type Attributor } from "@/lib/ingest/attribution";
import type { ProcessContext } from "@/lib/ingest/process-context";
import { syncReadings, type DerivedReading } from "@/lib/ingest/readings";
import { applyTenoviFulfillment, applyTenoviReplacement } from "@/lib/ingest/tenovi-device-status";
import { claimVendorRecord, contentChecksum, updateVendorRecord, type VendorRecordInput } from "@/lib/ingest/vendor-records";
import { deriveTenoviReading, TENOVI_MEASUREMENT_ASSUMPTIONS, tenoviRecordKey, type TenoviMeasurementAssumptions } from "@/lib/ingest/tenovi-readings";
import { parseTenoviTimestamp, parseTenoviWebhookBody, type TenoviMeasurement } from "@/lib/vendors/tenovi/webhook-schemas";

function rowsOf(payload: Prisma.JsonValue): Record<string, unknown>[] {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return [];
  const rows = (payload as { rows?: unknown }).rows;
  return Array.isArray(rows) ? rows.filter((row): row is Record<string, unknown> => typeof row === "object" && row !== null) : [];
}

// Rows of one measurement, one per metric (a later row for the same metric replaces the earlier), sorted by metric.
function mergeRows(existing: Record<string, unknown>[], incoming: TenoviMeasurement[]): Record<string, unknown>[] {
  const byMetric = new Map<string, Record<string, unknown>>();
  for (const row of [...existing, ...incoming]) if (typeof row.metric === "string") byMetric.set(row.metric.toLowerCase(), row);
  return [...byMetric.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
}

// The inputs a measurement record is created from: what one webhook (or one event's rows) says about it.
export async function measurementRecordInput(
  attributor: Attributor,
  key: string,
  incoming: TenoviMeasurement[],
  receivedAt: Date,
): Promise<{ input: VendorRecordInput; rows: Record<string, unknown>[]; device: { id: string } | null } | null> {
  const [first] = incoming;
  if (!first) return null;
  const measuredAt = parseTenoviTimestamp(first.timestamp) ?? receivedAt;
  // By hwi_device_id (the patient holding it then), else by the patient's external_id; never by gateway id alone.
  const device = await attributor.deviceByVendorId("tenovi", first.hwi_device_id);
  const externalId = incoming.find((row) => row.patient_id)?.patient_id;
  const patientId = (device ? await attributor.patientForDevice(device, measuredAt) : null) ?? (await attributor.patientByIdentity("tenovi", externalId));
  const rows = mergeRows([], incoming);
  const input: VendorRecordInput = {
    vendor: "tenovi",
    vendorRecordId: key,
    recordType: "measurement",
    checksum: contentChecksum(rows),
    patientId,
    deviceId: device?.id ?? null,
    startTime: measuredAt,
    payload: { rows } as Prisma.InputJsonValue,
    deletedAt: null,
  };
  return { input, rows, device };
}

// The readings a record's (merged) rows give. Rows stored earlier were validated then; they are parsed again so a
// reading never comes from an unchecked shape.
export function readingsOfRows(rows: Record<string, unknown>[], isKnownDevice: boolean, assumptions = TENOVI_MEASUREMENT_ASSUMPTIONS): DerivedReading[] {
  return rows.flatMap((row) => {
    const parsed = parseTenoviWebhookBody(row);
    const item = parsed.ok ? parsed.items[0] : undefined;
    return item?.kind === "measurement" ? [deriveTenoviReading(item.item, isKnownDevice, assumptions)] : [];
  });
}

// One measurement record of one delivery: created, or merged into the stored record (a later row for a metric
// replaces the earlier), and its readings brought in line. The record's row lock orders concurrent deliveries.
export async function processMeasurementGroup(
  ctx: ProcessContext,
  attributor: Attributor,
  key: string,
  incoming: TenoviMeasurement[],
  assumptions: TenoviMeasurementAssumptions,
): Promise<void> {
  const made = await measurementRecordInput(attributor, key, incoming, ctx.receivedAt);
  if (!made) return;
  const { input, rows, device } = made;
  ctx.counts.records += 1;
  const claim = await claimVendorRecord(ctx.tx, input);
  let merged = rows;
  if (!claim.isNew) {
    merged = mergeRows(rowsOf(claim.existing.payload), incoming);
    const checksum = contentChecksum(merged);
    // A replay (force) re-derives an unchanged record: the point of replaying is a changed mapping.
    if (checksum === claim.existing.checksum && !ctx.force) {
      ctx.counts.duplicatesSuppressed += 1;
      return;
    }
    await updateVendorRecord(ctx.tx, claim.existing, { ...input, checksum, payload: { rows: merged } as Prisma.InputJsonValue });
    ctx.counts.recordsUpdated += 1;
  } else {
    ctx.counts.recordsCreated += 1;
  }
  await syncReadings(
    ctx,
    {
      vendor: "tenovi",
      vendorRecordId: key,
      patientId: claim.isNew ? input.patientId : (claim.existing.patientId ?? input.patientId),
      deviceId: claim.isNew ? input.deviceId : (claim.existing.deviceId ?? input.deviceId),
      arrival: ctx.arrival,
      deletedAt: null,
    },
    readingsOfRows(merged, device !== null, assumptions),
  );
}

// Measurements of one delivery grouped into records by tenoviRecordKey, in arrival order within a record.
export function groupMeasurements(measurements: TenoviMeasurement[]): Map<string, TenoviMeasurement[]> {
  const groups = new Map<string, TenoviMeasurement[]>();
  for (const item of measurements) {
    const key = tenoviRecordKey(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

// Processes a stored Tenovi webhook delivery: fulfillment and replacement items first (in the order sent), then
// measurements grouped into records by tenoviRecordKey (in key order, a stable lock order between runs).
export async function processTenoviWebhook(ctx: ProcessContext, payload: unknown, assumptions = TENOVI_MEASUREMENT_ASSUMPTIONS): Promise<void> {
  const parsed = parseTenoviWebhookBody(payload);
  if (!parsed.ok) throw new AppError("INVALID_INPUT", `Stored Tenovi webhook does not parse: ${parsed.error}`);
  const measurements: TenoviMeasurement[] = [];
  for (const entry of parsed.items) {
    if (entry.kind === "fulfillment") await applyTenoviFulfillment(ctx, entry.item);
    else if (entry.kind === "replacement") await applyTenoviReplacement(ctx, entry.item);
    else measurements.push(entry.item);
  }
  const groups = groupMeasurements(measurements);
  const attributor = createAttributor(ctx.sql);
  for (const key of [...groups.keys()].sort()) await processMeasurementGroup(ctx, attributor, key, groups.get(key) ?? [], assumptions);
}
