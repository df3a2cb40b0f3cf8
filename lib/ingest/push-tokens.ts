import { randomBytes } from "node:crypto";

import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { IngestDb } from "@/lib/ingest/ingest-db";
import type { RequestHeaders } from "@/lib/ingest/raw-body";
import { unauthenticated } from "@/lib/ingest/responses";
import { digestEqual, sha256Hex } from "@/lib/ingest/secrets";
import { validicConfig } from "@/lib/vendors/config";

// One client id/secret pair Validic's Push Service may use at the token endpoint.
export type PushCredential = { clientId: string; clientSecret: string };

// Token lifetime (seconds, overridable per endpoint) and entropy (random bytes).
export const PUSH_TOKEN_DEFAULTS = { lifetimeSeconds: 3600, tokenBytes: 32 } as const;
// The protection space named in both challenges: Basic at the token endpoint, Bearer at the receiver.
export const PUSH_REALM = "pulseboard-validic-push";

// Every active pair: the configured one plus VALIDIC_PUSH_CREDENTIALS_EXTRA, so a rotation can run with old and
// new secrets both accepted until Validic has switched. Against live Validic the simulator's published pair is
// never accepted: without VALIDIC_PUSH_CLIENT_ID/SECRET the endpoint fails closed (500).
export function activePushCredentials(): PushCredential[] {
  const { mode, pushClientId, pushClientSecret } = validicConfig();
  if (mode === "live" && (!env.VALIDIC_PUSH_CLIENT_ID || !env.VALIDIC_PUSH_CLIENT_SECRET)) {
    throw new AppError("CONFIGURATION", "VALIDIC_PUSH_CLIENT_ID and VALIDIC_PUSH_CLIENT_SECRET must be set when Validic is live.");
  }
  const extra = (env.VALIDIC_PUSH_CREDENTIALS_EXTRA ?? "")
    .split(",")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .flatMap((pair) => {
      const colon = pair.indexOf(":");
      return colon > 0 ? [{ clientId: pair.slice(0, colon), clientSecret: pair.slice(colon + 1) }] : [];
    });
  return [{ clientId: pushClientId, clientSecret: pushClientSecret }, ...extra];
}

// Finds the pair matching the presented id and secret. Every pair is compared, through fixed-length digests, so
// neither which pair matched nor how much of a secret was right shows in the timing.
export function matchPushCredential(credentials: PushCredential[], clientId: string, clientSecret: string): PushCredential | null {
  let match: PushCredential | null = null;
  for (const credential of credentials) {
    const isIdEqual = digestEqual(clientId, credential.clientId);
    const isSecretEqual = digestEqual(clientSecret, credential.clientSecret);
    if (isIdEqual && isSecretEqual && !match) match = credential;
  }
  return match;
}

// Issues a random bearer token for a push client and stores only its SHA-256, with its expiry.
export async function issuePushToken(
  client: IngestDb,
  clientId: string,
  options: { lifetimeSeconds: number; now?: Date },
): Promise<{ accessToken: string; expiresIn: number }> {
  const now = options.now ?? new Date();
  const accessToken = randomBytes(PUSH_TOKEN_DEFAULTS.tokenBytes).toString("base64url");
  const expiresAt = new Date(now.getTime() + options.lifetimeSeconds * 1000);
  await client.pushAccessToken.create({ data: { tokenHash: sha256Hex(accessToken), clientId, expiresAt } });
  // Expired tokens are useless; dropping those older than a day keeps the table small without a separate job.
  await client.pushAccessToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 86_400_000) } } });
  return { accessToken, expiresIn: options.lifetimeSeconds };
}

function bearerChallenge(error?: { code: string; description: string }): string {
  const base = `Bearer realm="${PUSH_REALM}"`;
  return error ? `${base}, error="${error.code}", error_description="${error.description}"` : base;
}

// Tokens found valid recently, by hash, so a burst of pushes with one token costs one lookup (a token is only ever
// deleted a day after it expired, and expiry is checked on every use).
const KNOWN_TOKEN_TTL_MS = 60_000;
const KNOWN_TOKEN_MAX = 1_000;
const knownTokens = (() => {
  const entries = new Map<string, { clientId: string; expiresAt: Date; until: number }>();
  return {
    get(hash: string, now: Date) {
      const entry = entries.get(hash);
      return entry && entry.until > now.getTime() ? entry : undefined;
    },
    remember(hash: string, row: { clientId: string; expiresAt: Date }, now: Date) {
      if (entries.has(hash)) return;
      if (entries.size >= KNOWN_TOKEN_MAX) entries.clear();
      entries.set(hash, { clientId: row.clientId, expiresAt: row.expiresAt, until: now.getTime() + KNOWN_TOKEN_TTL_MS });
    },
  };
})();

// Checks `Authorization: Bearer <token>` against the stored hashes (RFC 6750): throws UNAUTHENTICATED carrying the
// WWW-Authenticate challenge when the header is missing, malformed, unknown or expired. Returns the client id.
export async function requirePushBearer(client: IngestDb, request: { headers: RequestHeaders }, now = new Date()): Promise<string> {
  const header = request.headers.get("authorization");
  if (!header) throw unauthenticated("A bearer token is required.", bearerChallenge());
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  const token = match?.[1];
  // RFC 6750 would answer a malformed header 400 invalid_request, but Validic drops a batch for good on 400 and
  // retries a 401 with a fresh token, so this is a 401 too.
  if (!token) {
    throw unauthenticated("The Authorization header is not a bearer token.", bearerChallenge({ code: "invalid_token", description: "Expected a bearer token" }));
  }
  // Looked up by hash: the database compares digests, so the token itself is never compared character by character.
  const tokenHash = sha256Hex(token);
  const row = knownTokens.get(tokenHash, now) ?? (await client.pushAccessToken.findUnique({ where: { tokenHash } }));
  if (row) knownTokens.remember(tokenHash, row, now);
  if (!row) throw unauthenticated("The bearer token is not valid.", bearerChallenge({ code: "invalid_token", description: "The access token is invalid" }));
  if (row.expiresAt <= now) {
    throw unauthenticated("The bearer token has expired.", bearerChallenge({ code: "invalid_token", description: "The access token expired" }));
  }
  return row.clientId;
}
