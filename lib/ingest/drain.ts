import { queryRows } from "@/lib/database/query-rows";
import { transactionWithConnection } from "@/lib/database/transaction-connection";
import { db, type Database } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { emptyCounts, type ProcessContext, type ProcessCounts } from "@/lib/ingest/process-context";
import { afterProcessed, processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { bulkMeasurements, processTenoviMeasurementsBulk, type BulkTenoviEvent } from "@/lib/ingest/process-tenovi-bulk";
import type { IngestSource } from "@/lib/ingest/raw-store";
import { logger } from "@/lib/logger";
import type { TenoviMeasurement } from "@/lib/vendors/tenovi/webhook-schemas";

// How much one drain round takes. Tenovi webhooks are small and go in bulk; push batches are large and go one by one
// (each is already set-based), a few per round so webhooks never wait behind a long queue of batches, and a few at
// once so the worker's parsing overlaps the database's writing (three at once stored ~10% more readings per second
// than two on two cores: a lane waiting for its commit to reach the disk leaves the CPU to the others).
export type DrainSettings = { tenoviBatchSize: number; pushesPerRound: number; pushConcurrency: number; transactionTimeoutMs: number };

// The worker's settings.
export const DEFAULT_DRAIN_SETTINGS: DrainSettings = { tenoviBatchSize: 500, pushesPerRound: 6, pushConcurrency: 3, transactionTimeoutMs: 120_000 };

// What a drain did: events processed (bulk and one by one), failed, and left to another run that held them.
export type DrainResult = { processed: number; bulkProcessed: number; failed: number; skipped: number; rounds: number };

// Limits a drain to some events (tests in a shared database).
export type DrainScope = { eventIds?: bigint[] };

// Pushed sources the drain takes. Backfills and polls are processed by the job that fetched them, right after
// storing; the sweep takes over any of those left behind.
const PUSHED_OTHER_THAN_TENOVI: IngestSource[] = ["validic_push"];

function scoped(scope: DrainScope): Prisma.Sql {
  return scope.eventIds ? Prisma.sql`AND id = ANY(${scope.eventIds})` : Prisma.empty;
}

type BulkRound = { claimed: bigint[]; bulk: bigint[]; others: bigint[]; readingIds: bigint[]; counts: ProcessCounts };

// One transaction: claims up to `tenoviBatchSize` pending Tenovi webhook events (FOR UPDATE SKIP LOCKED, so two
// workers never take the same event), processes the measurement-only ones in bulk and marks them processed. The
// rest (fulfillment, replacement, unparsable) stay `received` for processIngestEvent after the commit.
async function bulkTenoviRound(client: Database, settings: DrainSettings, scope: DrainScope): Promise<BulkRound> {
  return transactionWithConnection(
    client,
    async (tx, sql) => {
      const events = await queryRows<BulkTenoviEvent>(sql, Prisma.sql`
        SELECT id, "receivedAt", payload FROM "IngestEvent"
         WHERE status = 'received' AND source = 'tenovi_webhook' ${scoped(scope)}
         ORDER BY id LIMIT ${settings.tenoviBatchSize}
           FOR UPDATE SKIP LOCKED`);
      const bulk: { event: BulkTenoviEvent; measurements: TenoviMeasurement[] }[] = [];
      const others: bigint[] = [];
      for (const event of events) {
        const measurements = bulkMeasurements(event.payload);
        if (measurements) bulk.push({ event, measurements });
        else others.push(event.id);
      }
      const counts = emptyCounts();
      const base: ProcessContext = {
        tx,
        sql,
        eventId: 0n,
        receivedAt: new Date(),
        arrival: "webhook",
        force: false,
        counts,
        notes: [],
        activity: new Map(),
        storedReadingIds: [],
      };
      const ids = bulk.map(({ event }) => event.id);
      if (ids.length > 0) {
        await processTenoviMeasurementsBulk(base, bulk);
        await queryRows(sql, Prisma.sql`
          UPDATE "IngestEvent" SET status = 'processed', "processedAt" = ${new Date()}::timestamp(3), attempts = attempts + 1, error = NULL
           WHERE id = ANY(${ids}::bigint[])`);
      }
      return { claimed: events.map((event) => event.id), bulk: ids, others, readingIds: base.storedReadingIds, counts };
    },
    { maxWait: 10_000, timeout: settings.transactionTimeoutMs },
  );
}

// Each event in its own transaction (processIngestEvent), `concurrency` at a time, taking the ids in order.
async function processOneByOne(client: Database, ids: bigint[], result: DrainResult, concurrency = 1): Promise<void> {
  const queue = [...ids];
  async function lane() {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const outcome = await processIngestEvent(id, { db: client, skipLocked: true });
      if (outcome.status === "processed" || outcome.status === "duplicate") result.processed += 1;
      else if (outcome.status === "failed") result.failed += 1;
      else result.skipped += 1;
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => lane()));
}

