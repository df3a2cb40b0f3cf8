import type { Vendor } from "@/lib/generated/prisma/client";
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

type ExistingReading = {
  id: bigint;
  metric: string;
  value: number;
  value2: number | null;
  unit: string;
  measuredAt: Date;
  utcOffsetSeconds: number | null;
  origin: string;
  flags: string[];
  mealContext: string | null;
  patientId: string | null;
  deviceId: string | null;
  deletedAt: Date | null;
};

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
      data: toCreate.map((reading) => ({
        ...reading,
        vendor: source.vendor,
        vendorRecordId: source.vendorRecordId,
        patientId: source.patientId,
        deviceId: source.deviceId,
        arrival: source.arrival,
        ingestEventId: ctx.eventId,
        deletedAt: source.deletedAt,
      })),
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
