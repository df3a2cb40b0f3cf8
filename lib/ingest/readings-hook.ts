import { z } from "zod";

import { evaluateReadingAlerts } from "@/lib/alerts";
import { db, type Database } from "@/lib/db";
import { logger } from "@/lib/logger";

// What runs after readings were stored (inserted, changed, or attributed from the unmatched queue), once their
// transaction committed. Listeners must be idempotent: after a failure the sweep calls them again with the same ids.
export type ReadingsStoredListener = (readingIds: bigint[]) => Promise<void>;

// The listeners every ingest calls, in order: thresholds, change rules and the patient's adherence rules. Declared as
// one literal so every process and bundle that stores readings (route handlers, server actions, the worker) has them.
export const READINGS_STORED_LISTENERS: ReadingsStoredListener[] = [
  async (ids) => {
    await evaluateReadingAlerts(ids);
  },
];

// Ids of a batch whose listeners failed, kept in SyncCursor until the sweep delivers them.
const RETRY_PREFIX = "readings-hook:retry:";
const retryIdsSchema = z.array(z.string().regex(/^\d+$/));

// The hook: hands reading ids to every listener. Throws the first failure after all listeners ran, so one broken
// listener does not starve the others.
export async function onReadingsStored(readingIds: bigint[]): Promise<void> {
  if (readingIds.length === 0) return;
  let failure: unknown = null;
  for (const listener of READINGS_STORED_LISTENERS) {
    try {
      await listener(readingIds);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
}

// How ingest calls the hook: after the commit, never failing the ingest. On failure the ids are kept under
// `readings-hook:retry:<origin>` for the sweep (retryFailedReadingHooks) and false is returned.
export async function afterReadingsStored(readingIds: bigint[], origin: string, client: Database = db): Promise<boolean> {
  if (readingIds.length === 0 || READINGS_STORED_LISTENERS.length === 0) return true;
  try {
    await onReadingsStored(readingIds);
    return true;
  } catch (error) {
    logger.error("readings-stored hook failed; left for the sweep", {
      origin,
      readings: readingIds.length,
      error: error instanceof Error ? error.name : "unknown",
    });
    const key = `${RETRY_PREFIX}${origin}`;
    const value = JSON.stringify(readingIds.map(String));
    await client.syncCursor
      .upsert({ where: { key }, create: { key, value }, update: { value } })
      .catch((storeError: unknown) => logger.error("could not keep readings-stored hook ids for the sweep", { origin, error: String(storeError) }));
    return false;
  }
}

// The sweep's part: calls the hook again for every kept batch, forgetting a batch once it went through.
export async function retryFailedReadingHooks(client: Database = db): Promise<{ retried: number; failed: number }> {
  const pending = await client.syncCursor.findMany({ where: { key: { startsWith: RETRY_PREFIX } }, orderBy: { updatedAt: "asc" }, take: 100 });
  let retried = 0;
  let failed = 0;
  for (const row of pending) {
    const parsed = retryIdsSchema.safeParse(safeJson(row.value));
    if (!parsed.success) {
      await client.syncCursor.deleteMany({ where: { key: row.key, value: row.value } });
      continue;
    }
    try {
      await onReadingsStored(parsed.data.map((id) => BigInt(id)));
      // Only the batch as read: a newer failure stored meanwhile under the same key stays.
      await client.syncCursor.deleteMany({ where: { key: row.key, value: row.value } });
      retried += 1;
    } catch (error) {
      failed += 1;
      logger.warn("readings-stored hook failed again", { key: row.key, error: error instanceof Error ? error.name : "unknown" });
    }
  }
  return { retried, failed };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
