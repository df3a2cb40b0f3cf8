import { db } from "@/lib/db";
import type { Vendor } from "@/lib/generated/prisma/client";
import { suppressedDuplicatesSince } from "@/lib/ingest/ingest-stats";
import type { IngestSource } from "@/lib/ingest/raw-store";
import { readSyncResults } from "@/lib/ingest/sync-results";
import { countUnmatchedReadings } from "@/lib/ingest/unmatched";

const HOUR = 3_600_000;
const VENDORS: Vendor[] = ["tenovi", "validic", "smartz"];

// Which vendor each IngestEvent source belongs to, and how it arrives.
export const SOURCE_INFO: Record<IngestSource, { vendor: Vendor; label: string }> = {
  tenovi_webhook: { vendor: "tenovi", label: "Tenovi webhook" },
  tenovi_backfill: { vendor: "tenovi", label: "Tenovi backfill" },
  validic_push: { vendor: "validic", label: "Validic push" },
  validic_backfill: { vendor: "validic", label: "Validic reconcile" },
  smartz_poll: { vendor: "smartz", label: "Smartz poll" },
};

function vendorOf(source: string): Vendor | null {
  return source in SOURCE_INFO ? SOURCE_INFO[source as IngestSource].vendor : null;
}

// One hour of the deliveries chart: stored payloads per vendor.
export type HourBucket = { hour: string; tenovi: number; validic: number; smartz: number };

// Payloads stored per hour over the last 24 hours, oldest first, every hour present (zeros included).
export async function deliveriesPerHour(now = new Date()): Promise<HourBucket[]> {
  const end = Math.floor(now.getTime() / HOUR) * HOUR;
  const start = new Date(end - 23 * HOUR);
  const rows = await db.$queryRaw<{ hour: Date; source: string; count: number }[]>`
    SELECT date_trunc('hour', "receivedAt") AS hour, source, count(*)::int AS count
      FROM "IngestEvent" WHERE "receivedAt" >= ${start}
     GROUP BY 1, 2`;
  const buckets = Array.from({ length: 24 }, (_, i): HourBucket => ({
    hour: new Date(start.getTime() + i * HOUR).toISOString(),
    tenovi: 0,
    validic: 0,
    smartz: 0,
  }));
  for (const row of rows) {
    const vendor = vendorOf(row.source);
    const bucket = buckets[Math.round((row.hour.getTime() - start.getTime()) / HOUR)];
    if (vendor && bucket) bucket[vendor] += row.count;
  }
  return buckets;
}

// The last payload stored per source, with how many arrived in the last 24 hours.
export async function lastDeliveries(now = new Date()) {
  const [latest, recent] = await Promise.all([
    db.ingestEvent.groupBy({ by: ["source"], _max: { receivedAt: true } }),
    db.ingestEvent.groupBy({ by: ["source"], where: { receivedAt: { gte: new Date(now.getTime() - 24 * HOUR) } }, _count: { _all: true } }),
  ]);
  return (Object.keys(SOURCE_INFO) as IngestSource[]).map((source) => ({
    source,
    ...SOURCE_INFO[source],
    lastAt: latest.find((row) => row.source === source)?._max.receivedAt ?? null,
    last24h: recent.find((row) => row.source === source)?._count._all ?? 0,
  }));
}

// The last reading per vendor, whatever way it came.
export async function lastReadingPerVendor() {
  const rows = await db.reading.groupBy({ by: ["vendor"], _max: { createdAt: true } });
  return VENDORS.map((vendor) => ({ vendor, lastAt: rows.find((row) => row.vendor === vendor)?._max.createdAt ?? null }));
}

// Devices in use (active, silent or just delivered), those quiet longest first: the per-device view of delivery.
export async function deviceDeliveries(limit = 25) {
  return db.device.findMany({
    where: { lifecycle: { in: ["active", "silent", "delivered"] } },
    orderBy: [{ lastReadingAt: { sort: "asc", nulls: "first" } }, { id: "asc" }],
    take: limit,
    select: { id: true, vendor: true, vendorType: true, vendorDeviceId: true, imei: true, lifecycle: true, lastReadingAt: true },
  });
}

// Payloads refused at the door (kept, never processed), newest first.
export async function quarantinedEvents(limit = 20) {
  const [rows, total] = await Promise.all([
    db.ingestEvent.findMany({
      where: { status: "rejected" },
      orderBy: { id: "desc" },
      take: limit,
      select: { id: true, source: true, receivedAt: true, error: true },
    }),
    db.ingestEvent.count({ where: { status: "rejected" } }),
  ]);
  return { rows, total };
}

// Payloads whose processing failed (the sweep retries them up to its cap), newest first.
export async function failedEvents(limit = 20) {
  const [rows, total] = await Promise.all([
    db.ingestEvent.findMany({
      where: { status: "failed" },
      orderBy: { id: "desc" },
      take: limit,
      select: { id: true, source: true, receivedAt: true, attempts: true, error: true },
    }),
    db.ingestEvent.count({ where: { status: "failed" } }),
  ]);
  return { rows, total };
}

// Duplicates suppressed in the last 24 hours: whole deliveries sent again, and records already held.
export async function duplicatesSuppressed(now = new Date()) {
  const since = new Date(now.getTime() - 24 * HOUR);
  const [deliveries, records] = await Promise.all([
    db.ingestEvent.count({ where: { receivedAt: { gte: since }, error: { startsWith: "duplicate delivery" } } }),
    suppressedDuplicatesSince(since),
  ]);
  return { deliveries, records };
}

// Everything the ingest health page shows, read in parallel.
export async function ingestHealth(now = new Date()) {
  const [hours, deliveries, readings, devices, quarantined, failed, unmatched, duplicates, sync] = await Promise.all([
    deliveriesPerHour(now),
    lastDeliveries(now),
    lastReadingPerVendor(),
    deviceDeliveries(),
    quarantinedEvents(),
    failedEvents(),
    countUnmatchedReadings(),
    duplicatesSuppressed(now),
    readSyncResults(),
  ]);
  return { hours, deliveries, readings, devices, quarantined, failed, unmatched, duplicates, sync };
}
