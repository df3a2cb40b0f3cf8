import { z } from "zod";

import { db, type Database } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import type { Vendor } from "@/lib/generated/prisma/client";
import { VendorHttpError } from "@/lib/vendors/base-client";

// Where each vendor's last pull (reconcile or poll) leaves its result for the ingest health page.
export const SYNC_RESULT_KEYS: Record<Vendor, string> = {
  tenovi: "reconcile:tenovi:last",
  validic: "reconcile:validic:last",
  smartz: "poll:smartz:last",
};

const MAX_KEPT_ERRORS = 20;

// One failure of a pull, against one device or account by the vendor's id (Tenovi hwi_device_id, Validic uid,
// Smartz patient id); vendor messages are already redacted.
export const syncErrorSchema = z.object({ target: z.string(), message: z.string() });

// The result of one reconcile or poll run, stored as JSON in SyncCursor.
export const syncResultSchema = z.object({
  job: z.string(),
  // schedule (cron), manual (the health page), or another caller's word.
  trigger: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  // Devices (Tenovi) or patients (Validic, Smartz) looked at.
  checked: z.number().int(),
  // Readings the run stored that Pulseboard did not have.
  recovered: z.number().int(),
  // Vendor payloads stored as IngestEvents.
  stored: z.number().int(),
  requests: z.number().int().optional(),
  errorCount: z.number().int(),
  errors: z.array(syncErrorSchema),
  // Stopped early (worker shutting down); the next run continues.
  aborted: z.boolean().optional(),
});

export type SyncResult = z.infer<typeof syncResultSchema>;
export type SyncError = z.infer<typeof syncErrorSchema>;

// An empty result for a run that starts now; the run fills in its counts and finishedAt.
export function startSyncResult(job: string, trigger: string | undefined, now: Date): SyncResult {
  const at = now.toISOString();
  return { job, trigger: trigger ?? "schedule", startedAt: at, finishedAt: at, checked: 0, recovered: 0, stored: 0, errorCount: 0, errors: [] };
}

// Visits each target of a pull in order: counted as checked, a failure recorded against it while the pull goes on,
// and nothing more once `signal` fires (the result says aborted; the next run continues). Then finishes the result.
export async function syncEach<T>(
  result: SyncResult,
  items: readonly T[],
  options: { signal?: AbortSignal; target: (item: T) => string },
  visit: (item: T) => Promise<void>,
): Promise<void> {
  for (const item of items) {
    if (options.signal?.aborted) {
      result.aborted = true;
      break;
    }
    result.checked += 1;
    try {
      await visit(item);
    } catch (error) {
      result.errors.push({ target: options.target(item), message: describeSyncError(error) });
    }
  }
  result.errorCount = result.errors.length;
  result.finishedAt = new Date().toISOString();
}

// Keeps the first few errors (the page shows them; the count says how many there were).
export function keepErrors(errors: SyncError[]): SyncError[] {
  return errors.slice(0, MAX_KEPT_ERRORS).map((error) => ({ target: error.target, message: error.message.slice(0, 500) }));
}

// Saves a run's result under its vendor's key.
export async function saveSyncResult(vendor: Vendor, result: SyncResult, client: Database = db): Promise<void> {
  const key = SYNC_RESULT_KEYS[vendor];
  const value = JSON.stringify({ ...result, errors: keepErrors(result.errors) });
  await client.syncCursor.upsert({ where: { key }, create: { key, value }, update: { value } });
}

// The last stored result of each vendor's pull; null where none ran yet (or the stored JSON is not a result).
export async function readSyncResults(client: Database = db): Promise<Record<Vendor, SyncResult | null>> {
  const rows = await client.syncCursor.findMany({ where: { key: { in: Object.values(SYNC_RESULT_KEYS) } } });
  const parse = (vendor: Vendor): SyncResult | null => {
    const row = rows.find((r) => r.key === SYNC_RESULT_KEYS[vendor]);
    if (!row) return null;
    try {
      const parsed = syncResultSchema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
  return { tenovi: parse("tenovi"), validic: parse("validic"), smartz: parse("smartz") };
}

// A message safe to store for a failed pull target: typed errors keep their message, anything else its name only.
export function describeSyncError(error: unknown): string {
  if (error instanceof VendorHttpError || isAppError(error)) return error.message;
  return error instanceof Error ? `${error.name} during the pull` : "unknown error during the pull";
}