// Processes pending Tenovi webhooks in bulk; returns how many events it claimed (0: none left).
async function drainTenovi(client: Database, settings: DrainSettings, scope: DrainScope, result: DrainResult): Promise<number> {
  let round: BulkRound;
  try {
    round = await bulkTenoviRound(client, settings, scope);
  } catch (error) {
    // One bad delivery (or a deadlock with another worker) must not hold the rest back: the claimed events are
    // processed one by one instead, each in its own transaction, where a failure marks only that event.
    logger.warn("bulk Tenovi processing failed; processing the events one by one", { error: error instanceof Error ? error.name : "unknown" });
    const pending = await client.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM "IngestEvent" WHERE status = 'received' AND source = 'tenovi_webhook' ${scoped(scope)} ORDER BY id LIMIT ${settings.tenoviBatchSize}`;
    await processOneByOne(client, pending.map((row) => row.id), result);
    return pending.length;
  }
  result.processed += round.bulk.length;
  result.bulkProcessed += round.bulk.length;
  if (round.bulk.length > 0) {
    await afterProcessed(round.readingIds, round.counts, `events:${round.bulk[0]}-${round.bulk[round.bulk.length - 1]}`, client);
  }
  await processOneByOne(client, round.others, result);
  return round.claimed.length;
}

async function drainPushes(client: Database, settings: DrainSettings, scope: DrainScope, result: DrainResult): Promise<number> {
  const pending = await client.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM "IngestEvent" WHERE status = 'received' AND source = ANY(${PUSHED_OTHER_THAN_TENOVI}) ${scoped(scope)}
     ORDER BY id LIMIT ${settings.pushesPerRound}`;
  await processOneByOne(client, pending.map((row) => row.id), result, settings.pushConcurrency);
  return pending.length;
}

// Processes every pending (`received`) pushed delivery: Tenovi webhooks in bulk, Validic push batches one by one,
// alternating so neither waits behind the other, until none is left (or `signal` fires). Safe beside other drains,
// the sweep and replays: every event is processed under its row lock, taken with SKIP LOCKED, and processing skips
// an event that is no longer `received`.
export async function drainIngestEvents(
  options: { db?: Database; settings?: Partial<DrainSettings>; scope?: DrainScope; signal?: AbortSignal } = {},
): Promise<DrainResult> {
  const client = options.db ?? db;
  const settings = { ...DEFAULT_DRAIN_SETTINGS, ...options.settings };
  const scope = options.scope ?? {};
  const result: DrainResult = { processed: 0, bulkProcessed: 0, failed: 0, skipped: 0, rounds: 0 };
  while (!options.signal?.aborted) {
    result.rounds += 1;
    const doneBefore = result.processed + result.failed;
    const taken = (await drainTenovi(client, settings, scope, result)) + (await drainPushes(client, settings, scope, result));
    // Nothing pending, or only events another run holds right now (that run finishes them).
    if (taken === 0 || result.processed + result.failed === doneBefore) break;
  }
  return result;
}
