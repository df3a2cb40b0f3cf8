import { randomUUID } from "node:crypto";
import { z } from "zod";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import { publicUrl, validicConfig } from "@/lib/vendors/config";
import type { ValidicRecordWire } from "@/lib/vendors/validic/record-factory";
import { simulatorStore } from "@/lib/vendors/simulator-kit";

// The simulated Inform Push Service: queues records, batches them, and delivers them to Pulseboard with OAuth2
// client credentials, retrying 401, 403 and 5xx with exponential backoff for a bounded window, as Validic documents.

// ASSUMPTION: how the client authenticates at Pulseboard's token endpoint (RFC 6749 §2.3.1 allows either).
export type PushAuthMethod = "basic" | "body";

// The push settings a customer agrees with Validic; every default can be overridden (tests use tiny delays).
export type ValidicPushSenderOptions = {
  // Pulseboard's receiver; default publicUrl() + /api/ingest/validic.
  pushUrl?: string;
  // Pulseboard's token endpoint; default publicUrl() + /api/ingest/validic/token.
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  // ASSUMPTION: Basic by default; "body" sends client_id/client_secret in the form.
  authMethod?: PushAuthMethod;
  // The optional "access token header" a customer gives Validic for the token request.
  tokenRequestHeader?: { name: string; value: string } | null;
  // Push triggers, configured per organization: records per batch and time between batches.
  batchSize?: number;
  batchIntervalMs?: number;
  // Validic retries for up to 6 hours; tests shrink these.
  retryWindowMs?: number;
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  // A cached token is replaced this long before it expires.
  tokenExpirySkewMs?: number;
  requestTimeoutMs?: number;
};

type Settings = Required<Omit<ValidicPushSenderOptions, "tokenRequestHeader">> & Pick<ValidicPushSenderOptions, "tokenRequestHeader">;

// One delivery attempt of a batch and how Pulseboard answered.
export type PushAttempt = { at: string; http_status: number | null; error: string | null; token_fetched: boolean };

// Validic's record of one batch transmission: record ids, user, final status and Pulseboard's answer.
export type PushTransmitEvent = {
  id: string;
  record_ids: string[];
  user_id: string;
  uid: string;
  status: "pending" | "sending" | "success" | "failed";
  created_at: string;
  next_attempt_at: string | null;
  lease_until: string | null;
  http_status: number | null;
  response_body: string | null;
  error: string | null;
  attempts: PushAttempt[];
  batch: { id: string; data: ValidicRecordWire[]; meta: { count: number } };
  // Optimistic lock, so a tick and an admin flush never send the same attempt twice.
  version: number;
};

type PendingRecord = { record: ValidicRecordWire; queued_at: string };
type CachedToken = { access_token: string; expires_at: string };
type HttpOutcome = { status: number | null; body: string | null; error: string | null };
type TokenOutcome = { ok: true; token: string; fetched: boolean } | { ok: false; outcome: HttpOutcome };

const VENDOR = "validic";
const PENDING = "push-pending";
const OUTBOX = "push-outbox";
const HISTORY = "push-event";
const TOKEN = "push-token";
const CLOCK = "push-clock";
const MAX_BODY_CHARS = 2_000;
const DEFAULT_TOKEN_LIFETIME_S = 3_600;

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === "bearer", "token_type must be Bearer").optional(),
  expires_in: z.coerce.number().positive().optional(),
});

// The Push Service half of the Validic simulator.
export type ValidicPushSender = ReturnType<typeof createValidicPushSender>;

