import { randomUUID } from "node:crypto";
import { z } from "zod";

import { db, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma, type Connectivity, type DeviceCategory, type Vendor } from "@/lib/generated/prisma/client";
import type { IngestTx } from "@/lib/ingest/process-context";
import { afterReadingsStored } from "@/lib/ingest/readings-hook";

// The unmatched queue: readings no patient could be found for (Reading.patientId null), grouped by what identifies
// their source: the vendor's device id (Tenovi hwi_device_id, Validic Smart Meter IMEI, Smartz pod id) and account
// (Tenovi patient external_id, Validic uid, Smartz patient id), read from the stored vendor record.

// The device key of a reading, per vendor, falling back to the device row it is linked to.
const DEVICE_KEY = Prisma.sql`COALESCE(
  CASE r.vendor WHEN 'tenovi' THEN vr.payload->'rows'->0->>'hwi_device_id'
                WHEN 'validic' THEN vr.payload->'source'->'device'->>'id'
                WHEN 'smartz' THEN vr.payload->>'deviceId' END,
  d."vendorDeviceId", d.imei)`;
const ACCOUNT_KEY = Prisma.sql`CASE r.vendor WHEN 'tenovi' THEN vr.payload->'rows'->0->>'patient_id'
                WHEN 'validic' THEN vr.payload->'user'->>'uid'
                WHEN 'smartz' THEN vr.payload->>'patientId' END`;
const FROM_UNMATCHED = Prisma.sql`FROM "Reading" r
  LEFT JOIN "VendorRecord" vr ON vr.vendor = r.vendor AND vr."vendorRecordId" = r."vendorRecordId"
  LEFT JOIN "Device" d ON d.id = r."deviceId"
  WHERE r."patientId" IS NULL AND r."deletedAt" IS NULL`;

// What the device key is called for each vendor, for the page.
export const DEVICE_KEY_LABELS: Record<Vendor, string> = { tenovi: "HWI device id", validic: "IMEI", smartz: "Pod id" };
// What the account key is called for each vendor, for the page.
export const ACCOUNT_KEY_LABELS: Record<Vendor, string> = { tenovi: "Patient external id", validic: "Validic uid", smartz: "Smartz patient id" };

// One group of unmatched readings.
export type UnmatchedGroup = {
  vendor: Vendor;
  deviceKey: string | null;
  accountKey: string | null;
  readings: number;
  metrics: string[];
  firstMeasuredAt: Date;
  lastMeasuredAt: Date;
  // The device row these readings are linked to, when Pulseboard knows the device but not its patient.
  deviceId: string | null;
};

// How many readings wait in the unmatched queue.
export async function countUnmatchedReadings(client: Database = db): Promise<number> {
  return client.reading.count({ where: { patientId: null, deletedAt: null } });
}

// The groups of the unmatched queue, most recently measured first.
export async function listUnmatchedGroups(options: { limit?: number; db?: Database } = {}): Promise<UnmatchedGroup[]> {
  const client = options.db ?? db;
  const rows = await client.$queryRaw<
    {
      vendor: Vendor;
      deviceKey: string | null;
      accountKey: string | null;
      readings: number;
      metrics: string[];
      firstMeasuredAt: Date;
      lastMeasuredAt: Date;
      deviceId: string | null;
    }[]
  >`SELECT r.vendor AS vendor, ${DEVICE_KEY} AS "deviceKey", ${ACCOUNT_KEY} AS "accountKey",
      count(*)::int AS readings, array_agg(DISTINCT r.metric) AS metrics,
      min(r."measuredAt") AS "firstMeasuredAt", max(r."measuredAt") AS "lastMeasuredAt", max(d.id) AS "deviceId"
    ${FROM_UNMATCHED}
    GROUP BY 1, 2, 3
    ORDER BY max(r."measuredAt") DESC
    LIMIT ${options.limit ?? 200}`;
  return rows;
}

// Which group to assign, to whom, and whether to register the device to that patient for future readings.
export const assignUnmatchedSchema = z.object({
  vendor: z.enum(["tenovi", "validic", "smartz"]),
  deviceKey: z.string().min(1).max(200).nullable(),
  accountKey: z.string().min(1).max(200).nullable(),
  patientId: z.string().min(1),
  registerDevice: z.boolean().default(false),
});

