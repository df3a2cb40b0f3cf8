import { isAppError } from "@/lib/errors";
import { ingestDb, type IngestDb } from "@/lib/ingest/ingest-db";
import {
  activePushCredentials,
  issuePushToken,
  matchPushCredential,
  PUSH_REALM,
  PUSH_TOKEN_DEFAULTS,
  type PushCredential,
} from "@/lib/ingest/push-tokens";
import { createFailureLimiter, type FailureLimiter } from "@/lib/ingest/rate-limit";
import { BODY_LIMITS, type DeliveryRequest, type RequestHeaders } from "@/lib/ingest/raw-body";
import { answerIngest, asWebHandler, jsonAnswer, type IngestAnswer } from "@/lib/ingest/responses";
import { logger } from "@/lib/logger";

// ASSUMPTION (vendor-notes §2 Push Service): Validic's token request follows RFC 6749 §4.4, client credentials,
// with the client authenticating by HTTP Basic or by client_id/client_secret in the form body (§2.3.1).

const BASIC_CHALLENGE = `Basic realm="${PUSH_REALM}", charset="UTF-8"`;

// Failed attempts allowed per client IP and per client id before the endpoint answers 429 for a while.
export const TOKEN_FAILURE_LIMITS = {
  perIp: { limit: 10, windowMs: 10 * 60_000 },
  perClientId: { limit: 20, windowMs: 10 * 60_000 },
} as const;

// Overrides for tests: database, credentials, token lifetime, limiters, clock.
export type TokenEndpointOptions = {
  db?: IngestDb;
  credentials?: () => PushCredential[];
  tokenLifetimeSeconds?: number;
  ipLimiter?: FailureLimiter;
  clientIdLimiter?: FailureLimiter;
  now?: () => Date;
};

const defaultIpLimiter = createFailureLimiter(TOKEN_FAILURE_LIMITS.perIp);
const defaultClientIdLimiter = createFailureLimiter(TOKEN_FAILURE_LIMITS.perClientId);

type OAuthErrorCode = "invalid_request" | "invalid_client" | "unsupported_grant_type";

// RFC 6749 §5.2 error answer.
function oauthError(status: number, error: OAuthErrorCode, description: string, headers?: Record<string, string>): IngestAnswer {
  return jsonAnswer(status, { error, error_description: description }, { Pragma: "no-cache", ...headers });
}

// Route handlers see no socket: the client address arrives in X-Forwarded-For, which the production web process
// settles to the one address it trusts (lib/client-address.ts, TRUSTED_PROXY_HOPS).
export function clientIp(request: { headers: RequestHeaders }): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip")?.trim() || "unknown";
}

type ClientAuth =
  | { method: "basic"; clientId: string; secretCandidates: string[] }
  | { method: "body"; clientId: string; secret: string | null }
  | { method: "none" };

type ParsedTokenRequest = { ok: true; auth: ClientAuth } | { ok: false; response: IngestAnswer };

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

// Basic credentials are form-urlencoded before base64 (§2.3.1), though many clients skip that step, so the raw and
// the decoded readings of the secret are both tried. Null when the header is not well-formed Basic.
function parseBasic(header: string): { clientId: string; secretCandidates: string[] } | null {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return null;
  const rawId = decoded.slice(0, colon);
  const rawSecret = decoded.slice(colon + 1);
  return { clientId: formDecode(rawId), secretCandidates: [...new Set([formDecode(rawSecret), rawSecret])] };
}

function invalidClient(description: string): IngestAnswer {
  return oauthError(401, "invalid_client", description, { "WWW-Authenticate": BASIC_CHALLENGE });
}

