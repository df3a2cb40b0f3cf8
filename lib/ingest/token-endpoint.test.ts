import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// A second active pair, as during a secret rotation; set before lib/env.ts reads the environment.
vi.hoisted(() => {
  process.env.VALIDIC_PUSH_CREDENTIALS_EXTRA = "pulseboard-rotated:n3w+secret/with%chars";
});

import { POST as pushRoute } from "@/app/api/ingest/validic/route";
import { POST as tokenRoute } from "@/app/api/ingest/validic/token/route";
import { db } from "@/lib/db";
import { pushBatch } from "@/lib/ingest/payload-fixtures";
import { createFailureLimiter } from "@/lib/ingest/rate-limit";
import { handleTokenRequest } from "@/lib/ingest/token-endpoint";
import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";

const PRIMARY = { id: SIMULATOR_CREDENTIALS.validic.pushClientId, secret: SIMULATOR_CREDENTIALS.validic.pushClientSecret };
const ROTATED = { id: "pulseboard-rotated", secret: "n3w+secret/with%chars" };
const TOKEN_URL = "http://pulseboard.test/api/ingest/validic/token";

// Every request comes from its own address so the shared failure limiter never links two tests.
function freshIp(): string {
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
}

function basic(id: string, secret: string, encode = true): string {
  const part = (value: string) => (encode ? encodeURIComponent(value).replace(/%20/g, "+") : value);
  return `Basic ${Buffer.from(`${part(id)}:${part(secret)}`).toString("base64")}`;
}

function tokenRequest(options: { form?: string; authorization?: string; contentType?: string; ip?: string }): Request {
  const headers: Record<string, string> = {
    "Content-Type": options.contentType ?? "application/x-www-form-urlencoded",
    "X-Forwarded-For": options.ip ?? freshIp(),
  };
  if (options.authorization) headers.Authorization = options.authorization;
  return new Request(TOKEN_URL, { method: "POST", headers, body: options.form ?? "grant_type=client_credentials" });
}

