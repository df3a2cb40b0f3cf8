import { db, type Database } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { retryFailedReadingHooks } from "@/lib/ingest/readings-hook";

// How patient the sweep is. Defaults suit the every-minute schedule; tests pass small values.
export type SweepSettings = {
  // An event still `received` this long after arriving lost its processing (a crash, a timeout): take it over.
  staleAfterMs: number;
  // A `failed` event is retried until it has this many attempts; then it waits for a replay after a fix.
  maxAttempts: number;
  // Backoff: after n attempts a failed event is due `baseBackoffMs × (2^n − 1)` after it arrived.
  baseBackoffMs: number;
  // Events handled per sweep, oldest first; the next sweep takes the rest.
  batchSize: number;
};

// The production settings: every minute, five attempts, a minute doubling per attempt.
export const DEFAULT_SWEEP_SETTINGS: SweepSettings = { staleAfterMs: 60_000, maxAttempts: 5, baseBackoffMs: 60_000, batchSize: 200 };

// What one sweep did: events it processed (or found duplicate), left failed, skipped because another run had them.
export type SweepResult = { candidates: number; processed: number; failed: number; skipped: number; hookBatchesRetried: number };

// Limits a sweep to some events (the admin "retry now" for one event; tests in a shared database).
export type SweepScope = { eventIds?: bigint[] };

// Whether a failed event with `attempts` attempts that arrived at `receivedAt` is due again at `now`.
export function isRetryDue(receivedAt: Date, attempts: number, now: Date, settings: SweepSettings = DEFAULT_SWEEP_SETTINGS): boolean {
  if (attempts >= settings.maxAttempts) return false;
  return receivedAt.getTime() + settings.baseBackoffMs * (2 ** attempts - 1) <= now.getTime();
}

async function candidates(client: Database, now: Date, settings: SweepSettings, scope: SweepScope): Promise<bigint[]> {
  const staleBefore = new Date(now.getTime() - settings.staleAfterMs);
  const scoped = scope.eventIds ? Prisma.sql`AND id = ANY(${scope.eventIds})` : Prisma.empty;
  // The same rule as isRetryDue, in SQL, so events not yet due never crowd due ones out of the batch.
  const rows = await client.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM "IngestEvent"
     WHERE ((status = 'received' AND "receivedAt" < ${staleBefore})
        OR (status = 'failed' AND attempts < ${settings.maxAttempts}
            AND "receivedAt" + (${settings.baseBackoffMs}::float8 * (power(2, attempts) - 1)) * interval '1 millisecond' <= ${now}))
       ${scoped}
     ORDER BY id
     LIMIT ${settings.batchSize}`;
  return rows.map((row) => row.id);
}

// The `ingest.sweep` job: re-processes events stuck in `received` and failed events that are due (backoff by
// attempts, up to a cap), then retries readings-stored hooks that failed. Safe to run in several workers at once:
// each event is processed under its row lock (another sweep holding it skips it), and processing is idempotent,
// so effects happen once.
export async function sweepIngestEvents(
  options: { now?: Date; settings?: Partial<SweepSettings>; scope?: SweepScope; db?: Database } = {},
): Promise<SweepResult> {
  const client = options.db ?? db;
  const settings = { ...DEFAULT_SWEEP_SETTINGS, ...options.settings };
  const due = await candidates(client, options.now ?? new Date(), settings, options.scope ?? {});
  const result: SweepResult = { candidates: due.length, processed: 0, failed: 0, skipped: 0, hookBatchesRetried: 0 };
  for (const id of due) {
    const outcome = await processIngestEvent(id, { db: client, skipLocked: true });
    if (outcome.status === "processed" || outcome.status === "duplicate") result.processed += 1;
    else if (outcome.status === "failed") result.failed += 1;
    else result.skipped += 1;
  }
  result.hookBatchesRetried = (await retryFailedReadingHooks(client)).retried;
  return result;
}