export type AssignUnmatchedInput = z.input<typeof assignUnmatchedSchema>;

// What an assignment did (ids and counts only).
export type AssignUnmatchedResult = { readings: number; readingIds: string[]; deviceId: string | null; deviceCreated: boolean };

const CATEGORY_BY_METRIC: Record<string, DeviceCategory> = {
  blood_pressure: "blood_pressure",
  pulse: "blood_pressure",
  blood_glucose: "glucometer",
  weight: "scale",
  body_weight: "scale",
  spo2: "pulse_oximeter",
  temperature: "thermometer",
  body_temperature: "thermometer",
  peak_expiratory_flow: "peak_flow",
  forced_expiratory_volume: "peak_flow",
  steps: "watch",
  sleep: "watch",
  heart_rate_statistics: "watch",
  diaper_event: "smart_diaper",
};
// Smart Meter device types by category (Validic's `device_type`, Pulseboard's vendorType for Validic devices).
const SMART_METER_TYPE: Partial<Record<DeviceCategory, string>> = {
  blood_pressure: "blood_pressure",
  glucometer: "blood_glucose",
  scale: "weight_scale",
  pulse_oximeter: "pulse_oximeter",
};
// ASSUMPTION: a Tenovi device first seen through its readings is a gateway device (a cellular one says so once
// Tenovi's device list is read); Validic Smart Meters are cellular; Smartz pods relay through the mesh.
const CONNECTIVITY: Record<Vendor, Connectivity> = { tenovi: "gateway", validic: "cellular", smartz: "mesh" };

// The category for a device measuring these metrics: the first metric that says it (pulse alone does not).
function categoryFor(metrics: string[]): DeviceCategory {
  const decisive = metrics.filter((metric) => metric !== "pulse" && metric !== "battery_percentage" && metric !== "irregular_heartbeat");
  for (const metric of [...decisive, ...metrics]) {
    const category = CATEGORY_BY_METRIC[metric];
    if (category) return category;
  }
  return "other";
}

type GroupReading = { id: bigint; vendorRecordId: string; measuredAt: Date; metric: string; deviceName: string | null };

async function lockGroupReadings(tx: IngestTx, input: z.output<typeof assignUnmatchedSchema>): Promise<GroupReading[]> {
  // Concurrent assignments of one group run one after the other; the second finds nothing left.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`unmatched:${input.vendor}:${input.deviceKey ?? ""}:${input.accountKey ?? ""}`}, 0))`;
  return tx.$queryRaw<GroupReading[]>`
    SELECT r.id, r."vendorRecordId", r."measuredAt", r.metric,
           CASE r.vendor WHEN 'tenovi' THEN vr.payload->'rows'->0->>'device_name' ELSE NULL END AS "deviceName"
    ${FROM_UNMATCHED}
      AND r.vendor = ${input.vendor}::"Vendor"
      AND (${DEVICE_KEY}) IS NOT DISTINCT FROM ${input.deviceKey}
      AND (${ACCOUNT_KEY}) IS NOT DISTINCT FROM ${input.accountKey}
    ORDER BY r.id
    FOR UPDATE OF r`;
}

