import { db, type Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createPacer, pacedFetch, type Pacer } from "@/lib/ingest/paced-fetch";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { tenoviRecordKey } from "@/lib/ingest/tenovi-readings";
import { storeFetched } from "@/lib/ingest/raw-store";
import { saveSyncResult, type SyncError, type SyncResult, startSyncResult, syncEach } from "@/lib/ingest/sync-results";
import { tenoviConfig } from "@/lib/vendors/config";
import { TenoviClient, type TenoviClientOptions } from "@/lib/vendors/tenovi/client";
import { tenoviMeasurementSchema, type TenoviMeasurement } from "@/lib/vendors/tenovi/webhook-schemas";

// ASSUMPTION: Tenovi allows 1 request/second per API key (vendor-notes §1; the simulator's `rateLimit` setting).
export const TENOVI_REQUESTS_PER_SECOND = 1;

// Settings of one reconcile run; defaults suit the hourly schedule.
export type TenoviReconcileOptions = {
  now?: Date;
  trigger?: string;
  // Requests per second to the Tenovi API, every page and retry included.
  requestsPerSecond?: number;
  // Read back this far before a device's last stored reading, for readings that arrived out of order.
  overlapMs?: number;
  // A device without any reading yet is read back this far (bounded by when it was registered).
  firstLookbackMs?: number;
  // Another account or transport (tests: the simulator on an ephemeral port).
  clientOptions?: Partial<TenoviClientOptions>;
  // Only these devices (Device ids); tests and a single-device "reconcile now".
  deviceIds?: string[];
  // Stops between devices when the worker shuts down; the next run continues.
  signal?: AbortSignal;
  db?: Database;
};

// One pacer per rate in this process, shared by every run: Tenovi's limit is per key, not per run.
const pacers = new Map<number, Pacer>();

function pacerFor(requestsPerSecond: number): Pacer {
  const existing = pacers.get(requestsPerSecond);
  if (existing) return existing;
  const pacer = createPacer(requestsPerSecond);
  pacers.set(requestsPerSecond, pacer);
  return pacer;
}

const DEFAULT_OVERLAP_MS = 10 * 60_000;
// Tenovi keeps unpaginated measurement answers to 30 days, a sensible first reach for a new device too.
const DEFAULT_FIRST_LOOKBACK_MS = 30 * 86_400_000;

type DeviceToCheck = { id: string; vendorDeviceId: string | null; lastReadingAt: Date | null; createdAt: Date };

function sinceFor(device: DeviceToCheck, now: Date, overlapMs: number, firstLookbackMs: number): Date {
  const anchor = device.lastReadingAt ?? new Date(Math.max(device.createdAt.getTime(), now.getTime() - firstLookbackMs));
  return new Date(anchor.getTime() - overlapMs);
}

function metricsOf(payload: Prisma.JsonValue): Set<string> {
  const rows = typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as { rows?: unknown }).rows : null;
  if (!Array.isArray(rows)) return new Set();
  return new Set(
    rows.flatMap((row: unknown) =>
      typeof row === "object" && row !== null && typeof (row as { metric?: unknown }).metric === "string"
        ? [(row as { metric: string }).metric.toLowerCase()]
        : [],
    ),
  );
}

// The fetched rows Pulseboard does not hold yet (its record key unknown, or the record lacks that metric), so an
// hourly overlap does not store the same measurements again and again.
async function rowsNotStored(client: Database, rows: TenoviMeasurement[]): Promise<TenoviMeasurement[]> {
  const keys = [...new Set(rows.map(tenoviRecordKey))];
  const stored = await client.vendorRecord.findMany({
    where: { vendor: "tenovi", vendorRecordId: { in: keys } },
    select: { vendorRecordId: true, payload: true },
  });
  const metricsByKey = new Map(stored.map((record) => [record.vendorRecordId, metricsOf(record.payload)]));
  return rows.filter((row) => !metricsByKey.get(tenoviRecordKey(row))?.has(row.metric.toLowerCase()));
}

