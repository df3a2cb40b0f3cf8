import type { Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors";
import { VendorHttpError } from "@/lib/vendors/base-client";
import { createSimulatorServer } from "@/lib/vendors/simulator-server";
import type { SimContext, SimRoute, VendorSimulator } from "@/lib/vendors/simulator-kit";
import { createSmartzClient, SmartzClient, type SmartzClientOptions } from "@/lib/vendors/smartz/client";
import { SMARTZ_SEED } from "@/lib/vendors/smartz/fixtures";
import { DEFAULT_SMARTZ_TOKEN_REQUEST } from "@/lib/vendors/smartz/protocol";
import { isKnownSmartzEventType, type SmartzEvent } from "@/lib/vendors/smartz/schemas";
import {
  APIM_MESSAGES,
  createSmartzSimulator,
  defaultSmartzSimulatorSettings,
  emitDayOfEvents,
  emitEventNow,
  type SmartzSimulator,
} from "@/lib/vendors/smartz/simulator";

// All tests that drive the Smartz simulator live in this file: its state is per vendor in the shared test database,
// so two files resetting it in parallel would break each other.

type Seen = { method: string; path: string; search: URLSearchParams; headers: Headers; body: string; status: number; at: number };
type Override = (ctx: SimContext) => Promise<Response | null> | Response | null;

const KEY = defaultSmartzSimulatorSettings().subscriptionKeys[0] ?? "";
const SECONDARY_KEY = defaultSmartzSimulatorSettings().subscriptionKeys[1] ?? "";
const APP_ID = defaultSmartzSimulatorSettings().appId;
const APP_KEY = defaultSmartzSimulatorSettings().appKey;
const TOKEN_PATH = "/smartz/v1/token";
const WORN = "pat-3001";
const UNWORN = "pat-3004";

let simulator: SmartzSimulator;
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let override: Override | null = null;

// Wraps each route so the test sees every request (headers included) and can replace an answer.
function observed(sim: VendorSimulator): VendorSimulator {
  const watch =
    (handler: SimRoute["handler"]): SimRoute["handler"] =>
    async (ctx) => {
      const response = (await override?.(ctx)) ?? (await handler(ctx));
      const { request, url, bodyText } = ctx;
      seen.push({ method: request.method, path: url.pathname, search: url.searchParams, headers: request.headers, body: bodyText, status: response.status, at: Date.now() });
      return response;
    };
  const fallback = sim.fallback;
  return {
    ...sim,
    routes: sim.routes.map((route) => ({ ...route, handler: watch(route.handler) })),
    fallback: fallback ? async (ctx) => watch(async (c) => (await fallback(c)) ?? new Response(null, { status: 500 }))(ctx) : undefined,
  };
}

beforeAll(async () => {
  simulator = createSmartzSimulator();
  server = createSimulatorServer([observed(simulator)]);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/smartz`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(async () => {
  await simulator.reset();
  simulator.configure({ ...defaultSmartzSimulatorSettings(), rateLimit: null });
  seen = [];
  override = null;
});

function client(options: Partial<SmartzClientOptions> = {}): SmartzClient {
  return new SmartzClient({ baseUrl, appId: APP_ID, appKey: APP_KEY, subscriptionKey: KEY, http: { baseDelayMs: 1, maxDelayMs: 5 }, ...options });
}

async function failure(promise: Promise<unknown>): Promise<VendorHttpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof VendorHttpError)) throw new Error(`expected a VendorHttpError, got ${String(error)}`);
  return error;
}

function raw(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${baseUrl}${path}`, init);
}

async function rawToken(headers: Record<string, string> = { "x-sub-key": KEY }): Promise<string> {
  const response = await raw("/v1/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: APP_ID, client_secret: APP_KEY }).toString(),
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header = "", payload = ""] = token.split(".");
  const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  return { header: decode(header), payload: decode(payload) };
}

const tokenRequests = () => seen.filter((s) => s.path === TOKEN_PATH);
const resourceRequests = () => seen.filter((s) => s.path !== TOKEN_PATH);

// A small deterministic random source so event tests do not depend on luck.
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe("SmartzClient: read-only Organisation API", () => {
  it("gets the organisation the application is linked to", async () => {
    await expect(client().getOrganisation()).resolves.toEqual(SMARTZ_SEED.organisation);
    expect(resourceRequests().map((s) => `${s.method} ${s.path}`)).toEqual(["GET /smartz/v1/organisation"]);
  });

  it("lists manufacturers and their products, filtered by manufacturer", async () => {
    const smartz = client();
    await expect(smartz.listManufacturers()).resolves.toEqual(SMARTZ_SEED.manufacturers);
    await expect(smartz.listProducts()).resolves.toHaveLength(3);
    const products = await smartz.listProducts({ manufacturerId: "mfr-1001" });
    expect(products.map((p) => p.id)).toEqual(["prd-2001", "prd-2002", "prd-2003"]);
    await expect(smartz.listProducts({ manufacturerId: "mfr-none" })).resolves.toEqual([]);
    expect(resourceRequests().map((s) => s.search.get("manufacturerId"))).toEqual([null, null, "mfr-1001", "mfr-none"]);
  });

  it("lists pods and nodes, together or by type", async () => {
    const smartz = client();
    const all = await smartz.listDevices();
    expect(all).toHaveLength(6);
    const pods = await smartz.listDevices({ type: "pod" });
    expect(pods.map((d) => d.id)).toEqual(["pod-0201", "pod-0202", "pod-0203", "pod-0204"]);
    expect(pods.find((p) => p.id === "pod-0201")).toMatchObject({ patientId: WORN, nodeId: "node-0101", batteryLevel: 92 });
    const nodes = await smartz.listDevices({ type: "node" });
    expect(nodes.map((d) => d.type)).toEqual(["node", "node"]);
  });

  it("ASSUMPTION: follows nextCursor pages to the end of a list", async () => {
    simulator.configure({ pageSize: 4 });
    const devices = await client().listDevices();
    expect(devices.map((d) => d.id)).toEqual(SMARTZ_SEED.devices.map((d) => d.id).sort());
    expect(resourceRequests().map((s) => s.search.get("cursor"))).toEqual([null, "o:4"]);
  });

  it("refuses to read an endless list past maxPages", async () => {
    simulator.configure({ pageSize: 1 });
    const error = await client({ maxPages: 3 })
      .listPatients()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/more than 3 pages \(list patients\)/);
  });

  it("lists patients with their linked pods", async () => {
    const patients = await client().listPatients();
    expect(patients.map((p) => [p.id, p.podIds])).toEqual(SMARTZ_SEED.patients.map((p) => [p.id, p.podIds]));
  });

  it("gets a patient's status; a patient without a pod has no real-time status", async () => {
    const smartz = client();
    await expect(smartz.getPatientStatus(WORN)).resolves.toMatchObject({ patientId: WORN, diaperState: "dry", saturation: 0, podId: "pod-0201", podConnected: true });
    await emitDayOfEvents(WORN, { random: seededRandom(7) });
    const status = await smartz.getPatientStatus(WORN);
    expect(status.lastEventAt).not.toBeNull();
    expect(["dry", "damp", "wet", "soiled"]).toContain(status.diaperState);
    await expect(smartz.getPatientStatus(UNWORN)).resolves.toMatchObject({ diaperState: "unknown", podId: null, podConnected: false });
  });

  it("reports an unknown patient as NOT_FOUND with Smartz's message", async () => {
    const error = await failure(client().getPatientStatus("pat-missing"));
    expect(error.httpStatus).toBe(404);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.vendorMessage).toBe("Patient not found.");
  });

  it("ASSUMPTION: polls patient events with a since cursor, page by page, and then only what is new", async () => {
    const smartz = client();
    const empty = await smartz.listPatientEvents(WORN);
    expect(empty).toEqual({ items: [], nextCursor: null, hasMore: false });

    const day = await emitDayOfEvents(WORN, { random: seededRandom(42) });
    expect(day.length).toBeGreaterThan(5);
    const fetched: SmartzEvent[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page = await smartz.listPatientEvents(WORN, { since: cursor, limit: 4 });
      fetched.push(...page.items);
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(fetched).toEqual(day);

    const nothingNew = await smartz.listPatientEvents(WORN, { since: cursor });
    expect(nothingNew).toEqual({ items: [], nextCursor: cursor, hasMore: false });

    const now = await emitEventNow(WORN, { random: seededRandom(3) });
    const fresh = await smartz.listPatientEvents(WORN, { since: cursor });
    expect(fresh.items).toEqual(now);
    expect(resourceRequests().every((s) => s.status === 200)).toBe(true);
  });

  it("lists alerts raised by wet and bowel events, and only open ones on request", async () => {
    const smartz = client();
    await expect(smartz.listAlerts()).resolves.toEqual([]);
    const events = await emitDayOfEvents(WORN, { random: seededRandom(11) });
    const raising = events.filter((e) => e.type === "wet" || e.type === "bowel");
    expect(raising.length).toBeGreaterThan(0);
    const alerts = await smartz.listAlerts();
    expect(alerts).toHaveLength(raising.length);
    expect(alerts.every((a) => a.patientId === WORN && a.severity === "high")).toBe(true);
    const open = await smartz.listAlerts({ status: "open" });
    expect(open.every((a) => a.status === "open" && a.resolvedAt === null)).toBe(true);
    expect(open.length).toBeLessThanOrEqual(alerts.length);
  });

  it("builds from the configured Smartz settings", async () => {
    const smartz = createSmartzClient({ mode: "simulator", baseUrl, appId: APP_ID, appKey: APP_KEY, subscriptionKey: SECONDARY_KEY });
    await expect(smartz.getOrganisation()).resolves.toMatchObject({ id: SMARTZ_SEED.organisation.id });
  });
});