// Finds the group's device (by the vendor's device id, or IMEI for Validic) or registers it, held by the patient.
async function registerGroupDevice(
  tx: IngestTx,
  input: z.output<typeof assignUnmatchedSchema> & { deviceKey: string },
  readings: GroupReading[],
  actorId: string | null,
): Promise<{ deviceId: string; created: boolean }> {
  const where =
    input.vendor === "validic"
      ? { vendor_imei: { vendor: input.vendor, imei: input.deviceKey } }
      : { vendor_vendorDeviceId: { vendor: input.vendor, vendorDeviceId: input.deviceKey } };
  const times = readings.map((reading) => reading.measuredAt.getTime());
  const first = new Date(Math.min(...times));
  const last = new Date(Math.max(...times));
  const existing = await tx.device.findUnique({ where, select: { id: true, patientId: true, lifecycle: true, firstReadingAt: true, lastReadingAt: true } });
  if (existing?.patientId && existing.patientId !== input.patientId) {
    throw new AppError("CONFLICT", "This device is registered to another patient. Reassign the device on the Devices page, then assign these readings.");
  }
  if (existing) {
    if (!existing.patientId) {
      await tx.device.update({ where: { id: existing.id }, data: { patientId: input.patientId } });
      await tx.deviceAssignment.create({ data: { deviceId: existing.id, patientId: input.patientId, startedAt: first, createdById: actorId } });
      await tx.deviceEvent.create({
        data: { deviceId: existing.id, type: "assigned_from_unmatched", fromState: existing.lifecycle, toState: existing.lifecycle, actorId },
      });
    }
    return { deviceId: existing.id, created: false };
  }
  const category = categoryFor([...new Set(readings.map((reading) => reading.metric))]);
  const vendorType =
    input.vendor === "tenovi"
      ? (readings.find((r) => r.deviceName)?.deviceName ?? "Tenovi device")
      : input.vendor === "smartz"
        ? "pod"
        : (SMART_METER_TYPE[category] ?? "smart_meter");
  const device = await tx.device.create({
    data: {
      vendor: input.vendor,
      category,
      connectivity: CONNECTIVITY[input.vendor],
      vendorType,
      vendorDeviceId: input.vendor === "validic" ? null : input.deviceKey,
      imei: input.vendor === "validic" ? input.deviceKey : null,
      patientId: input.patientId,
      lifecycle: "active",
      firstReadingAt: first,
      lastReadingAt: last,
    },
    select: { id: true },
  });
  await tx.deviceAssignment.create({ data: { deviceId: device.id, patientId: input.patientId, startedAt: first, createdById: actorId } });
  await tx.deviceEvent.create({ data: { deviceId: device.id, type: "registered_from_unmatched", toState: "active", actorId, occurredAt: new Date() } });
  return { deviceId: device.id, created: true };
}

// Attributes one group of unmatched readings to a patient (and, optionally, registers the device to them so
// future readings attribute by themselves). In one transaction under the group's lock, and only readings still
// unmatched are changed, so repeating or racing the assignment never double-assigns; readings are updated in
// place, never copied. The readings-stored hook (alert evaluation) runs after the commit.
export async function assignUnmatchedReadings(
  raw: AssignUnmatchedInput,
  options: { actorId?: string | null; db?: Database } = {},
): Promise<AssignUnmatchedResult> {
  const input = assignUnmatchedSchema.parse(raw);
  const client = options.db ?? db;
  const result = await client.$transaction(async (tx) => {
    const patient = await tx.patient.findUnique({ where: { id: input.patientId }, select: { id: true } });
    if (!patient) throw new AppError("NOT_FOUND", "That patient no longer exists.");
    const readings = await lockGroupReadings(tx, input);
    if (readings.length === 0) throw new AppError("NOT_FOUND", "These readings are no longer unmatched; someone may have assigned them already.");
    const device =
      input.registerDevice && input.deviceKey
        ? await registerGroupDevice(tx, { ...input, deviceKey: input.deviceKey }, readings, options.actorId ?? null)
        : null;
    const ids = readings.map((reading) => reading.id);
    await tx.reading.updateMany({ where: { id: { in: ids }, patientId: null }, data: { patientId: input.patientId } });
    if (device) await tx.reading.updateMany({ where: { id: { in: ids }, deviceId: null }, data: { deviceId: device.deviceId } });
    const recordIds = [...new Set(readings.map((reading) => reading.vendorRecordId))];
    await tx.vendorRecord.updateMany({
      where: { vendor: input.vendor, vendorRecordId: { in: recordIds }, patientId: null },
      data: { patientId: input.patientId },
    });
    if (device)
      await tx.vendorRecord.updateMany({
        where: { vendor: input.vendor, vendorRecordId: { in: recordIds }, deviceId: null },
        data: { deviceId: device.deviceId },
      });
    return { ids, device };
  });
  await afterReadingsStored(result.ids, `assign:${randomUUID()}`, client);
  return {
    readings: result.ids.length,
    readingIds: result.ids.map(String),
    deviceId: result.device?.deviceId ?? null,
    deviceCreated: result.device?.created ?? false,
  };
}
