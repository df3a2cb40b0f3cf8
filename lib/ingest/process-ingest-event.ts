import pg from "pg";
import { z } from "zod";

import { queryRows } from "@/lib/database/query-rows";
import { transactionWithConnection, type TransactionConnection } from "@/lib/database/transaction-connection";
import { db, type Database } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { applyDeviceActivity } from "@/lib/ingest/device-effects";
import { countSuppressedDuplicates } from "@/lib/ingest/ingest-stats";
import { emptyCounts, type Arrival, type IngestTx, type ProcessContext, type ProcessCounts } from "@/lib/ingest/process-context";
import { processSmartzPoll } from "@/lib/ingest/process-smartz";
import { processTenoviWebhook } from "@/lib/ingest/process-tenovi";
import { processValidicBatch } from "@/lib/ingest/process-validic";
import type { IngestSource } from "@/lib/ingest/raw-store";
import { afterReadingsStored } from "@/lib/ingest/readings-hook";
import { logger } from "@/lib/logger";

// What processing an event came to. `skipped`: already processed, or rejected at the door (nothing to do).
// `busy`: another run holds the event right now (only with skipLocked; that run decides its fate).
export type ProcessOutcome = {
  eventId: string;
  status: "processed" | "duplicate" | "skipped" | "busy" | "failed";
  // For a duplicate delivery: the event that was processed instead.
  duplicateOf?: string;
  counts: ProcessCounts;
  error?: string;
};

// Overrides for tests and the worker: another client, a longer transaction, a replay, a sweep.
export type ProcessOptions = {
  db?: Database;
  // A whole event is one transaction; large push batches take a while.
  transactionTimeoutMs?: number;
  // Replay after a mapping fix: a processed event is processed again and unchanged records are re-derived, so
  // derived readings are updated in place (upserts on the vendor's ids never duplicate them).
  force?: boolean;
  // Sweeps: an event another run is processing right now is left to it (`busy`) instead of waited for.
  skipLocked?: boolean;
};

type Processor = (ctx: ProcessContext, payload: unknown) => Promise<void>;

// How each source's payloads reached us and what turns them into records. Backfills store what the vendor's API
// returned in the webhook/push shape, so they share the webhook and push processing.
const SOURCES: Record<IngestSource, { arrival: Arrival; process: Processor }> = {
  validic_push: { arrival: "push", process: processValidicBatch },
  validic_backfill: { arrival: "backfill", process: processValidicBatch },
  tenovi_webhook: { arrival: "webhook", process: (ctx, payload) => processTenoviWebhook(ctx, payload) },
  tenovi_backfill: { arrival: "backfill", process: (ctx, payload) => processTenoviWebhook(ctx, payload) },
  smartz_poll: { arrival: "poll", process: processSmartzPoll },
};
const MAX_ERROR_LENGTH = 1_000;

function isKnownSource(source: string): source is IngestSource {
  return Object.hasOwn(SOURCES, source);
}

// A failure description safe to store and show: no query arguments (Prisma messages quote them, and they may
// carry PHI), only codes and database messages (Prisma's, or pg's for statements sent on the connection).
function describeFailure(error: unknown): string {
  if (isAppError(error)) return error.message;
  if (error instanceof z.ZodError) {
    return `stored payload does not have the expected shape: ${error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`;
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const cause = (error.meta?.driverAdapterError as { cause?: { originalMessage?: unknown } } | undefined)?.cause;
    const detail = typeof cause?.originalMessage === "string" ? `: ${cause.originalMessage}` : "";
    return `database error ${error.code}${detail}`;
  }
  if (error instanceof pg.DatabaseError) return `database error ${error.code ?? "unknown"}: ${error.message}`;
  return error instanceof Error ? `${error.name} while processing` : "unknown error while processing";
}