function parseTokenRequest(request: DeliveryRequest, form: URLSearchParams): ParsedTokenRequest {
  const fail = (response: IngestAnswer): ParsedTokenRequest => ({ ok: false, response });
  for (const key of new Set(form.keys())) {
    if (form.getAll(key).length > 1) return fail(oauthError(400, "invalid_request", `Parameter ${key} is repeated.`));
  }
  // §3.1: a parameter sent without a value is treated as omitted.
  const param = (name: string) => form.get(name) || null;
  const grantType = param("grant_type");
  const bodyId = param("client_id");
  const bodySecret = param("client_secret");
  const header = request.headers.get("authorization");

  if (header && (bodyId !== null || bodySecret !== null)) {
    return fail(oauthError(400, "invalid_request", "Use one client authentication method: HTTP Basic or client_id/client_secret, not both."));
  }
  if (!header && bodySecret !== null && bodyId === null) return fail(oauthError(400, "invalid_request", "client_secret was sent without client_id."));
  if (grantType === null) return fail(oauthError(400, "invalid_request", "Parameter grant_type is required."));
  if (grantType !== "client_credentials") return fail(oauthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported."));

  if (header) {
    const basic = parseBasic(header);
    if (!basic) return fail(invalidClient("Client authentication must be HTTP Basic with client_id:client_secret."));
    return { ok: true, auth: { method: "basic", ...basic } };
  }
  if (bodyId !== null) return { ok: true, auth: { method: "body", clientId: bodyId, secret: bodySecret } };
  return { ok: true, auth: { method: "none" } };
}

function isFormEncoded(request: DeliveryRequest): boolean {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type === "application/x-www-form-urlencoded";
}

function tooManyAttempts(retryAfterSeconds: number): IngestAnswer {
  return oauthError(429, "invalid_request", "Too many failed authentication attempts; retry later.", { "Retry-After": String(retryAfterSeconds) });
}

// POST /api/ingest/validic/token: the OAuth2 token endpoint Validic's Push Service calls for a bearer token.
// Failed client authentications are counted per client IP and per client id; past the limit the endpoint answers
// 429 with Retry-After (even to correct credentials) until the window slides on.
export function answerTokenRequest(request: DeliveryRequest, options: TokenEndpointOptions = {}): Promise<IngestAnswer> {
  return answerIngest("validic-token", async () => {
    const ipLimiter = options.ipLimiter ?? defaultIpLimiter;
    const clientIdLimiter = options.clientIdLimiter ?? defaultClientIdLimiter;
    const ipKey = `ip:${clientIp(request)}`;
    const ipWait = ipLimiter.retryAfterSeconds(ipKey);
    if (ipWait > 0) return tooManyAttempts(ipWait);

    if (!isFormEncoded(request)) return oauthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded.");
    let bodyText: string;
    try {
      bodyText = new TextDecoder().decode(await request.readBody(BODY_LIMITS.tokenRequest));
    } catch (error) {
      if (isAppError(error) && error.code === "PAYLOAD_TOO_LARGE") return oauthError(413, "invalid_request", error.message);
      throw error;
    }
    const parsed = parseTokenRequest(request, new URLSearchParams(bodyText));
    if (!parsed.ok) {
      if (parsed.response.status === 401) ipLimiter.recordFailure(ipKey);
      return parsed.response;
    }
    const { auth } = parsed;
    if (auth.method === "none") {
      ipLimiter.recordFailure(ipKey);
      return invalidClient("Client authentication is required.");
    }

    const clientKey = `client:${auth.clientId}`;
    const clientWait = clientIdLimiter.retryAfterSeconds(clientKey);
    if (clientWait > 0) return tooManyAttempts(clientWait);
    const credentials = (options.credentials ?? activePushCredentials)();
    const secrets = auth.method === "basic" ? auth.secretCandidates : auth.secret === null ? [] : [auth.secret];
    const match = secrets.map((secret) => matchPushCredential(credentials, auth.clientId, secret)).find(Boolean) ?? null;
    if (!match) {
      ipLimiter.recordFailure(ipKey);
      clientIdLimiter.recordFailure(clientKey);
      logger.warn("push token request refused", { method: auth.method });
      return invalidClient("Client authentication failed.");
    }

    const lifetimeSeconds = options.tokenLifetimeSeconds ?? PUSH_TOKEN_DEFAULTS.lifetimeSeconds;
    const token = await issuePushToken(options.db ?? ingestDb(), match.clientId, { lifetimeSeconds, now: options.now?.() });
    return jsonAnswer(200, { access_token: token.accessToken, token_type: "Bearer", expires_in: token.expiresIn }, { Pragma: "no-cache" });
  });
}

// The token endpoint for Next's route handler (app/api/ingest/validic/token) and the tests.
export const handleTokenRequest = asWebHandler(answerTokenRequest);
