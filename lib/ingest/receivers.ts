import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { ingestDb, type IngestDb } from "@/lib/ingest/ingest-db";
import { createIngestGate, type IngestGate } from "@/lib/ingest/ingest-gate";
import { requirePushBearer } from "@/lib/ingest/push-tokens";
import { createFailureLimiter, type FailureLimiter } from "@/lib/ingest/rate-limit";
import { BODY_LIMITS, type DeliveryRequest, type RequestHeaders } from "@/lib/ingest/raw-body";
import { storeDelivery, type DeliveryVerdict, type StoredDelivery } from "@/lib/ingest/raw-store";
import { answerIngest, asWebHandler, jsonAnswer, unauthenticated, type IngestAnswer } from "@/lib/ingest/responses";
import { safeEqual } from "@/lib/ingest/secrets";
import { clientIp } from "@/lib/ingest/token-endpoint";
import { logger } from "@/lib/logger";
import { tenoviConfig } from "@/lib/vendors/config";
import { parseTenoviWebhookBody } from "@/lib/vendors/tenovi/webhook-schemas";
import { validicPushBatchSchema } from "@/lib/vendors/validic/record-schemas";

// What a receiver can be given instead of its defaults (tests: a database at a closed port, a smaller limit, a
// gate or limiter of their own).
export type ReceiverOptions = {
  db?: IngestDb;
  maxBodyBytes?: number;
  tenoviAuth?: { header: string; key: string };
  gate?: IngestGate;
  authLimiter?: FailureLimiter;
};

// Failed authentications allowed per source address (both receivers together) before they answer 429 for a while.
// Vendors send from a few addresses with one stored credential, so a source that keeps failing is misconfigured or
// guessing; either way its requests stop reaching the database.
export const RECEIVER_AUTH_FAILURE_LIMIT = { limit: 20, windowMs: 10 * 60_000 } as const;

const globalForReceivers = globalThis as unknown as { ingestGate?: IngestGate; receiverAuthLimiter?: FailureLimiter };

// The process-wide gate in front of the receivers' pool (one per process, shared by both routes).
function defaultGate(): IngestGate {
  globalForReceivers.ingestGate ??= createIngestGate();
  return globalForReceivers.ingestGate;
}

function defaultAuthLimiter(): FailureLimiter {
  globalForReceivers.receiverAuthLimiter ??= createFailureLimiter(RECEIVER_AUTH_FAILURE_LIMIT);
  return globalForReceivers.receiverAuthLimiter;
}

function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError("RATE_LIMITED", "Too many failed authentication attempts from this address; retry later.", { details: { retryAfterSeconds } });
}

// Checks the source's failure budget, runs the credential check, and counts a failed one. The failure that uses the
// budget up is audited (address and route only: never the presented credential).
async function authenticate(route: string, request: DeliveryRequest, options: ReceiverOptions, check: () => Promise<unknown> | unknown): Promise<void> {
  const limiter = options.authLimiter ?? defaultAuthLimiter();
  const sourceIp = clientIp(request);
  const key = `ip:${sourceIp}`;
  const wait = limiter.retryAfterSeconds(key);
  if (wait > 0) throw rateLimited(wait);
  try {
    await check();
  } catch (error) {
    if (!isAppError(error) || error.code !== "UNAUTHENTICATED") throw error;
    limiter.recordFailure(key);
    logger.warn("ingest authentication failed", { route, sourceIp });
    if (limiter.retryAfterSeconds(key) > 0) {
      logger.warn("ingest authentication rate limit reached", { route, sourceIp });
      await recordAudit(
        { actor: SYSTEM_ACTOR, action: "ingest.auth_rate_limited", outcome: "denied", targetType: "route", targetId: route, sourceIp },
        options.db ?? ingestDb(),
      ).catch((auditError: unknown) => logger.error("could not audit the ingest rate limit", { route, error: auditError instanceof Error ? auditError.name : "unknown" }));
    }
    throw error;
  }
}

