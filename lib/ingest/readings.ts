import { Prisma, type Vendor } from "@/lib/generated/prisma/client";
import { noteDeviceActivity, type Arrival, type IngestTx, type ProcessContext } from "@/lib/ingest/process-context";

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
      data: toCreate.map((reading) => readingRow(ctx, source, reading)),
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

// The ids among `vendorRecordIds` that already have readings (normally none for a record first seen in this run).
export async function recordsWithReadings(tx: IngestTx, vendor: Vendor, vendorRecordIds: string[]): Promise<Set<string>> {
  if (vendorRecordIds.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ vendorRecordId: string }[]>`
    SELECT DISTINCT "vendorRecordId" FROM "Reading" WHERE vendor = ${vendor}::"Vendor" AND "vendorRecordId" = ANY(${vendorRecordIds}::text[])`;
  return new Set(rows.map((row) => row.vendorRecordId));
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

// INSERT … SELECT FROM unnest(…) of many reading rows, ON CONFLICT DO NOTHING. Column arrays instead of Prisma's
// createMany: for a push batch (thousands of rows) building Prisma's query costs several times the insert itself.
// Timestamps travel as ISO text: Prisma keeps DateTime as UTC in timestamp(3).
function readingRowsInsert(rows: ReadingRow[]): Prisma.Sql {
  const column = <T>(pick: (row: ReadingRow) => T) => rows.map(pick);
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  const now = new Date().toISOString();
  return Prisma.sql`
    INSERT INTO "Reading" ("patientId", "deviceId", vendor, "vendorRecordId", metric, value, value2, unit, "measuredAt", "utcOffsetSeconds",
                           origin, flags, "mealContext", arrival, "ingestEventId", "deletedAt", "createdAt", "updatedAt")
    SELECT r.patient_id, r.device_id, r.vendor::"Vendor", r.record_id, r.metric, r.value, r.value2, r.unit, r.measured_at, r.utc_offset,
           r.origin, ARRAY(SELECT jsonb_array_elements_text(r.flags)), r.meal, r.arrival, r.event_id, r.deleted_at,
           ${now}::timestamp(3), ${now}::timestamp(3)
      FROM unnest(${column((r) => r.patientId)}::text[], ${column((r) => r.deviceId)}::text[], ${column((r) => r.vendor)}::text[],
                  ${column((r) => r.vendorRecordId)}::text[], ${column((r) => r.metric)}::text[], ${column((r) => r.value)}::float8[],
                  ${column((r) => r.value2)}::float8[], ${column((r) => r.unit)}::text[], ${column((r) => iso(r.measuredAt))}::text[]::timestamp(3)[],
                  ${column((r) => r.utcOffsetSeconds)}::int[], ${column((r) => r.origin)}::text[], ${column((r) => JSON.stringify(r.flags))}::jsonb[],
                  ${column((r) => r.mealContext)}::text[], ${column((r) => r.arrival)}::text[], ${column((r) => r.ingestEventId.toString())}::bigint[],
                  ${column((r) => iso(r.deletedAt))}::text[]::timestamp(3)[])
           WITH ORDINALITY AS r(patient_id, device_id, vendor, record_id, metric, value, value2, unit, measured_at, utc_offset, origin, flags, meal,
                                arrival, event_id, deleted_at, ord)
     ORDER BY r.ord
    ON CONFLICT DO NOTHING`;
}

// Many reading rows in one statement; returns the ids of the rows inserted (for the readings-stored hook).
export async function insertReadingRowsReturningIds(tx: IngestTx, rows: ReadingRow[]): Promise<bigint[]> {
  if (rows.length === 0) return [];
  const inserted = await tx.$queryRaw<{ id: bigint }[]>`${readingRowsInsert(rows)} RETURNING id`;
  return inserted.map((row) => row.id);
}

// The row of one derived reading: its values, and where it came from (vendor record, patient, device, event).
function readingRow(ctx: ProcessContext, source: ReadingSource, reading: DerivedReading): ReadingRow {
  return {
    ...reading,
    vendor: source.vendor,
    vendorRecordId: source.vendorRecordId,
    patientId: source.patientId,
    deviceId: source.deviceId,
    arrival: source.arrival,
    ingestEventId: ctx.eventId,
    deletedAt: source.deletedAt,
  };
}

// What syncReadings does for vendor records that have no readings yet, for many records in one INSERT (a push
// batch of new records): every derived reading is inserted (ON CONFLICT DO NOTHING) and its device's activity noted.
// The caller holds the records' row locks (it has just inserted them) and checked recordsWithReadings first.
export async function insertReadingsOfNewRecords(ctx: ProcessContext, items: { source: ReadingSource; derived: DerivedReading[] }[]): Promise<void> {
  const data = items.flatMap(({ source, derived }) => derived.map((reading) => readingRow(ctx, source, reading)));
  if (data.length > 0) {
    const inserted = await ctx.tx.$queryRaw<{ id: bigint; deletedAt: Date | null }[]>`${readingRowsInsert(data)} RETURNING id, "deletedAt"`;
    ctx.counts.readingsCreated += inserted.length;
    // Like syncReadings: the readings-stored hook (alert rules) sees every new reading that is not deleted.
    ctx.storedReadingIds.push(...inserted.filter((reading) => reading.deletedAt === null).map((reading) => reading.id));
    // Nothing existed for these records and their metrics are distinct, so every row was inserted.
    ctx.counts.unmatchedReadings += data.filter((reading) => reading.patientId === null).length;
  }
  for (const { source, derived } of items) {
    if (!source.deviceId || source.deletedAt !== null) continue;
    for (const reading of derived) noteDeviceActivity(ctx, source.deviceId, reading.measuredAt);
  }
}
