import { db, type Database } from "@/lib/db";
import { logger } from "@/lib/logger";

// Duplicate vendor records processing recognised and skipped (resends, overlapping pulls), counted per UTC hour in
// SyncCursor `stats:duplicates:<YYYY-MM-DDTHH>` for the ingest health page. Counting is best effort: it never fails
// an ingest.
const DUPLICATES_PREFIX = "stats:duplicates:";

function hourKey(at: Date): string {
  return `${DUPLICATES_PREFIX}${at.toISOString().slice(0, 13)}`;
}

// Adds to the current hour's count of suppressed duplicates (one atomic upsert, so concurrent runs add up).
export async function countSuppressedDuplicates(count: number, at = new Date(), client: Database = db): Promise<void> {
  if (count <= 0) return;
  const key = hourKey(at);
  await client.$executeRaw`
    INSERT INTO "SyncCursor" (key, value, "updatedAt") VALUES (${key}, ${String(count)}, now())
    ON CONFLICT (key) DO UPDATE SET value = (("SyncCursor".value)::bigint + ${count}::bigint)::text, "updatedAt" = now()`.catch((error: unknown) =>
    logger.warn("could not count suppressed duplicates", { error: String(error) }),
  );
}

// Suppressed duplicates counted in the hours from `since` (its whole hour included) to now.
export async function suppressedDuplicatesSince(since: Date, client: Database = db): Promise<number> {
  const rows = await client.syncCursor.findMany({ where: { key: { startsWith: DUPLICATES_PREFIX, gte: hourKey(since) } }, select: { value: true } });
  return rows.reduce((sum, row) => sum + (Number.parseInt(row.value, 10) || 0), 0);
}
