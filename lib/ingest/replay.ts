import { z } from "zod";

import { db, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";

// Which stored payloads to replay: one event, the events received in a time range, or every failed event.
export const replaySelectionSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("id"), id: z.string().regex(/^\d+$/, "An ingest event id is a number.") }),
  z.object({ mode: z.literal("range"), since: z.coerce.date(), until: z.coerce.date() }).refine((r) => r.since < r.until, "The start must be before the end."),
  z.object({ mode: z.literal("failed") }),
]);

export type ReplaySelection = z.infer<typeof replaySelectionSchema>;

// What a replay did, in counts (ids only; never payload values).
export type ReplayResult = {
  events: number;
  processed: number;
  failed: number;
  skipped: number;
  readingsCreated: number;
  readingsUpdated: number;
  readingsRemoved: number;
  // More events matched than `limit`; run again (or use the CLI) for the rest.
  hasMore: boolean;
  // The last event handled, to continue after.
  lastEventId: string | null;
};

const BATCH = 100;

function whereFor(selection: ReplaySelection): Prisma.IngestEventWhereInput {
  // Rejected payloads never passed the receiver's checks; they stay quarantined and are not replayed.
  if (selection.mode === "id") return { id: BigInt(selection.id) };
  if (selection.mode === "failed") return { status: "failed" };
  return { receivedAt: { gte: selection.since, lt: selection.until }, status: { not: "rejected" } };
}

// Re-processes stored raw payloads after a mapping fix, oldest first, each with `force`: readings derived from them
// are updated in place (processing upserts on the vendor's ids and compares every field), so a replay never
// duplicates. `limit` bounds one call (the admin action); the CLI passes none.
export async function replayIngestEvents(selection: ReplaySelection, options: { limit?: number; afterId?: bigint; db?: Database } = {}): Promise<ReplayResult> {
  const client = options.db ?? db;
  const where = whereFor(selection);
  if (selection.mode === "id") {
    const event = await client.ingestEvent.findUnique({ where: { id: BigInt(selection.id) }, select: { status: true } });
    if (!event) throw new AppError("NOT_FOUND", `Ingest event ${selection.id} does not exist.`);
    if (event.status === "rejected")
      throw new AppError("INVALID_INPUT", `Ingest event ${selection.id} was rejected at the door; its payload is kept for inspection, not replayed.`);
  }
  const result: ReplayResult = {
    events: 0,
    processed: 0,
    failed: 0,
    skipped: 0,
    readingsCreated: 0,
    readingsUpdated: 0,
    readingsRemoved: 0,
    hasMore: false,
    lastEventId: null,
  };
  let afterId = options.afterId ?? -1n;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  for (;;) {
    const take = Math.min(BATCH, limit - result.events);
    if (take <= 0) {
      result.hasMore = (await client.ingestEvent.count({ where: { AND: [where, { id: { gt: afterId } }] } })) > 0;
      return result;
    }
    const batch = await client.ingestEvent.findMany({ where: { AND: [where, { id: { gt: afterId } }] }, orderBy: { id: "asc" }, take, select: { id: true } });
    if (batch.length === 0) return result;
    for (const { id } of batch) {
      const outcome = await processIngestEvent(id, { db: client, force: true });
      result.events += 1;
      if (outcome.status === "processed" || outcome.status === "duplicate") result.processed += 1;
      else if (outcome.status === "failed") result.failed += 1;
      else result.skipped += 1;
      result.readingsCreated += outcome.counts.readingsCreated;
      result.readingsUpdated += outcome.counts.readingsUpdated;
      result.readingsRemoved += outcome.counts.readingsRemoved;
      afterId = id;
      result.lastEventId = String(id);
    }
  }
}