// Another delivery of the same batch (same source, delivery id and body) that was already processed.
async function findProcessedTwin(sql: TransactionConnection, event: { id: bigint; source: string; deliveryId: string; bodySha256: string }): Promise<{ id: bigint } | null> {
  // Deliveries of one batch queue here one at a time, so the second sees the first as processed.
  await queryRows(sql, Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${`ingest-delivery:${event.source}:${event.deliveryId}`}, 0))`);
  const rows = await queryRows<{ id: bigint }>(sql, Prisma.sql`
    SELECT id FROM "IngestEvent"
     WHERE source = ${event.source} AND "deliveryId" = ${event.deliveryId} AND "bodySha256" = ${event.bodySha256}
       AND status = 'processed' AND id <> ${event.id}
     ORDER BY id LIMIT 1`);
  return rows[0] ?? null;
}

type RunResult = { outcome: ProcessOutcome; readingIds: bigint[] };

// The event as processing needs it.
type LockedEvent = { source: string; status: string; deliveryId: string | null; bodySha256: string; receivedAt: Date; payload: unknown };

// Locks the event's row (the lock makes concurrent calls for the same event, request, sweep and replay, run one after
// the other) and reads it; null when another run holds it (skipLocked). NOT_FOUND when there is no such event.
async function lockEvent(sql: TransactionConnection, id: bigint, skipLocked: boolean): Promise<LockedEvent | null> {
  const wait = skipLocked ? Prisma.sql`SKIP LOCKED` : Prisma.empty;
  const rows = await queryRows<LockedEvent>(sql, Prisma.sql`
    SELECT source, status::text AS status, "deliveryId", "bodySha256", "receivedAt", payload FROM "IngestEvent" WHERE id = ${id} FOR UPDATE ${wait}`);
  if (rows[0]) return rows[0];
  const exists = await queryRows(sql, Prisma.sql`SELECT 1 FROM "IngestEvent" WHERE id = ${id}`);
  if (exists.length === 0) throw new AppError("NOT_FOUND", `Ingest event ${id} does not exist.`);
  return null;
}

// Marks the event processed, with the notes processing left (or none).
async function markProcessed(sql: TransactionConnection, id: bigint, note: string | null): Promise<void> {
  await queryRows(sql, Prisma.sql`UPDATE "IngestEvent" SET status = 'processed', "processedAt" = ${new Date()}::timestamp(3), attempts = attempts + 1, error = ${note} WHERE id = ${id}`);
}

async function processInTransaction(tx: IngestTx, sql: TransactionConnection, id: bigint, options: ProcessOptions): Promise<RunResult> {
  const counts = emptyCounts();
  const done = (status: ProcessOutcome["status"], extra: Partial<ProcessOutcome> = {}): RunResult => ({ outcome: { eventId: String(id), status, counts, ...extra }, readingIds: [] });
  const force = options.force ?? false;
  const event = await lockEvent(sql, id, options.skipLocked ?? false);
  if (!event) return done("busy");
  if (event.status === "rejected" || (event.status === "processed" && !force)) return done("skipped");
  if (!isKnownSource(event.source)) throw new AppError("INVALID_INPUT", `No processor for ingest source "${event.source}".`);

  if (event.deliveryId && !force) {
    const twin = await findProcessedTwin(sql, { id, source: event.source, deliveryId: event.deliveryId, bodySha256: event.bodySha256 });
    if (twin) {
      await markProcessed(sql, id, `duplicate delivery of event ${twin.id}; not processed again`);
      return done("duplicate", { duplicateOf: String(twin.id) });
    }
  }

  const source = SOURCES[event.source];
  const ctx: ProcessContext = {
    tx,
    sql,
    eventId: id,
    receivedAt: event.receivedAt,
    arrival: source.arrival,
    force,
    counts,
    notes: [],
    activity: new Map(),
    storedReadingIds: [],
  };
  await source.process(ctx, event.payload);
  await applyDeviceActivity(ctx);
  const note = ctx.notes.length > 0 ? ctx.notes.join("; ").slice(0, MAX_ERROR_LENGTH) : null;
  await markProcessed(sql, id, note);
  return { outcome: { eventId: String(id), status: "processed", counts }, readingIds: ctx.storedReadingIds };
}

// Turns a stored IngestEvent into vendor records, readings and device changes, in one transaction: all of it
// happens or none. Idempotent: a processed event is skipped, a re-delivered batch is recognised, and every write
// is an upsert on the vendor's ids. The worker's drain calls it for each pushed Validic batch (and for Tenovi
// webhooks the bulk path does not take), the sweep for `received` or `failed` events, and replay with `force`. A failure marks the event `failed` with the reason and is
// returned, not thrown. After the commit the readings-stored hook (alert evaluation) runs; its failure never fails
// the ingest (the sweep retries it).
export async function processIngestEvent(eventId: bigint | string | number, options: ProcessOptions = {}): Promise<ProcessOutcome> {
  const client = options.db ?? db;
  const id = BigInt(eventId);
  let result: RunResult;
  try {
    result = await transactionWithConnection(client, (tx, sql) => processInTransaction(tx, sql, id, options), {
      maxWait: 10_000,
      timeout: options.transactionTimeoutMs ?? 120_000,
    });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") throw error;
    const description = describeFailure(error);
    logger.error("ingest event processing failed", { eventId: String(id), error: description });
    // A processed event that fails a forced replay keeps its status: its earlier readings still stand.
    await client.ingestEvent
      .updateMany({ where: { id, status: { notIn: ["processed", "rejected"] } }, data: { status: "failed", attempts: { increment: 1 }, error: description.slice(0, MAX_ERROR_LENGTH) } })
      .catch((markError: unknown) => logger.error("could not mark ingest event failed", { eventId: String(id), error: describeFailure(markError) }));
    return { eventId: String(id), status: "failed", counts: emptyCounts(), error: description };
  }
  if (result.outcome.status === "processed") await afterProcessed(result.readingIds, result.outcome.counts, `event:${id}`, client);
  return result.outcome;
}

// After a processing transaction committed: the readings-stored hook (alert rules; the sweep retries it if it fails)
// and the day's count of suppressed duplicates. `origin` names the event(s) in the hook's log and retry record.
export async function afterProcessed(readingIds: bigint[], counts: ProcessCounts, origin: string, client: Database): Promise<void> {
  await afterReadingsStored(readingIds, origin, client);
  await countSuppressedDuplicates(counts.duplicatesSuppressed, new Date(), client);
}