async function reconcileDevice(
  tenovi: TenoviClient,
  client: Database,
  device: DeviceToCheck & { vendorDeviceId: string },
  since: Date,
): Promise<{ stored: number; recovered: number; error: SyncError | null }> {
  const fetched = await tenovi.deviceMeasurements(device.vendorDeviceId, { since });
  // The client parses tolerantly; rows are checked again against the webhook shape processing accepts.
  const rows = fetched.flatMap((row) => {
    const parsed = tenoviMeasurementSchema.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  });
  const skipped = fetched.length - rows.length;
  const fresh = await rowsNotStored(client, rows);
  const shapeError =
    skipped > 0 ? { target: device.vendorDeviceId, message: `${skipped} measurement(s) from Tenovi did not have the expected shape and were skipped` } : null;
  if (fresh.length === 0) return { stored: 0, recovered: 0, error: shapeError };
  const eventId = await storeFetched(client, {
    source: "tenovi_backfill",
    deliveryId: `${device.vendorDeviceId}:${since.toISOString()}`,
    payload: fresh as Prisma.InputJsonValue,
  });
  const outcome = await processIngestEvent(eventId, { db: client });
  // A failed event stays stored and failed; the sweep retries it.
  const error =
    outcome.status === "failed"
      ? { target: device.vendorDeviceId, message: `stored as ingest event ${eventId} but processing failed: ${outcome.error ?? "unknown"}` }
      : shapeError;
  return { stored: 1, recovered: outcome.counts.readingsCreated, error };
}

// The `tenovi.reconcile` job. Tenovi sends each webhook once and never retries, so every active Tenovi device (a
// vendorDeviceId, not disconnected) is read back from its measurements endpoint since its last stored reading
// (minus an overlap), at the configured request rate. What Pulseboard lacks is stored as a `tenovi_backfill`
// IngestEvent and processed like a webhook (arrival `backfill`; upserts, so nothing duplicates). The result
// (devices checked, readings recovered, errors) is saved in SyncCursor `reconcile:tenovi:last`.
export async function reconcileTenovi(options: TenoviReconcileOptions = {}): Promise<SyncResult> {
  const client = options.db ?? db;
  const now = options.now ?? new Date();
  const config = tenoviConfig();
  const paced = pacedFetch(pacerFor(options.requestsPerSecond ?? TENOVI_REQUESTS_PER_SECOND), options.clientOptions?.fetch);
  const tenovi = new TenoviClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, ...options.clientOptions, fetch: paced.fetch });
  const devices = await client.device.findMany({
    where: {
      vendor: "tenovi",
      vendorDeviceId: { not: null },
      lifecycle: { not: "disconnected" },
      ...(options.deviceIds ? { id: { in: options.deviceIds } } : {}),
    },
    orderBy: { id: "asc" },
    select: { id: true, vendorDeviceId: true, lastReadingAt: true, createdAt: true },
  });
  const result = startSyncResult("tenovi.reconcile", options.trigger, now);
  const withHwiIds = devices.flatMap((device) => (device.vendorDeviceId ? [{ ...device, vendorDeviceId: device.vendorDeviceId }] : []));
  await syncEach(result, withHwiIds, { signal: options.signal, target: (device) => device.vendorDeviceId }, async (device) => {
    const since = sinceFor(device, now, options.overlapMs ?? DEFAULT_OVERLAP_MS, options.firstLookbackMs ?? DEFAULT_FIRST_LOOKBACK_MS);
    const outcome = await reconcileDevice(tenovi, client, device, since);
    result.stored += outcome.stored;
    result.recovered += outcome.recovered;
    if (outcome.error) result.errors.push(outcome.error);
  });
  result.requests = paced.requests();
  await saveSyncResult("tenovi", result, client);
  return result;
}
