import { randomUUID } from "node:crypto";

import { db, type Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { validicChecksum } from "@/lib/ingest/process-validic";
import { storeFetched } from "@/lib/ingest/raw-store";
import { saveSyncResult, type SyncResult, startSyncResult, syncEach } from "@/lib/ingest/sync-results";
import { createValidicClient, type ValidicClient } from "@/lib/vendors/validic/client";
import { validicRecordSchema } from "@/lib/vendors/validic/record-schemas";

// Settings of one reconcile run; defaults suit the six-hourly schedule.
export type ValidicReconcileOptions = {
  now?: Date;
  trigger?: string;
  // How many days back to re-read. Validic retries a refused push for up to 6 hours, so a record lost for good is at
  // most a few hours old when the next run comes; the default reaches well past that (and days are whole dates).
  lookbackDays?: number;
  client?: ValidicClient;
  // Only these patients (Patient ids); tests and a single-patient "reconcile now".
  patientIds?: string[];
  signal?: AbortSignal;
  db?: Database;
};

const DEFAULT_LOOKBACK_DAYS = 2;

// Records Pulseboard does not hold in this version: unknown ids, a changed checksum or a changed deletion. A record that
// does not parse is kept as well (processing skips it with a note on the stored event, where it can be inspected),
// once: it stays in the lookback for days, and a run that finds it already in a backfill event since `since` leaves it.
async function recordsNotStored(client: Database, records: unknown[], since: Date): Promise<unknown[]> {
  const checked = records.map((raw) => ({ raw, parsed: validicRecordSchema.safeParse(raw) }));
  const unreadable = checked.flatMap(({ raw, parsed }) => (parsed.success ? [] : [raw]));
  const keptBefore = unreadable.length ? await backfilledSince(client, unreadable, since) : new Set<unknown>();
  const ids = checked.flatMap(({ parsed }) => (parsed.success ? [parsed.data.id] : []));
  const stored = await client.vendorRecord.findMany({
    where: { vendor: "validic", vendorRecordId: { in: ids } },
    select: { vendorRecordId: true, checksum: true, deletedAt: true },
  });
  const byId = new Map(stored.map((record) => [record.vendorRecordId, record]));
  return checked
    .filter(({ raw, parsed }) => {
      if (!parsed.success) return !keptBefore.has(raw);
      const existing = byId.get(parsed.data.id);
      if (!existing) return true;
      return existing.checksum !== validicChecksum(parsed.data) || (existing.deletedAt === null) !== (parsed.data.deleted_at == null);
    })
    .map(({ raw }) => raw);
}

// The records a backfill event received since `since` already holds, exactly as they are (containment finds the
// candidate events, equality decides: a record missing fields is contained in a fuller one).
async function backfilledSince(client: Database, records: unknown[], since: Date): Promise<Set<unknown>> {
  const rows = await client.$queryRaw<{ position: number }[]>`
    SELECT r.ord::int - 1 AS position
      FROM jsonb_array_elements(${JSON.stringify(records)}::jsonb) WITH ORDINALITY AS r(record, ord)
     WHERE EXISTS (SELECT 1 FROM "IngestEvent" e CROSS JOIN LATERAL jsonb_array_elements(e.payload->'data') AS kept(record)
                    WHERE e.source = 'validic_backfill' AND e."receivedAt" >= ${since}
                      AND e.payload->'data' @> jsonb_build_array(r.record) AND kept.record = r.record)`;
  return new Set(rows.map((row) => records[row.position]));
}

// The `validic.reconcile` job: per Validic-linked patient, re-reads recent measurement records from the REST API
// and stores those Pulseboard lacks as a `validic_backfill` IngestEvent in the push-batch shape, processed like a
// push (arrival `backfill`; upserts on the record id, so nothing duplicates). Result in `reconcile:validic:last`.
export async function reconcileValidic(options: ValidicReconcileOptions = {}): Promise<SyncResult> {
  const client = options.db ?? db;
  const now = options.now ?? new Date();
  const validic = options.client ?? createValidicClient();
  const startDate = new Date(now.getTime() - (options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS) * 86_400_000);
  const identities = await client.vendorIdentity.findMany({
    where: { vendor: "validic", ...(options.patientIds ? { patientId: { in: options.patientIds } } : {}) },
    orderBy: { externalId: "asc" },
    select: { patientId: true, externalId: true },
  });
  const result = startSyncResult("validic.reconcile", options.trigger, now);
  await syncEach(result, identities, { signal: options.signal, target: (identity) => identity.externalId }, async (identity) => {
    const records = await validic.fetchRecords(identity.externalId, { startDate, endDate: now });
    const fresh = await recordsNotStored(client, records, startDate);
    if (fresh.length === 0) return;
    const batch = { id: `reconcile-${randomUUID()}`, data: fresh, meta: { count: fresh.length } };
    const eventId = await storeFetched(client, { source: "validic_backfill", deliveryId: null, payload: batch as Prisma.InputJsonValue });
    result.stored += 1;
    const outcome = await processIngestEvent(eventId, { db: client });
    result.recovered += outcome.counts.readingsCreated;
    if (outcome.status === "failed")
      result.errors.push({ target: identity.externalId, message: `stored as ingest event ${eventId} but processing failed: ${outcome.error ?? "unknown"}` });
  });
  await saveSyncResult("validic", result, client);
  return result;
}