// Builds a push sender; state (queue, batches, token) lives in the simulator store so it survives restarts.
export function createValidicPushSender(options: ValidicPushSenderOptions = {}) {
  const store = simulatorStore(VENDOR);
  const settings = (): Settings => {
    const config = validicConfig();
    return {
      pushUrl: options.pushUrl ?? `${publicUrl()}/api/ingest/validic`,
      tokenUrl: options.tokenUrl ?? `${publicUrl()}/api/ingest/validic/token`,
      clientId: options.clientId ?? config.pushClientId,
      clientSecret: options.clientSecret ?? config.pushClientSecret,
      authMethod: options.authMethod ?? "basic",
      tokenRequestHeader: options.tokenRequestHeader ?? null,
      batchSize: options.batchSize ?? 100,
      batchIntervalMs: options.batchIntervalMs ?? 60_000,
      retryWindowMs: options.retryWindowMs ?? 6 * 60 * 60 * 1000,
      initialRetryDelayMs: options.initialRetryDelayMs ?? 30_000,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30 * 60 * 1000,
      tokenExpirySkewMs: options.tokenExpirySkewMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    };
  };

  async function enqueue(records: ValidicRecordWire[], now = new Date()): Promise<void> {
    // Keyed by record id: an updated record waiting in the queue replaces its older version.
    await Promise.all(records.map((record) => store.put<PendingRecord>(PENDING, record.id, { record, queued_at: now.toISOString() })));
  }

  async function formBatches(now: Date, isForced: boolean): Promise<void> {
    const { batchSize, batchIntervalMs } = settings();
    const pending = await store.list<PendingRecord>(PENDING);
    const clock = await store.get<{ last_batch_at: string }>(CLOCK, "batches");
    if (!clock) await store.put(CLOCK, "batches", { last_batch_at: now.toISOString() });
    if (pending.length === 0) return;
    const isIntervalDue = isForced || (clock !== null && now.getTime() - Date.parse(clock.last_batch_at) >= batchIntervalMs);
    // ASSUMPTION: a batch holds one user's records, since a PushTransmitEvent names one Validic user and uid.
    for (const records of groupByUser(pending.map((p) => p.record))) {
      for (let start = 0; start < records.length; start += batchSize) {
        const chunk = records.slice(start, start + batchSize);
        if (chunk.length < batchSize && !isIntervalDue) continue;
        await createEvent(chunk, now);
      }
    }
    if (isIntervalDue) await store.put(CLOCK, "batches", { last_batch_at: now.toISOString() });
  }

  async function createEvent(chunk: ValidicRecordWire[], now: Date): Promise<void> {
    // Taking each record off the queue is atomic, so two processes cannot batch the same record.
    const taken = (await Promise.all(chunk.map(async (r) => ((await store.remove(PENDING, r.id)) ? r : null)))).filter((r) => r !== null);
    const first = taken[0];
    if (!first) return;
    const id = randomUUID();
    await store.put<PushTransmitEvent>(OUTBOX, id, {
      id,
      record_ids: taken.map((r) => r.id),
      user_id: first.user.user_id,
      uid: first.user.uid,
      status: "pending",
      created_at: now.toISOString(),
      next_attempt_at: now.toISOString(),
      lease_until: null,
      http_status: null,
      response_body: null,
      error: null,
      attempts: [],
      batch: { id, data: taken, meta: { count: taken.length } },
      version: 0,
    });
  }

  async function claim(event: PushTransmitEvent, now: Date): Promise<PushTransmitEvent | null> {
    const leaseMs = settings().requestTimeoutMs * 3;
    const claimed: PushTransmitEvent = {
      ...event,
      status: "sending",
      lease_until: new Date(now.getTime() + leaseMs).toISOString(),
      version: event.version + 1,
    };
    const { count } = await db.simulatorEntity.updateMany({
      where: { vendor: VENDOR, kind: OUTBOX, key: event.id, data: { path: ["version"], equals: event.version } },
      data: { data: claimed as unknown as Prisma.InputJsonValue },
    });
    return count === 1 ? claimed : null;
  }

  async function accessToken(now: Date): Promise<TokenOutcome> {
    const s = settings();
    const cached = await store.get<CachedToken>(TOKEN, "current");
    if (cached && Date.parse(cached.expires_at) - s.tokenExpirySkewMs > now.getTime()) {
      return { ok: true, token: cached.access_token, fetched: false };
    }
    const form = new URLSearchParams({ grant_type: "client_credentials" });
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
    if (s.authMethod === "basic") headers.Authorization = basicAuth(s.clientId, s.clientSecret);
    else {
      form.set("client_id", s.clientId);
      form.set("client_secret", s.clientSecret);
    }
    if (s.tokenRequestHeader) headers[s.tokenRequestHeader.name] = s.tokenRequestHeader.value;
    const outcome = await send(s.tokenUrl, { method: "POST", headers, body: form.toString() }, s.requestTimeoutMs);
    const parsed = outcome.status !== null && outcome.status >= 200 && outcome.status < 300 ? tokenResponseSchema.safeParse(parseJson(outcome.body)) : null;
    if (!parsed?.success) {
      // A 2xx without a usable token is treated like a server error, so it is retried.
      const status = outcome.status !== null && outcome.status < 300 ? 502 : outcome.status;
      return { ok: false, outcome: { ...outcome, status, error: `token request failed${outcome.error ? `: ${outcome.error}` : ""}` } };
    }
    const lifetimeMs = (parsed.data.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000;
    await store.put<CachedToken>(TOKEN, "current", {
      access_token: parsed.data.access_token,
      expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
    });
    return { ok: true, token: parsed.data.access_token, fetched: true };
  }

  async function attempt(event: PushTransmitEvent, now: Date): Promise<PushTransmitEvent | null> {
    const claimed = await claim(event, now);
    if (!claimed) return null;
    const s = settings();
    const token = await accessToken(now);
    if (!token.ok) return settle(claimed, now, token.outcome, true);
    const outcome = await send(
      s.pushUrl,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token.token}` },
        body: JSON.stringify(claimed.batch),
      },
      s.requestTimeoutMs,
    );
    // Validic fetches a new token after a 401.
    if (outcome.status === 401) await store.remove(TOKEN, "current");
    return settle(claimed, now, outcome, token.fetched);
  }

  async function settle(event: PushTransmitEvent, now: Date, outcome: HttpOutcome, isTokenFetched: boolean): Promise<PushTransmitEvent> {
    const s = settings();
    const attempts = [...event.attempts, { at: now.toISOString(), http_status: outcome.status, error: outcome.error, token_fetched: isTokenFetched }];
    const base = { ...event, attempts, http_status: outcome.status, response_body: outcome.body, error: outcome.error, lease_until: null };
    const isOk = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const delayMs = Math.min(s.maxRetryDelayMs, s.initialRetryDelayMs * 2 ** (attempts.length - 1));
    const firstAt = Date.parse(attempts[0]?.at ?? now.toISOString());
    const isWithinWindow = now.getTime() + delayMs - firstAt <= s.retryWindowMs;
    if (!isOk && isRetryable(outcome.status) && isWithinWindow) {
      const next: PushTransmitEvent = { ...base, status: "pending", next_attempt_at: new Date(now.getTime() + delayMs).toISOString(), version: event.version + 1 };
      await store.put(OUTBOX, event.id, next);
      return next;
    }
    const final: PushTransmitEvent = { ...base, status: isOk ? "success" : "failed", next_attempt_at: null, version: event.version + 1 };
    await store.put(HISTORY, event.id, final);
    await store.remove(OUTBOX, event.id);
    if (!isOk) logger.warn("validic simulator push batch failed", { batchId: event.id, status: outcome.status, attempts: attempts.length });
    return final;
  }

  async function deliver(now: Date, isForced: boolean): Promise<PushTransmitEvent[]> {
    await formBatches(now, isForced);
    const outbox = await store.list<PushTransmitEvent>(OUTBOX);
    const due = outbox.filter((e) => isDue(e, now, isForced)).sort((a, b) => a.created_at.localeCompare(b.created_at));
    const results: PushTransmitEvent[] = [];
    // One at a time, in order, as a single Validic worker would, and so they share one token.
    for (const event of due) {
      const result = await attempt(event, now);
      if (result) results.push(result);
    }
    return results;
  }

  return {
    // Queues records for delivery (new and updated records both go out).
    enqueue,
    // Forms the batches whose trigger (size or interval) fired and makes every attempt that is due.
    deliverDue: (now = new Date()) => deliver(now, false),
    // Sends everything now: every queued record is batched and every unfinished batch is attempted.
    flush: (now = new Date()) => deliver(now, true),
    // Batches still being delivered and finished ones, newest first.
    async events(): Promise<PushTransmitEvent[]> {
      const [open, done] = await Promise.all([store.list<PushTransmitEvent>(OUTBOX), store.list<PushTransmitEvent>(HISTORY)]);
      return [...open, ...done].sort((a, b) => b.created_at.localeCompare(a.created_at));
    },
    // How many records wait for a batch.
    async pendingCount(): Promise<number> {
      return (await store.list<PendingRecord>(PENDING)).length;
    },
  };
}

// Validic retries 401, 403 and 5xx; a network failure is treated the same. Other codes fail the batch for good.
export function isRetryable(status: number | null): boolean {
  return status === null || status === 401 || status === 403 || (status >= 500 && status <= 599);
}

// A forced flush ignores the backoff schedule, but never an attempt another sender is making.
function isDue(event: PushTransmitEvent, now: Date, isForced: boolean): boolean {
  if (event.status === "pending") return isForced || (event.next_attempt_at !== null && Date.parse(event.next_attempt_at) <= now.getTime());
  // A sender that died mid-attempt leaves a lapsed lease; the batch is tried again.
  return event.status === "sending" && event.lease_until !== null && Date.parse(event.lease_until) <= now.getTime();
}

function groupByUser(records: ValidicRecordWire[]): ValidicRecordWire[][] {
  const groups = new Map<string, ValidicRecordWire[]>();
  for (const record of records) groups.set(record.user.user_id, [...(groups.get(record.user.user_id) ?? []), record]);
  return [...groups.values()];
}

// RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
function basicAuth(clientId: string, clientSecret: string): string {
  const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString("base64")}`;
}

async function send(url: string, init: RequestInit, timeoutMs: number): Promise<HttpOutcome> {
  try {
    const response = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.text()).slice(0, MAX_BODY_CHARS);
    return { status: response.status, body, error: null };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.name : "error";
    return { status: null, body: null, error: `network ${reason}` };
  }
}

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
