import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { ingestDb, type IngestDb } from "@/lib/ingest/ingest-db";
import { processIngestEvent, type ProcessOptions, type ProcessOutcome } from "@/lib/ingest/process-ingest-event";
import { requirePushBearer } from "@/lib/ingest/push-tokens";
import { BODY_LIMITS, readBodyWithLimit } from "@/lib/ingest/raw-body";
import { storeDelivery, type DeliveryVerdict, type StoredDelivery } from "@/lib/ingest/raw-store";
import { answerIngest, jsonResponse, unauthenticated } from "@/lib/ingest/responses";
import { safeEqual } from "@/lib/ingest/secrets";
import { tenoviConfig } from "@/lib/vendors/config";
import { parseTenoviWebhookBody } from "@/lib/vendors/tenovi/webhook-schemas";
import { validicPushBatchSchema } from "@/lib/vendors/validic/record-schemas";

// What a receiver can be given instead of its defaults (tests: a database at a closed port, a smaller limit).
export type ReceiverOptions = {
  db?: IngestDb;
  maxBodyBytes?: number;
  processOptions?: ProcessOptions;
  tenoviAuth?: { header: string; key: string };
};

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
function rejected(event: StoredDelivery): Response {
  return jsonResponse(400, { error: "invalid_payload", message: event.error ?? "invalid payload", eventId: String(event.id) });
}

// 200 once the body is stored, whatever processing made of it (a failed event is replayed, not re-sent).
function accepted(event: StoredDelivery, outcome: ProcessOutcome): Response {
  return jsonResponse(200, {
    status: "accepted",
    eventId: String(event.id),
    processing: outcome.status,
    ...(outcome.duplicateOf ? { duplicateOf: outcome.duplicateOf } : {}),
  });
}

// POST /api/ingest/validic: Validic's Push Service. Bearer token (issued by the token endpoint) → raw batch stored
// → processed → 200. 401 without a valid token, 413 over the limit, 400 (stored) for a body that is not a batch,
// 503 when the database cannot store it (Validic retries 401 and 5xx for up to 6 hours).
export function receiveValidicPush(request: Request, options: ReceiverOptions = {}): Promise<Response> {
  return answerIngest("validic-push", async () => {
    const client = options.db ?? ingestDb();
    await requirePushBearer(client, request);
    const body = await readBodyWithLimit(request, options.maxBodyBytes ?? BODY_LIMITS.validicPush);
    const event = await storeDelivery(client, { source: "validic_push", body, judge: judgeValidicBatch });
    if (event.status === "rejected") return rejected(event);
    return accepted(event, await processIngestEvent(event.id, options.processOptions));
  });
}

// Tenovi sends a static header per webhook, `<auth_header>: <auth_key>`, and no signature; compared in constant time.
export function requireTenoviWebhookAuth(request: Request, auth: { header: string; key: string }): void {
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
// Header check → raw body stored → processed → 200; 401, 413, or 400 (stored) for a body that fits no webhook.
export function receiveTenoviWebhook(request: Request, options: ReceiverOptions = {}): Promise<Response> {
  return answerIngest("tenovi-webhook", async () => {
    requireTenoviWebhookAuth(request, options.tenoviAuth ?? configuredTenoviAuth());
    const client = options.db ?? ingestDb();
    const body = await readBodyWithLimit(request, options.maxBodyBytes ?? BODY_LIMITS.tenoviWebhook);
    const event = await storeDelivery(client, { source: "tenovi_webhook", body, judge: judgeTenoviWebhook });
    if (event.status === "rejected") return rejected(event);
    return accepted(event, await processIngestEvent(event.id, options.processOptions));
  });
}
