import { z } from "zod";

import { db, type Database } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { applyDeviceActivity } from "@/lib/ingest/device-effects";
import { emptyCounts, type Arrival, type IngestTx, type ProcessContext, type ProcessCounts } from "@/lib/ingest/process-context";
import { processTenoviWebhook } from "@/lib/ingest/process-tenovi";
import { processValidicBatch } from "@/lib/ingest/process-validic";
import type { IngestSource } from "@/lib/ingest/raw-store";
import { logger } from "@/lib/logger";

// What processing an event came to. `skipped`: already processed, or rejected at the door (nothing to do).
export type ProcessOutcome = {
  eventId: string;
  status: "processed" | "duplicate" | "skipped" | "failed";
  // For a duplicate delivery: the event that was processed instead.
  duplicateOf?: string;
  counts: ProcessCounts;
  error?: string;
};

// Overrides for tests and the worker: another client, a longer transaction.
export type ProcessOptions = {
  db?: Database;
  // A whole event is one transaction; large push batches take a while.
  transactionTimeoutMs?: number;
};

const ARRIVAL_BY_SOURCE: Record<IngestSource, Arrival> = { validic_push: "push", tenovi_webhook: "webhook" };
const MAX_ERROR_LENGTH = 1_000;

function isKnownSource(source: string): source is IngestSource {
  return source in ARRIVAL_BY_SOURCE;
}

// A failure description safe to store and show: no query arguments (Prisma messages quote them, and they may
// carry PHI), only codes and database messages.
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
  return error instanceof Error ? `${error.name} while processing` : "unknown error while processing";
}

// Another delivery of the same batch (same source, delivery id and body) that was already processed.
async function findProcessedTwin(tx: IngestTx, event: { id: bigint; source: string; deliveryId: string; bodySha256: string }) {
  // Deliveries of one batch queue here one at a time, so the second sees the first as processed.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ingest-delivery:${event.source}:${event.deliveryId}`}, 0))`;
  return tx.ingestEvent.findFirst({
    where: { source: event.source, deliveryId: event.deliveryId, bodySha256: event.bodySha256, status: "processed", id: { not: event.id } },
    orderBy: { id: "asc" },
    select: { id: true },
  });
}

async function processInTransaction(tx: IngestTx, id: bigint): Promise<ProcessOutcome> {
  const counts = emptyCounts();
  // The row lock makes concurrent calls for the same event (request and worker) run one after the other.
  await tx.$queryRaw`SELECT id FROM "IngestEvent" WHERE id = ${id} FOR UPDATE`;
  const event = await tx.ingestEvent.findUnique({ where: { id } });
  if (!event) throw new AppError("NOT_FOUND", `Ingest event ${id} does not exist.`);
  if (event.status === "processed" || event.status === "rejected") return { eventId: String(id), status: "skipped", counts };
  if (!isKnownSource(event.source)) throw new AppError("INVALID_INPUT", `No processor for ingest source "${event.source}".`);

  if (event.deliveryId) {
    const twin = await findProcessedTwin(tx, { id, source: event.source, deliveryId: event.deliveryId, bodySha256: event.bodySha256 });
    if (twin) {
      const note = `duplicate delivery of event ${twin.id}; not processed again`;
      await tx.ingestEvent.update({ where: { id }, data: { status: "processed", processedAt: new Date(), attempts: { increment: 1 }, error: note } });
      return { eventId: String(id), status: "duplicate", duplicateOf: String(twin.id), counts };
    }
  }

  const ctx: ProcessContext = { tx, eventId: id, receivedAt: event.receivedAt, arrival: ARRIVAL_BY_SOURCE[event.source], counts, notes: [], activity: new Map() };
  if (event.source === "validic_push") await processValidicBatch(ctx, event.payload);
  else await processTenoviWebhook(ctx, event.payload);
  await applyDeviceActivity(ctx);
  const note = ctx.notes.length > 0 ? ctx.notes.join("; ").slice(0, MAX_ERROR_LENGTH) : null;
  await tx.ingestEvent.update({ where: { id }, data: { status: "processed", processedAt: new Date(), attempts: { increment: 1 }, error: note } });
  return { eventId: String(id), status: "processed", counts };
}

// Turns a stored IngestEvent into vendor records, readings and device changes, in one transaction: all of it
// happens or none. Idempotent: a processed event is skipped, a re-delivered batch is recognised, and every write
// is an upsert on the vendor's ids. The receivers call it right after storing; a worker can call it to replay
// `received` or `failed` events. A failure marks the event `failed` with the reason and is returned, not thrown.
export async function processIngestEvent(eventId: bigint | string | number, options: ProcessOptions = {}): Promise<ProcessOutcome> {
  const client = options.db ?? db;
  const id = BigInt(eventId);
  try {
    return await client.$transaction((tx) => processInTransaction(tx, id), {
      maxWait: 10_000,
      timeout: options.transactionTimeoutMs ?? 120_000,
    });
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") throw error;
    const description = describeFailure(error);
    logger.error("ingest event processing failed", { eventId: String(id), error: description });
    await client.ingestEvent
      .updateMany({ where: { id, status: { not: "processed" } }, data: { status: "failed", attempts: { increment: 1 }, error: description.slice(0, MAX_ERROR_LENGTH) } })
      .catch((markError: unknown) => logger.error("could not mark ingest event failed", { eventId: String(id), error: describeFailure(markError) }));
    return { eventId: String(id), status: "failed", counts: emptyCounts(), error: description };
  }
}