function issuesText(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`).join("; ");
}

// A push batch must be `{id, data: [...], meta: {count}}`; its id is the delivery id either way, when there is one.
function judgeValidicBatch(payload: unknown): DeliveryVerdict {
  const parsed = validicPushBatchSchema.safeParse(payload);
  if (parsed.success) return { isValid: true, deliveryId: parsed.data.id };
  const id = typeof payload === "object" && payload !== null && "id" in payload ? payload.id : null;
  return { isValid: false, deliveryId: typeof id === "string" && id ? id : null, error: `not a Validic push batch: ${issuesText(parsed.error.issues)}` };
}

function judgeTenoviWebhook(payload: unknown): DeliveryVerdict {
  const parsed = parseTenoviWebhookBody(payload);
  return parsed.ok ? { isValid: true, deliveryId: null } : { isValid: false, deliveryId: null, error: `not a Tenovi webhook: ${parsed.error}` };
}

// 400 for a body that was stored but cannot be processed: the vendor learns why; the row keeps the body.
function rejected(event: StoredDelivery): IngestAnswer {
  return jsonAnswer(400, { error: "invalid_payload", message: event.error ?? "invalid payload", eventId: String(event.id) });
}

// 200 once the body is durably stored: the worker processes it (a failed event is retried or replayed, not re-sent).
function accepted(event: StoredDelivery): IngestAnswer {
  return jsonAnswer(200, { status: "accepted", eventId: String(event.id) });
}

// The token check; a failure that is not about the token (the database) is a 503, so Validic retries the batch.
async function checkBearer(client: IngestDb, request: DeliveryRequest): Promise<void> {
  try {
    await requirePushBearer(client, request);
  } catch (error) {
    if (isAppError(error)) throw error;
    logger.error("push token check failed", { error: error instanceof Error ? error.name : "unknown" });
    throw new AppError("DATABASE_UNAVAILABLE", "The token could not be checked; the delivery was not stored. Retry later.", {
      cause: error,
      details: { retryAfterSeconds: 30 },
    });
  }
}

// POST /api/ingest/validic: Validic's Push Service. Bearer token (issued by the token endpoint) → raw batch stored
// (one INSERT, which also wakes the worker) → 200; the worker processes it. 401 without a valid token, 429 after
// repeated failed tokens from one address, 413 over the limit, 400 (stored) for a body that is not a batch, 503 with
// Retry-After when the database cannot store it or the receiver is overloaded (Validic retries 401 and 5xx for up
// to 6 hours).
export function answerValidicPush(request: DeliveryRequest, options: ReceiverOptions = {}): Promise<IngestAnswer> {
  return answerIngest("validic-push", async () => {
    const client = options.db ?? ingestDb();
    const gate = options.gate ?? defaultGate();
    await authenticate("validic-push", request, options, () => gate.run(() => checkBearer(client, request)));
    const body = await request.readBody(options.maxBodyBytes ?? BODY_LIMITS.validicPush);
    const event = await storeDelivery(client, gate, { source: "validic_push", body, judge: judgeValidicBatch });
    if (event.status === "rejected") return rejected(event);
    return accepted(event);
  });
}

// Tenovi sends a static header per webhook, `<auth_header>: <auth_key>`, and no signature; compared in constant time.
export function requireTenoviWebhookAuth(request: { headers: RequestHeaders }, auth: { header: string; key: string }): void {
  if (!auth.key) throw new AppError("CONFIGURATION", "TENOVI_WEBHOOK_AUTH_KEY must be set when Tenovi is live.");
  const presented = request.headers.get(auth.header);
  if (presented !== null && safeEqual(presented, auth.key)) return;
  // The challenge names the key's scheme word ("Basic …") and never any part of a key without one.
  const scheme = /^([A-Za-z][A-Za-z-]{0,19}) \S/.exec(auth.key)?.[1] ?? "Basic";
  throw unauthenticated("Missing or wrong webhook credentials.", `${scheme} realm="pulseboard-tenovi-webhook"`);
}

// The configured webhook header. Against live Tenovi the simulator's published key is never accepted: without
// TENOVI_WEBHOOK_AUTH_KEY the receiver fails closed (500).
function configuredTenoviAuth(): { header: string; key: string } {
  const config = tenoviConfig();
  const isUnset = config.mode === "live" && !env.TENOVI_WEBHOOK_AUTH_KEY;
  return { header: config.webhookAuthHeader, key: isUnset ? "" : config.webhookAuthKey };
}

// POST /api/ingest/tenovi: Tenovi measurement, fulfillment and replacement webhooks (one object or an array).
// Header check → raw body stored (one INSERT, which also wakes the worker) → 200; the worker processes it in bulk.
// 401, 429 after repeated failures from one address, 413, 400 (stored) for a body that fits no webhook, 503 with
// Retry-After when it cannot be stored. Tenovi never retries, so the answer waits for the durable insert only.
export function answerTenoviWebhook(request: DeliveryRequest, options: ReceiverOptions = {}): Promise<IngestAnswer> {
  return answerIngest("tenovi-webhook", async () => {
    await authenticate("tenovi-webhook", request, options, () => requireTenoviWebhookAuth(request, options.tenoviAuth ?? configuredTenoviAuth()));
    const client = options.db ?? ingestDb();
    const body = await request.readBody(options.maxBodyBytes ?? BODY_LIMITS.tenoviWebhook);
    const event = await storeDelivery(client, options.gate ?? defaultGate(), { source: "tenovi_webhook", body, judge: judgeTenoviWebhook });
    if (event.status === "rejected") return rejected(event);
    return accepted(event);
  });
}

// The receivers for Next's route handlers (app/api/ingest) and the tests.
export const receiveValidicPush = asWebHandler(answerValidicPush);
export const receiveTenoviWebhook = asWebHandler(answerTenoviWebhook);
