import { queryRows } from "@/lib/database/query-rows";
import type { TransactionConnection } from "@/lib/database/transaction-connection";
import { Prisma, type Vendor } from "@/lib/generated/prisma/client";
import { noteDeviceActivity, type Arrival, type ProcessContext } from "@/lib/ingest/process-context";

// One reading derived from a vendor record, before attribution.
export type DerivedReading = {
  metric: string;
  value: number;
  value2: number | null;
  unit: string;
  measuredAt: Date;
  utcOffsetSeconds: number | null;
  origin: string;
  flags: string[];
  mealContext: string | null;
};

// The vendor record the readings come from and who they belong to.
export type ReadingSource = {
  vendor: Vendor;
  vendorRecordId: string;
  patientId: string | null;
  deviceId: string | null;
  arrival: Arrival;
  // Set when the vendor deleted the record: its readings are kept but hidden.
  deletedAt: Date | null;
};

// A reading as stored: the derived fields plus its id and attribution.
type ExistingReading = DerivedReading & { id: bigint; patientId: string | null; deviceId: string | null; deletedAt: Date | null };

function sameFlags(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((flag, i) => flag === b[i]);
}

function isUnchanged(existing: ExistingReading, derived: DerivedReading, source: ReadingSource): boolean {
  return (
    existing.value === derived.value &&
    existing.value2 === derived.value2 &&
    existing.unit === derived.unit &&
    existing.measuredAt.getTime() === derived.measuredAt.getTime() &&
    existing.utcOffsetSeconds === derived.utcOffsetSeconds &&
    existing.origin === derived.origin &&
    existing.mealContext === derived.mealContext &&
    sameFlags(existing.flags, derived.flags) &&
    (existing.deletedAt === null) === (source.deletedAt === null) &&
    // A reading that was unmatched and can now be attributed is worth an update.
    !(existing.patientId === null && source.patientId !== null) &&
    !(existing.deviceId === null && source.deviceId !== null)
  );
}

// Makes the stored readings of one vendor record match `derived`: new metrics are inserted (ON CONFLICT DO NOTHING
// on vendor + record id + metric, so a resend never duplicates), changed ones updated, metrics the record no longer
// has marked deleted. A reading keeps the patient and device it already had: updates never re-attribute.
// The caller holds the vendor record's row lock, so no other run changes these rows meanwhile.
export async function syncReadings(ctx: ProcessContext, source: ReadingSource, derived: DerivedReading[]): Promise<void> {
  const { tx } = ctx;
  const existing: ExistingReading[] = await tx.reading.findMany({
    where: { vendor: source.vendor, vendorRecordId: source.vendorRecordId },
    select: {
      id: true,
      metric: true,
      value: true,
      value2: true,
      unit: true,
      measuredAt: true,
      utcOffsetSeconds: true,
      origin: true,
      flags: true,
      mealContext: true,
      patientId: true,
      deviceId: true,
      deletedAt: true,
    },
  });
  const byMetric = new Map(existing.map((reading) => [reading.metric, reading]));
  const toCreate = derived.filter((reading) => !byMetric.has(reading.metric));

  if (toCreate.length > 0) {
    const created = await tx.reading.createManyAndReturn({
      select: { id: true },
      data: toCreate.map((reading) => readingRow(source, reading, ctx.eventId)),
      skipDuplicates: true,
    });
    ctx.counts.readingsCreated += created.length;
    if (source.patientId === null) ctx.counts.unmatchedReadings += created.length;
    if (source.deletedAt === null) ctx.storedReadingIds.push(...created.map((reading) => reading.id));
  }

  for (const reading of derived) {
    const current = byMetric.get(reading.metric);
    if (!current || isUnchanged(current, reading, source)) continue;
    await tx.reading.update({
      where: { id: current.id },
      data: {
        ...reading,
        patientId: current.patientId ?? source.patientId,
        deviceId: current.deviceId ?? source.deviceId,
        ingestEventId: ctx.eventId,
        deletedAt: source.deletedAt,
      },
    });
    ctx.counts.readingsUpdated += 1;
    if (source.deletedAt === null) ctx.storedReadingIds.push(current.id);
  }

  const derivedMetrics = new Set(derived.map((reading) => reading.metric));
  const gone = existing.filter((reading) => !derivedMetrics.has(reading.metric) && reading.deletedAt === null).map((reading) => reading.id);
  if (gone.length > 0) {
    const { count } = await tx.reading.updateMany({ where: { id: { in: gone } }, data: { deletedAt: new Date(), ingestEventId: ctx.eventId } });
    ctx.counts.readingsRemoved += count;
  }

  if (source.deviceId && source.deletedAt === null) {
    for (const reading of derived) noteDeviceActivity(ctx, source.deviceId, reading.measuredAt);
  }
}

// A reading row as inserted in bulk.
export type ReadingRow = DerivedReading & {
  vendor: Vendor;
  vendorRecordId: string;
  patientId: string | null;
  deviceId: string | null;
  arrival: Arrival;
  ingestEventId: bigint;
  deletedAt: Date | null;
};