function pushRequest(token: string, body: unknown = pushBatch([])): Request {
  return new Request("http://pulseboard.test/api/ingest/validic", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function expectOAuthError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("cache-control")).toMatch(/\bno-store\b/);
  const body = (await response.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  expect(body.error_description).toEqual(expect.any(String));
}

describe("Validic push token endpoint (ASSUMPTION: RFC 6749 §4.4 client credentials)", () => {
  it("issues a bearer token to HTTP Basic client auth, stores only its SHA-256, and forbids caching", async () => {
    const response = await tokenRoute(tokenRequest({ authorization: basic(PRIMARY.id, PRIMARY.secret) }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/\bno-store\b/);
    expect(response.headers.get("pragma")).toBe("no-cache");
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(3600);
    expect(Buffer.from(body.access_token, "base64url").length).toBeGreaterThanOrEqual(32);
    const stored = await db.pushAccessToken.findUniqueOrThrow({ where: { tokenHash: createHash("sha256").update(body.access_token).digest("hex") } });
    expect(stored.clientId).toBe(PRIMARY.id);
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(3590_000);
    expect(await db.pushAccessToken.count({ where: { tokenHash: body.access_token } })).toBe(0);
  });

  it("accepts client_id/client_secret in the form body (§2.3.1)", async () => {
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: PRIMARY.id, client_secret: PRIMARY.secret }).toString();
    const response = await tokenRoute(tokenRequest({ form }));
    expect(response.status).toBe(200);
  });

  it("answers invalid_request when grant_type is missing or empty (§3.1: empty means omitted)", async () => {
    const auth = basic(PRIMARY.id, PRIMARY.secret);
    await expectOAuthError(await tokenRoute(tokenRequest({ authorization: auth, form: "" })), 400, "invalid_request");
    await expectOAuthError(await tokenRoute(tokenRequest({ authorization: auth, form: "grant_type=" })), 400, "invalid_request");
  });

  it("answers unsupported_grant_type for any grant but client_credentials", async () => {
    const auth = basic(PRIMARY.id, PRIMARY.secret);
    await expectOAuthError(await tokenRoute(tokenRequest({ authorization: auth, form: "grant_type=password" })), 400, "unsupported_grant_type");
    await expectOAuthError(await tokenRoute(tokenRequest({ authorization: auth, form: "grant_type=authorization_code" })), 400, "unsupported_grant_type");
  });

  it("rejects a request that uses Basic and body credentials together (§2.3: one method only)", async () => {
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: PRIMARY.id, client_secret: PRIMARY.secret }).toString();
    const response = await tokenRoute(tokenRequest({ authorization: basic(PRIMARY.id, PRIMARY.secret), form }));
    await expectOAuthError(response, 400, "invalid_request");
  });

  it("rejects repeated parameters (§3.2) and a body that is not form-encoded", async () => {
    const auth = basic(PRIMARY.id, PRIMARY.secret);
    await expectOAuthError(
      await tokenRoute(tokenRequest({ authorization: auth, form: "grant_type=client_credentials&grant_type=client_credentials" })),
      400,
      "invalid_request",
    );
    const json = tokenRequest({ authorization: auth, contentType: "application/json", form: JSON.stringify({ grant_type: "client_credentials" }) });
    await expectOAuthError(await tokenRoute(json), 400, "invalid_request");
  });

  it("answers 401 invalid_client with a Basic challenge for a wrong secret sent by Basic", async () => {
    const response = await tokenRoute(tokenRequest({ authorization: basic(PRIMARY.id, "wrong-secret") }));
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm="[^"]+"/);
    await expectOAuthError(response, 401, "invalid_client");
  });

  it("answers 401 invalid_client for a wrong body secret, an unknown client, no credentials and a non-Basic scheme", async () => {
    const wrongBody = new URLSearchParams({ grant_type: "client_credentials", client_id: PRIMARY.id, client_secret: "nope" }).toString();
    await expectOAuthError(await tokenRoute(tokenRequest({ form: wrongBody })), 401, "invalid_client");
    await expectOAuthError(await tokenRoute(tokenRequest({ authorization: basic("stranger", PRIMARY.secret) })), 401, "invalid_client");
    const none = await tokenRoute(tokenRequest({}));
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic /);
    await expectOAuthError(none, 401, "invalid_client");
    await expectOAuthError(await tokenRoute(tokenRequest({ authorization: "Bearer abc" })), 401, "invalid_client");
  });

  it("answers 400 invalid_request for client_secret without client_id, and 413 for an oversized body", async () => {
    await expectOAuthError(await tokenRoute(tokenRequest({ form: "grant_type=client_credentials&client_secret=x" })), 400, "invalid_request");
    const huge = `grant_type=client_credentials&pad=${"x".repeat(20_000)}`;
    await expectOAuthError(await tokenRoute(tokenRequest({ authorization: basic(PRIMARY.id, PRIMARY.secret), form: huge })), 413, "invalid_request");
  });

  it("accepts both active pairs during a rotation (VALIDIC_PUSH_CREDENTIALS_EXTRA), with or without form-encoding in Basic", async () => {
    for (const authorization of [basic(PRIMARY.id, PRIMARY.secret), basic(ROTATED.id, ROTATED.secret), basic(ROTATED.id, ROTATED.secret, false)]) {
      const response = await tokenRoute(tokenRequest({ authorization }));
      expect(response.status).toBe(200);
      const { access_token } = (await response.json()) as { access_token: string };
      expect((await pushRoute(pushRequest(access_token))).status).toBe(200);
    }
    const mixed = await tokenRoute(tokenRequest({ authorization: basic(ROTATED.id, PRIMARY.secret) }));
    await expectOAuthError(mixed, 401, "invalid_client");
  });

  it("answers 429 with Retry-After once an address has failed too often, even with the right secret, until the window passes", async () => {
    const ipLimiter = createFailureLimiter({ limit: 3, windowMs: 60_000 });
    const clientIdLimiter = createFailureLimiter({ limit: 100, windowMs: 60_000 });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      const response = await handleTokenRequest(tokenRequest({ ip, authorization: basic(PRIMARY.id, `wrong-${i}`) }), { ipLimiter, clientIdLimiter });
      expect(response.status).toBe(401);
    }
    const limited = await handleTokenRequest(tokenRequest({ ip, authorization: basic(PRIMARY.id, PRIMARY.secret) }), { ipLimiter, clientIdLimiter });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const otherIp = await handleTokenRequest(tokenRequest({ authorization: basic(PRIMARY.id, PRIMARY.secret) }), { ipLimiter, clientIdLimiter });
    expect(otherIp.status).toBe(200);
    expect(ipLimiter.retryAfterSeconds(`ip:${ip}`, Date.now() + 61_000)).toBe(0);
  });

  it("limits failures per client id too, across addresses", async () => {
    const ipLimiter = createFailureLimiter({ limit: 100, windowMs: 60_000 });
    const clientIdLimiter = createFailureLimiter({ limit: 2, windowMs: 60_000 });
    const clientId = `guess-${randomUUID()}`;
    for (let i = 0; i < 2; i++) await handleTokenRequest(tokenRequest({ authorization: basic(clientId, "x") }), { ipLimiter, clientIdLimiter });
    const limited = await handleTokenRequest(tokenRequest({ authorization: basic(clientId, "x") }), { ipLimiter, clientIdLimiter });
    expect(limited.status).toBe(429);
  });

  it("uses a configurable token lifetime", async () => {
    const response = await handleTokenRequest(tokenRequest({ authorization: basic(PRIMARY.id, PRIMARY.secret) }), { tokenLifetimeSeconds: 120 });
    expect(((await response.json()) as { expires_in: number }).expires_in).toBe(120);
  });
});

describe("bearer check at the push receiver (RFC 6750)", () => {
  async function token(): Promise<string> {
    const response = await tokenRoute(tokenRequest({ authorization: basic(PRIMARY.id, PRIMARY.secret) }));
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it("rejects an expired token with 401 and error=invalid_token", async () => {
    const accessToken = await token();
    await db.pushAccessToken.update({
      where: { tokenHash: createHash("sha256").update(accessToken).digest("hex") },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const response = await pushRoute(pushRequest(accessToken));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
  });

  it("rejects a missing, unknown or malformed bearer with 401 and a Bearer challenge, without storing anything", async () => {
    const batch = pushBatch([]);
    const before = await db.ingestEvent.count({ where: { deliveryId: batch.id } });
    const missing = await pushRoute(new Request("http://pulseboard.test/api/ingest/validic", { method: "POST", body: JSON.stringify(batch) }));
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="pulseboard-validic-push"');
    expect((await pushRoute(pushRequest("not-a-real-token", batch))).status).toBe(401);
    const malformed = new Request("http://pulseboard.test/api/ingest/validic", { method: "POST", headers: { Authorization: "Basic abc" }, body: "{}" });
    expect((await pushRoute(malformed)).status).toBe(401);
    expect(await db.ingestEvent.count({ where: { deliveryId: batch.id } })).toBe(before);
  });

  it("accepts a valid token", async () => {
    expect((await pushRoute(pushRequest(await token()))).status).toBe(200);
  });
});
