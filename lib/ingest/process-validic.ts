import type { Prisma } from "@/lib/generated/prisma/client";
import { createAttributor, type Attribution, type Attributor } from "@/lib/ingest/attribution";
import type { ProcessContext } from "@/lib/ingest/process-context";
import { insertReadingsOfNewRecords, syncReadings, type DerivedReading, type ReadingSource } from "@/lib/ingest/readings";
import { claimNewVendorRecords, claimVendorRecord, contentChecksum, updateVendorRecord, type VendorRecordInput } from "@/lib/ingest/vendor-records";
import {
  validicPushBatchSchema,
  validicRecordSchema,
  validicTagSchema,
  validicUserNoteSchema,
  type ValidicMetric,
  type ValidicRecord,
} from "@/lib/vendors/validic/record-schemas";

const OUT_OF_BOUNDS_GLUCOSE_TAG = "out_of_bounds_blood_glucose";

// Flags for a glucose reading outside the meter's range; the value stays as the meter sent it (vendor-notes §2).
function glucoseFlags(record: ValidicRecord): string[] {
  for (const raw of record.tags ?? []) {
    const tag = validicTagSchema.safeParse(raw);
    if (!tag.success || tag.data.name !== OUT_OF_BOUNDS_GLUCOSE_TAG) continue;
    if (tag.data.value === "low") return ["glucose_low"];
    if (tag.data.value === "high") return ["glucose_high"];
  }
  return [];
}

// `user_notes: [{type: "relationship_to_meal", value: "before"}]` → "before".
function mealContext(record: ValidicRecord): string | null {
  for (const raw of record.user_notes ?? []) {
    const note = validicUserNoteSchema.safeParse(raw);
    if (note.success && note.data.type === "relationship_to_meal" && typeof note.data.value === "string") return note.data.value;
  }
  return null;
}

function hasValue(metric: ValidicMetric): metric is ValidicMetric & { value: number } {
  return typeof metric.value === "number" && Number.isFinite(metric.value);
}

// The readings a measurement record holds: systolic + diastolic become one blood_pressure reading (diastolic in
// value2); every other metric is kept under its own type and unit (pulse, spo2, blood_glucose, body_weight, …).
export function deriveValidicReadings(record: ValidicRecord): DerivedReading[] {
  const metrics = new Map<string, ValidicMetric & { value: number }>();
  for (const metric of record.metrics ?? []) if (hasValue(metric) && !metrics.has(metric.type)) metrics.set(metric.type, metric);
  const measuredAt = new Date(record.start_time);
  const utcOffsetSeconds = record.utc_offset ?? null;
  // Each reading's fields written out, not spread from a common base: see readingRow (lib/ingest/readings.ts).
  const readings: DerivedReading[] = [];
  const systolic = metrics.get("systolic");
  const diastolic = metrics.get("diastolic");
  if (systolic && diastolic) {
    const unit = systolic.unit ?? "mmHg";
    readings.push({ metric: "blood_pressure", value: systolic.value, value2: diastolic.value, unit, measuredAt, utcOffsetSeconds, origin: systolic.origin ?? "device", flags: [], mealContext: null });
    metrics.delete("systolic");
    metrics.delete("diastolic");
  }
  for (const metric of metrics.values()) {
    const isGlucose = metric.type === "blood_glucose";
    readings.push({
      metric: metric.type,
      value: metric.value,
      value2: null,
      unit: metric.unit ?? "",
      measuredAt,
      utcOffsetSeconds,
      origin: metric.origin ?? "device",
      flags: isGlucose ? glucoseFlags(record) : [],
      mealContext: isGlucose ? mealContext(record) : null,
    });
  }
  return readings;
}

// Patient by Validic uid first; else the Smart Meter's IMEI (source.device.id) → our device → its patient then.
async function attributeValidicRecord(attributor: Attributor, record: ValidicRecord): Promise<Attribution> {
  const imei = record.source?.device?.id;
  const device = await attributor.deviceByImei("validic", imei === null || imei === undefined ? null : String(imei));
  const byUid = await attributor.patientByIdentity("validic", record.user?.uid);
  const patientId = byUid ?? (device ? await attributor.patientForDevice(device, new Date(record.start_time)) : null);
  return { patientId, deviceId: device?.id ?? null };
}

// The version a stored record is compared by: Validic's checksum, else one of the record's content.
export function validicChecksum(record: ValidicRecord): string {
  return record.checksum ?? contentChecksum(record);
}

function vendorRecordInput(record: ValidicRecord, attribution: Attribution, storedAt?: VendorRecordInput["storedAt"]): VendorRecordInput {
  return {
    vendor: "validic",
    vendorRecordId: record.id,
    recordType: record.type,
    checksum: validicChecksum(record),
    patientId: attribution.patientId,
    deviceId: attribution.deviceId,
    startTime: new Date(record.start_time),
    payload: record as Prisma.InputJsonValue,
    deletedAt: record.deleted_at ? new Date(record.deleted_at) : null,
    storedAt,
  };
}