// INSERT … SELECT of many reading rows, ON CONFLICT DO NOTHING. The rows travel as one JSON parameter unpacked by
// jsonb_to_recordset, not as Prisma's createMany or column arrays: Prisma's client engine handles every element of
// an array parameter on its own, which for a push batch (thousands of rows) cost several times the insert itself.
// Timestamps travel as ISO text: Prisma keeps DateTime as UTC in timestamp(3).
function readingRowsInsert(rows: ReadingRow[]): Prisma.Sql {
  const json = JSON.stringify(
    rows.map((row) => ({
      patient_id: row.patientId,
      device_id: row.deviceId,
      vendor: row.vendor,
      record_id: row.vendorRecordId,
      metric: row.metric,
      value: row.value,
      value2: row.value2,
      unit: row.unit,
      measured_at: row.measuredAt,
      utc_offset: row.utcOffsetSeconds,
      origin: row.origin,
      flags: row.flags,
      meal: row.mealContext,
      arrival: row.arrival,
      event_id: row.ingestEventId.toString(),
      deleted_at: row.deletedAt,
    })),
  );
  const now = new Date();
  return Prisma.sql`
    INSERT INTO "Reading" ("patientId", "deviceId", vendor, "vendorRecordId", metric, value, value2, unit, "measuredAt", "utcOffsetSeconds",
                           origin, flags, "mealContext", arrival, "ingestEventId", "deletedAt", "createdAt", "updatedAt")
    SELECT r.patient_id, r.device_id, r.vendor::"Vendor", r.record_id, r.metric, r.value, r.value2, r.unit, r.measured_at, r.utc_offset,
           r.origin, r.flags, r.meal, r.arrival, r.event_id, r.deleted_at, ${now}::timestamp(3), ${now}::timestamp(3)
      FROM ROWS FROM (jsonb_to_recordset(${json}::jsonb)
             AS (patient_id text, device_id text, vendor text, record_id text, metric text, value float8, value2 float8, unit text,
                 measured_at timestamp(3), utc_offset int, origin text, flags text[], meal text, arrival text, event_id bigint, deleted_at timestamp(3)))
           WITH ORDINALITY AS r(patient_id, device_id, vendor, record_id, metric, value, value2, unit, measured_at, utc_offset, origin, flags, meal,
                                arrival, event_id, deleted_at, ord)
     ORDER BY r.ord
    ON CONFLICT DO NOTHING`;
}

// A reading the bulk insert stored, with what its caller needs to account for it.
type InsertedReading = { id: bigint; vendorRecordId: string; metric: string; patientId: string | null; deletedAt: Date | null };

// Many reading rows in one statement. Returns the rows inserted and the vendor records some of whose rows were not:
// their readings were already stored (an earlier run's leftovers, a record whose readings outlived it), which the
// caller brings in line with syncReadings. Finding them from the insert's own answer spares a lookup of every
// record's readings beforehand (one index probe per record, on the path of every push batch). Sent on the
// transaction's connection: through Prisma, the JSON parameter and the returned rows cost more CPU than the insert.
export async function insertReadingRows(sql: TransactionConnection, rows: ReadingRow[]): Promise<{ inserted: InsertedReading[]; conflicted: Set<string> }> {
  if (rows.length === 0) return { inserted: [], conflicted: new Set() };
  const inserted = await queryRows<InsertedReading>(sql, Prisma.sql`${readingRowsInsert(rows)} RETURNING id, "vendorRecordId", metric, "patientId", "deletedAt"`);
  const key = (vendorRecordId: string, metric: string) => `${vendorRecordId}\u0000${metric}`;
  const stored = new Set(inserted.map((row) => key(row.vendorRecordId, row.metric)));
  const conflicted = new Set(rows.filter((row) => !stored.has(key(row.vendorRecordId, row.metric))).map((row) => row.vendorRecordId));
  return { inserted, conflicted };
}

// The row of one derived reading: its values, and where it came from (vendor record, patient, device, event).
// Every field written out: on Node 20 an object spread followed by more properties costs ~1 µs a property (V8 11;
// fixed in Node 22): 8 µs a reading here, measured, a fifth of the worker's CPU for a push batch.
export function readingRow(source: ReadingSource, reading: DerivedReading, ingestEventId: bigint): ReadingRow {
  return {
    metric: reading.metric,
    value: reading.value,
    value2: reading.value2,
    unit: reading.unit,
    measuredAt: reading.measuredAt,
    utcOffsetSeconds: reading.utcOffsetSeconds,
    origin: reading.origin,
    flags: reading.flags,
    mealContext: reading.mealContext,
    vendor: source.vendor,
    vendorRecordId: source.vendorRecordId,
    patientId: source.patientId,
    deviceId: source.deviceId,
    arrival: source.arrival,
    ingestEventId,
    deletedAt: source.deletedAt,
  };
}

// What syncReadings does for vendor records just claimed as new, for many records in one INSERT (a push batch):
// every derived reading is inserted (ON CONFLICT DO NOTHING) and its device's activity noted. Records whose
// readings were already stored are handed to syncReadings one by one. The caller holds the records' row locks.
export async function insertReadingsOfNewRecords(ctx: ProcessContext, items: { source: ReadingSource; derived: DerivedReading[] }[]): Promise<void> {
  const rows = items.flatMap(({ source, derived }) => derived.map((reading) => readingRow(source, reading, ctx.eventId)));
  const { inserted, conflicted } = await insertReadingRows(ctx.sql, rows);
  ctx.counts.readingsCreated += inserted.length;
  // Like syncReadings: the readings-stored hook (alert rules) sees every new reading that is not deleted.
  ctx.storedReadingIds.push(...inserted.filter((reading) => reading.deletedAt === null).map((reading) => reading.id));
  ctx.counts.unmatchedReadings += inserted.filter((reading) => reading.patientId === null).length;
  for (const { source, derived } of items) {
    if (conflicted.has(source.vendorRecordId)) await syncReadings(ctx, source, derived);
    else if (source.deviceId && source.deletedAt === null) for (const reading of derived) noteDeviceActivity(ctx, source.deviceId, reading.measuredAt);
  }
}