describe("SmartzClient: authentication", () => {
  it("ASSUMPTION: requests the token with a form body grant_type, client_id and client_secret, and x-sub-key", async () => {
    await client().getOrganisation();
    const [token] = tokenRequests();
    expect(tokenRequests()).toHaveLength(1);
    expect(token?.method).toBe("POST");
    expect(token?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(token?.headers.get("x-sub-key")).toBe(KEY);
    expect(token?.headers.get("authorization")).toBeNull();
    expect(token?.headers.get("ocp-apim-subscription-key")).toBeNull();
    const form = new URLSearchParams(token?.body);
    expect([...form.keys()].sort()).toEqual(["client_id", "client_secret", "grant_type"]);
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("client_id")).toBe(APP_ID);
    expect(form.get("client_secret")).toBe(APP_KEY);
  });

  it("ASSUMPTION: can send the token request as JSON with other field names", async () => {
    const tokenRequest = { encoding: "json" as const, fields: { grantType: "grantType", clientId: "appId", clientSecret: "appKey" } };
    simulator.configure({ tokenRequest });
    await client({ tokenRequest }).getOrganisation();
    const [token] = tokenRequests();
    expect(token?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(token?.body ?? "")).toEqual({ grantType: "client_credentials", appId: APP_ID, appKey: APP_KEY });
  });

  it("fails clearly, without retrying, when the token request encoding does not match what Smartz expects", async () => {
    simulator.configure({ tokenRequest: { ...DEFAULT_SMARTZ_TOKEN_REQUEST, encoding: "json" } });
    const error = await failure(client().listPatients());
    expect(error.httpStatus).toBe(400);
    expect(error.operation).toBe("request access token");
    expect(error.vendorMessage).toMatch(/Send a JSON body with grant_type, client_id, client_secret/);
    expect(await simulator.tokenRequestCount()).toBe(1);
    expect(resourceRequests()).toHaveLength(0);
  });

  it("sends x-sub-key and a JWT bearer on every call, and never APIM's default subscription header", async () => {
    const smartz = client();
    await smartz.getOrganisation();
    await smartz.listPatients();
    await smartz.getPatientStatus(WORN);
    await smartz.listPatientEvents(WORN);
    await smartz.listAlerts();
    expect(seen.length).toBe(6);
    for (const request of seen) {
      expect(request.headers.get("x-sub-key")).toBe(KEY);
      expect(request.headers.get("ocp-apim-subscription-key")).toBeNull();
    }
    for (const request of resourceRequests()) {
      const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(request.headers.get("authorization") ?? "");
      expect(match).not.toBeNull();
      expect(decodeJwt(match?.[1] ?? "").payload.exp).toEqual(expect.any(Number));
    }
  });

  it("requests exactly one token for 20 concurrent calls", async () => {
    const smartz = client();
    const results = await Promise.all(Array.from({ length: 20 }, () => smartz.listPatients()));
    expect(results.every((patients) => patients.length === 4)).toBe(true);
    expect(await simulator.tokenRequestCount()).toBe(1);
    expect(resourceRequests()).toHaveLength(20);
  });

  it("reuses the token until 60 s before it expires, then renews it while the old one still works", async () => {
    simulator.configure({ tokenLifetimeSeconds: 600 });
    let clock = Date.now();
    const smartz = client({ now: () => clock });
    await smartz.listPatients();
    clock += 539_000;
    await smartz.listPatients();
    expect(await simulator.tokenRequestCount()).toBe(1);
    clock += 2_000;
    await smartz.listPatients();
    expect(await simulator.tokenRequestCount()).toBe(2);
    const [first, second] = resourceRequests().map((s) => s.headers.get("authorization"));
    const third = resourceRequests()[2]?.headers.get("authorization");
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    // Renewed early: the simulator still accepts the first token.
    const stillValid = await raw("/v1/patients", { headers: { "x-sub-key": KEY, Authorization: first ?? "" } });
    expect(stillValid.status).toBe(200);
  });

  it("renews a few-seconds token halfway through its life rather than on every call", async () => {
    simulator.configure({ tokenLifetimeSeconds: 4 });
    let clock = Date.now();
    const smartz = client({ now: () => clock });
    await smartz.getOrganisation();
    clock += 1_900;
    await smartz.getOrganisation();
    expect(await simulator.tokenRequestCount()).toBe(1);
    clock += 200;
    await smartz.getOrganisation();
    expect(await simulator.tokenRequestCount()).toBe(2);
  });

  it("on a 401 for a revoked token, renews once and retries once", async () => {
    const smartz = client();
    await smartz.listPatients();
    await simulator.revokeTokens();
    seen = [];
    await expect(smartz.listPatients()).resolves.toHaveLength(4);
    expect(seen.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual(["GET /smartz/v1/patients 401", "POST /smartz/v1/token 200", "GET /smartz/v1/patients 200"]);
    expect(await simulator.tokenRequestCount()).toBe(2);
  });

  it("shares one renewal among 20 concurrent calls that all get a 401", async () => {
    const smartz = client();
    await smartz.getOrganisation();
    await simulator.revokeTokens();
    seen = [];
    // Stagger the 401s so some arrive after the renewal finished: those must not discard the new token.
    let arrivals = 0;
    override = async (ctx) => {
      if (ctx.url.pathname === "/smartz/v1/patients") await sleep(arrivals++ * 10);
      return null;
    };
    await Promise.all(Array.from({ length: 20 }, () => smartz.listPatients()));
    expect(await simulator.tokenRequestCount()).toBe(2);
    expect(resourceRequests().filter((s) => s.status === 200)).toHaveLength(20);
  });

  it("renews when Smartz says the token expired before the client expected", async () => {
    simulator.configure({ tokenLifetimeSeconds: 600 });
    const smartz = client();
    await smartz.getOrganisation();
    simulator.configure({ now: () => new Date(Date.now() + 601_000) });
    await expect(smartz.getOrganisation()).resolves.toMatchObject({ id: SMARTZ_SEED.organisation.id });
    expect(resourceRequests().map((s) => s.status)).toEqual([200, 401, 200]);
    expect(await simulator.tokenRequestCount()).toBe(2);
  });

  it("gives up after one renewal and one retry when Smartz keeps answering 401", async () => {
    override = (ctx) =>
      ctx.url.pathname === "/smartz/v1/patients" ? Response.json({ statusCode: 401, message: APIM_MESSAGES.invalidToken }, { status: 401 }) : null;
    const error = await failure(client().listPatients());
    expect(error.httpStatus).toBe(401);
    expect(error.message).toMatch(/Smartz refused Pulseboard's credentials \(list patients\)/);
    expect(error.vendorMessage).toBe(APIM_MESSAGES.invalidToken);
    expect(resourceRequests()).toHaveLength(2);
    expect(await simulator.tokenRequestCount()).toBe(2);
  });

  it("reports wrong App credentials from the token call, without the App Key or token in the error", async () => {
    const error = await failure(client({ appKey: "wrong-app-key-123" }).listPatients());
    expect(error.httpStatus).toBe(401);
    expect(error.operation).toBe("request access token");
    expect(error.vendorMessage).toBe("Client authentication failed.");
    expect(`${error.message} ${error.url} ${error.vendorMessage}`).not.toContain("wrong-app-key-123");
    expect(resourceRequests()).toHaveLength(0);
  });

  it("reports a wrong subscription key with APIM's message, redacted", async () => {
    const error = await failure(client({ subscriptionKey: "not-a-real-subscription-key" }).listPatients());
    expect(error.httpStatus).toBe(401);
    expect(error.vendorMessage).toBe(APIM_MESSAGES.invalidKey);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("not-a-real-subscription-key");
  });

  it("keeps the subscription key, App Key and bearer token out of error messages and urls", async () => {
    const smartz = client();
    await smartz.getOrganisation();
    const token = /^Bearer (.+)$/.exec(resourceRequests()[0]?.headers.get("authorization") ?? "")?.[1] ?? "";
    override = () => Response.json({ statusCode: 400, message: `Bad request from ${KEY} using Bearer ${token} (${APP_KEY}) ${token}` }, { status: 400 });
    const error = await failure(smartz.listAlerts());
    const text = `${error.message} ${error.url} ${error.vendorMessage}`;
    expect(token.length).toBeGreaterThan(20);
    for (const secret of [KEY, APP_KEY, token]) expect(text).not.toContain(secret);
  });

  it("ASSUMPTION: waits for Retry-After when rate-limited, then succeeds", async () => {
    const smartz = client();
    // Token and seed first, so the two limited calls below follow each other closely.
    await smartz.getOrganisation();
    seen = [];
    // Start the simulator's clock at the beginning of a one-second window so both calls fall in the same window.
    const offset = Math.ceil(Date.now() / 1000) * 1000 - Date.now();
    simulator.configure({ rateLimit: { requests: 1, windowSeconds: 1 }, now: () => new Date(Date.now() + offset) });
    await smartz.listPatients();
    await expect(smartz.listManufacturers()).resolves.toHaveLength(1);
    const [ok, limited, retried] = resourceRequests();
    expect(limited?.path).toBe("/smartz/v1/manufacturers");
    expect([ok?.status, limited?.status, retried?.status]).toEqual([200, 429, 200]);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });
});

describe("Smartz simulator: gateway checks", () => {
  it("answers a request without x-sub-key with APIM's 401, on the token call and on resources", async () => {
    for (const response of [await raw("/v1/token", { method: "POST" }), await raw("/v1/patients")]) {
      expect(response.status).toBe(401);
      await expect(response.json()).resolves.toEqual({ statusCode: 401, message: APIM_MESSAGES.missingKey });
    }
  });

  it("ASSUMPTION: does not accept APIM's default Ocp-Apim-Subscription-Key header", async () => {
    const response = await raw("/v1/token", { method: "POST", headers: { "Ocp-Apim-Subscription-Key": KEY } });
    expect(response.status).toBe(401);
    await expect(response.json()).resolves.toEqual({ statusCode: 401, message: APIM_MESSAGES.missingKey });
  });

  it("rejects an unknown subscription key and accepts the secondary one", async () => {
    const wrong = await raw("/v1/organisation", { headers: { "x-sub-key": "nope" } });
    expect(wrong.status).toBe(401);
    await expect(wrong.json()).resolves.toEqual({ statusCode: 401, message: APIM_MESSAGES.invalidKey });
    const token = await rawToken({ "x-sub-key": SECONDARY_KEY });
    const ok = await raw("/v1/organisation", { headers: { "x-sub-key": SECONDARY_KEY, Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });

  it("issues a JWT-shaped token with an exp claim matching the configured lifetime", async () => {
    simulator.configure({ tokenLifetimeSeconds: 5 });
    const response = await raw("/v1/token", {
      method: "POST",
      headers: { "x-sub-key": KEY, "Content-Type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&client_id=${APP_ID}&client_secret=${APP_KEY}`,
    });
    const body = (await response.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(body.expires_in).toBe(5);
    expect(body.token_type).toBe("Bearer");
    expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const { header, payload } = decodeJwt(body.access_token);
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload.sub).toBe(APP_ID);
    expect(Number(payload.exp) - Number(payload.iat)).toBe(5);
  });

  it.each([
    ["wrong content type", "application/json", JSON.stringify({ grant_type: "client_credentials", client_id: APP_ID, client_secret: APP_KEY }), 400, "invalid_request"],
    ["a missing field", "application/x-www-form-urlencoded", `grant_type=client_credentials&client_id=${APP_ID}`, 400, "invalid_request"],
    ["another grant type", "application/x-www-form-urlencoded", `grant_type=password&client_id=${APP_ID}&client_secret=${APP_KEY}`, 400, "unsupported_grant_type"],
    ["a wrong App Key", "application/x-www-form-urlencoded", `grant_type=client_credentials&client_id=${APP_ID}&client_secret=wrong`, 401, "invalid_client"],
    ["a wrong App Id", "application/x-www-form-urlencoded", `grant_type=client_credentials&client_id=other&client_secret=${APP_KEY}`, 401, "invalid_client"],
  ])("ASSUMPTION: rejects a token request with %s", async (_label, contentType, body, status, error) => {
    const response = await raw("/v1/token", { method: "POST", headers: { "x-sub-key": KEY, "Content-Type": contentType }, body });
    expect(response.status).toBe(status);
    await expect(response.json()).resolves.toMatchObject({ error });
  });

  it("counts every token request, failed ones included", async () => {
    await raw("/v1/token", { method: "POST" });
    await rawToken();
    expect(await simulator.tokenRequestCount()).toBe(2);
  });

  it("rejects missing, malformed, tampered, foreign-scheme and expired bearer tokens", async () => {
    const token = await rawToken();
    const [header, payload] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token).payload, exp: 9_999_999_999 })).toString("base64url");
    const bad = ["", "Bearer", "Bearer not-a-jwt", `Bearer ${header}.${payload}.AAAA`, `Bearer ${header}.${forged}.${token.split(".")[2] ?? ""}`, `Basic ${token}`];
    for (const authorization of bad) {
      const response = await raw("/v1/patients", { headers: { "x-sub-key": KEY, Authorization: authorization } });
      expect(response.status, authorization).toBe(401);
      await expect(response.json()).resolves.toEqual({ statusCode: 401, message: APIM_MESSAGES.invalidToken });
    }
    const good = await raw("/v1/patients", { headers: { "x-sub-key": KEY, Authorization: `Bearer ${token}` } });
    expect(good.status).toBe(200);
    simulator.configure({ now: () => new Date(Date.now() + 3_601_000) });
    const expired = await raw("/v1/patients", { headers: { "x-sub-key": KEY, Authorization: `Bearer ${token}` } });
    expect(expired.status).toBe(401);
  });

  it("ASSUMPTION: rate-limits per subscription key with 429, APIM's message and Retry-After", async () => {
    simulator.configure({ rateLimit: { requests: 1, windowSeconds: 60 } });
    await raw("/v1/token", { method: "POST", headers: { "x-sub-key": KEY } });
    const limited = await raw("/v1/token", { method: "POST", headers: { "x-sub-key": KEY } });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await expect(limited.json()).resolves.toEqual({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfter} seconds.` });
    const other = await raw("/v1/token", { method: "POST", headers: { "x-sub-key": SECONDARY_KEY } });
    expect(other.status).toBe(400);
  });

  it("answers unknown paths and methods with APIM's 404", async () => {
    for (const response of [await raw("/v1/unknown"), await raw("/v1/patients", { method: "POST" })]) {
      expect(response.status).toBe(404);
      await expect(response.json()).resolves.toEqual({ statusCode: 404, message: APIM_MESSAGES.notFound });
    }
  });

  it("rejects cursors and filters it did not issue", async () => {
    const token = await rawToken();
    const headers = { "x-sub-key": KEY, Authorization: `Bearer ${token}` };
    for (const path of [`/v1/patients/${WORN}/events?since=42`, "/v1/patients?cursor=zz", "/v1/devices?type=sensor", "/v1/alerts?status=new", "/v1/patients?limit=0"]) {
      expect((await raw(path, { headers })).status, path).toBe(400);
    }
  });
});

describe("Smartz simulator: diaper events", () => {
  it("emits plausible events now for a patient with a pod, and refuses patients without one", async () => {
    const random = seededRandom(5);
    const emitted: SmartzEvent[] = [];
    for (let i = 0; i < 12; i++) emitted.push(...(await emitEventNow(WORN, { random })));
    expect(emitted.every((e) => isKnownSmartzEventType(e.type) && e.patientId === WORN && e.deviceId === "pod-0201")).toBe(true);
    const types = emitted.map((e) => e.type);
    expect(types).toContain("void");
    expect(types).toContain("change");
    // A wet event only ever follows the void that crossed the threshold.
    for (const [i, type] of types.entries()) if (type === "wet") expect(types[i - 1]).toBe("void");
    await expect(emitEventNow(UNWORN)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(emitEventNow("pat-missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("emits a day of events over the last 24 hours, in order, with changes resetting saturation", async () => {
    const now = new Date("2025-03-01T12:00:00.000Z");
    const events = await emitDayOfEvents("pat-3002", { now, random: seededRandom(9) });
    const times = events.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(now.getTime() - 24 * 3_600_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect(events.filter((e) => e.type === "void").length).toBeGreaterThanOrEqual(5);
    expect(events.filter((e) => e.type === "change").every((e) => e.saturation === 0)).toBe(true);
  });

  it("generates events on tick for patients wearing a pod only", async () => {
    simulator.configure({ eventsPerPatientPerHour: 1_000, random: seededRandom(1) });
    const start = new Date();
    await simulator.tick?.(start);
    await simulator.tick?.(new Date(start.getTime() + 60_000));
    const smartz = client();
    const counts = await Promise.all(SMARTZ_SEED.patients.map(async (p) => (await smartz.listPatientEvents(p.id)).items.length));
    expect(counts.slice(0, 3).every((count) => count >= 1)).toBe(true);
    expect(counts[3]).toBe(0);
  });
});