async function processValidicRecord(ctx: ProcessContext, attributor: Attributor, record: ValidicRecord): Promise<void> {
  ctx.counts.records += 1;
  const attribution = await attributeValidicRecord(attributor, record);
  const input = vendorRecordInput(record, attribution);
  const claim = await claimVendorRecord(ctx.tx, input);
  if (!claim.isNew) {
    const isSameDeletion = (claim.existing.deletedAt === null) === (input.deletedAt === null);
    // A replay (force) re-derives an unchanged record: the point of replaying is a changed mapping.
    if (claim.existing.checksum === input.checksum && isSameDeletion && !ctx.force) {
      ctx.counts.duplicatesSuppressed += 1;
      return;
    }
    await updateVendorRecord(ctx.tx, claim.existing, input);
    ctx.counts.recordsUpdated += 1;
    if (input.deletedAt && !claim.existing.deletedAt) ctx.counts.recordsDeleted += 1;
  } else {
    ctx.counts.recordsCreated += 1;
  }
  // Summaries, nutrition and other record types are kept as vendor records only.
  if (record.type !== "measurement") return;
  const patientId = claim.isNew ? attribution.patientId : (claim.existing.patientId ?? attribution.patientId);
  const deviceId = claim.isNew ? attribution.deviceId : (claim.existing.deviceId ?? attribution.deviceId);
  await syncReadings(
    ctx,
    { vendor: "validic", vendorRecordId: record.id, patientId, deviceId, arrival: ctx.arrival, deletedAt: input.deletedAt },
    deriveValidicReadings(record),
  );
}

// Processes a stored push batch: each record is upserted on its Validic id (unchanged checksum → skipped as a
// duplicate; changed → updated and its readings re-derived; deleted_at → its readings hidden). Records are taken
// in id order so concurrent batches sharing records lock them in the same order. A record that does not parse is
// skipped and noted; the rest of the batch still counts.
export async function processValidicBatch(ctx: ProcessContext, payload: unknown): Promise<void> {
  const batch = validicPushBatchSchema.parse(payload);
  const attributor = createAttributor(ctx.sql);
  const records: ValidicRecord[] = [];
  // Each record's place in the stored batch, where its vendor record's payload is copied from.
  const positions = new Map<ValidicRecord, number>();
  for (const [index, raw] of batch.data.entries()) {
    const parsed = validicRecordSchema.safeParse(raw);
    if (parsed.success) {
      records.push(parsed.data);
      positions.set(parsed.data, index);
    } else {
      ctx.counts.skipped += 1;
      ctx.notes.push(`record ${index} skipped: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join(", ")}`);
    }
  }
  records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await attributor.primeIdentities("validic", records.map((record) => record.user?.uid));
  await attributor.primeDevicesByImei("validic", records.map(imeiOf));
  const remaining = await processNewValidicRecords(ctx, attributor, records, positions);
  for (const record of remaining) await processValidicRecord(ctx, attributor, record);
}

function imeiOf(record: ValidicRecord): string | null {
  const imei = record.source?.device?.id;
  return imei === null || imei === undefined ? null : String(imei);
}

// The records of a batch seen for the first time, in bulk: one INSERT claims them all (ON CONFLICT DO NOTHING, in
// id order, so concurrent batches lock shared records in the same order) and one INSERT stores their readings; the
// outcome is what processValidicRecord gives a new record. Returns the rest, still in id order, for
// processValidicRecord one by one: records that already existed, and repeats of an id within the batch.
async function processNewValidicRecords(ctx: ProcessContext, attributor: Attributor, records: ValidicRecord[], positions: Map<ValidicRecord, number>): Promise<ValidicRecord[]> {
  const firsts = records.filter((record, i) => i === 0 || records[i - 1]?.id !== record.id);
  if (firsts.length === 0) return records;
  const inputs = new Map<string, VendorRecordInput>();
  for (const record of firsts) {
    const index = positions.get(record);
    const storedAt = index === undefined ? undefined : { eventId: ctx.eventId, index };
    inputs.set(record.id, vendorRecordInput(record, await attributeValidicRecord(attributor, record), storedAt));
  }
  const isCreated = await claimNewVendorRecords(ctx.sql, [...inputs.values()]);
  const fresh = firsts.filter((record) => isCreated.has(record.id));
  ctx.counts.records += fresh.length;
  ctx.counts.recordsCreated += fresh.length;
  // Summaries, nutrition and other record types are kept as vendor records only.
  const measurements = fresh.filter((record) => record.type === "measurement");
  const items: { source: ReadingSource; derived: DerivedReading[] }[] = [];
  for (const record of measurements) {
    const input = inputs.get(record.id);
    if (!input) continue;
    const source: ReadingSource = { vendor: "validic", vendorRecordId: record.id, patientId: input.patientId, deviceId: input.deviceId, arrival: ctx.arrival, deletedAt: input.deletedAt };
    items.push({ source, derived: deriveValidicReadings(record) });
  }
  await insertReadingsOfNewRecords(ctx, items);
  return records.filter((record, i) => !isCreated.has(record.id) || records[i - 1]?.id === record.id);
}
