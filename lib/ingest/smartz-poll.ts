import { z } from "zod";

import { db, type Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import type { SmartzPollPayload } from "@/lib/ingest/process-smartz";
import { storeFetched } from "@/lib/ingest/raw-store";
import { saveSyncResult, type SyncResult, startSyncResult, syncEach } from "@/lib/ingest/sync-results";
import { createSmartzClient, type SmartzClient } from "@/lib/vendors/smartz/client";
import type { SmartzPatientStatus } from "@/lib/vendors/smartz/schemas";

// Settings of one poll; defaults suit the every-minute schedule.
export type SmartzPollOptions = {
  now?: Date;
  trigger?: string;
  client?: SmartzClient;
  // Events asked for per page.
  pageSize?: number;
  // Pages read per patient per run; a long backlog continues on the next run.
  maxPagesPerPatient?: number;
  // Only these patients (Patient ids); tests.
  patientIds?: string[];
  signal?: AbortSignal;
  db?: Database;
};

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_MAX_PAGES = 20;

// The cursor is stored with the Smartz patient it belongs to, so relinking a patient to another Smartz record
// starts that record's events from the beginning instead of resuming at a cursor of a different stream.
const cursorValueSchema = z.object({ smartzPatientId: z.string(), cursor: z.string() });

// SyncCursor key of a patient's Smartz event cursor.
export function smartzCursorKey(patientId: string): string {
  return `smartz:events:${patientId}`;
}

async function readCursor(client: Database, patientId: string, smartzPatientId: string): Promise<string | null> {
  const row = await client.syncCursor.findUnique({ where: { key: smartzCursorKey(patientId) } });
  if (!row) return null;
  try {
    const parsed = cursorValueSchema.safeParse(JSON.parse(row.value));
    return parsed.success && parsed.data.smartzPatientId === smartzPatientId ? parsed.data.cursor : null;
  } catch {
    return null;
  }
}

async function writeCursor(client: Database, patientId: string, smartzPatientId: string, cursor: string): Promise<void> {
  const key = smartzCursorKey(patientId);
  const value = JSON.stringify({ smartzPatientId, cursor });
  await client.syncCursor.upsert({ where: { key }, create: { key, value }, update: { value } });
}

type PatientPoll = { stored: number; recovered: number; failedEvents: bigint[] };

async function pollPatient(
  smartz: SmartzClient,
  client: Database,
  identity: { patientId: string; externalId: string },
  options: SmartzPollOptions,
): Promise<PatientPoll> {
  const outcome: PatientPoll = { stored: 0, recovered: 0, failedEvents: [] };
  const status: SmartzPatientStatus = await smartz.getPatientStatus(identity.externalId);
  let since = await readCursor(client, identity.patientId, identity.externalId);
  for (let page = 0; page < (options.maxPagesPerPatient ?? DEFAULT_MAX_PAGES); page++) {
    const events = await smartz.listPatientEvents(identity.externalId, { since, limit: options.pageSize ?? DEFAULT_PAGE_SIZE });
    if (events.items.length > 0) {
      const payload: SmartzPollPayload = { smartzPatientId: identity.externalId, since, nextCursor: events.nextCursor, status, events: events.items };
      const eventId = await storeFetched(client, {
        source: "smartz_poll",
        deliveryId: `${identity.externalId}:${since ?? "start"}`,
        payload: payload as Prisma.InputJsonValue,
      });
      outcome.stored += 1;
      // Processing failures leave the event stored and failed for the sweep; the cursor may still move on.
      const processed = await processIngestEvent(eventId, { db: client });
      outcome.recovered += processed.counts.readingsCreated;
      if (processed.status === "failed") outcome.failedEvents.push(eventId);
    }
    const next = events.nextCursor;
    // Only now, with this page's events committed as an IngestEvent, does the cursor move past them.
    if (next !== null && next !== since) await writeCursor(client, identity.patientId, identity.externalId, next);
    if (!events.hasMore || next === null || next === since) break;
    since = next;
  }
  return outcome;
}

let sharedClient: SmartzClient | null = null;

// One client per process, so its access token is reused between polls.
function defaultClient(): SmartzClient {
  sharedClient ??= createSmartzClient();
  return sharedClient;
}

// The `smartz.poll` job. Smartz publishes no real-time delivery, so for each patient linked to Smartz (VendorIdentity
// vendor smartz) the status and the events since the patient's cursor (SyncCursor `smartz:events:<patientId>`) are
// fetched; each page of events is stored as a `smartz_poll` IngestEvent and processed into VendorRecords and
// `diaper_event` readings (arrival `poll`), and the cursor advances only after that store committed. A crash in
// between means the page is fetched again next time; processing upserts on the Smartz event id, so no duplicates.
export async function pollSmartz(options: SmartzPollOptions = {}): Promise<SyncResult> {
  const client = options.db ?? db;
  const now = options.now ?? new Date();
  const smartz = options.client ?? defaultClient();
  const identities = await client.vendorIdentity.findMany({
    where: { vendor: "smartz", ...(options.patientIds ? { patientId: { in: options.patientIds } } : {}) },
    orderBy: { patientId: "asc" },
    select: { patientId: true, externalId: true },
  });
  const result = startSyncResult("smartz.poll", options.trigger, now);
  await syncEach(result, identities, { signal: options.signal, target: (identity) => identity.externalId }, async (identity) => {
    const polled = await pollPatient(smartz, client, identity, options);
    result.stored += polled.stored;
    result.recovered += polled.recovered;
    for (const eventId of polled.failedEvents)
      result.errors.push({ target: identity.externalId, message: `ingest event ${eventId} was stored but processing failed; the sweep retries it` });
  });
  await saveSyncResult("smartz", result, client);
  return result;
}
