import type { Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { AppError } from "@/lib/errors";
import { VendorHttpError } from "@/lib/vendors/base-client";
import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";
import { recentSimulatorRequests, setFailureSwitch } from "@/lib/vendors/simulator-kit";
import { createSimulatorServer } from "@/lib/vendors/simulator-server";
import { ValidicClient, type ValidicClientOptions } from "@/lib/vendors/validic/client";
import { PROVISION_REQUEST_BODY } from "@/lib/vendors/validic/fixtures";
import { validicRecordSchema } from "@/lib/vendors/validic/schemas";
import { createValidicSimulator } from "@/lib/vendors/validic/simulator";
import { close, listen, newImei, newUid, recordingFetch } from "@/lib/vendors/validic/test-helpers";

const { orgId: ORG_ID, orgToken: ORG_TOKEN } = SIMULATOR_CREDENTIALS.validic;

// Records stay on the simulator for the REST API; pushing is tested in push-sender.test.ts.
const sim = createValidicSimulator({ pushEnabled: false, measureEveryMs: 0 });
let server: Server;
let base = "";

beforeAll(async () => {
  server = createSimulatorServer(sim.simulators);
  base = await listen(server);
});

afterEach(async () => {
  await setFailureSwitch("validic", null);
  vi.restoreAllMocks();
});

afterAll(async () => {
  await close(server);
});

function makeClient(overrides: Partial<ValidicClientOptions> = {}) {
  const recorder = recordingFetch();
  const client = new ValidicClient({
    apiUrl: `${base}/validic`,
    marketplaceUrl: `${base}/validic-marketplace`,
    orgId: ORG_ID,
    orgToken: ORG_TOKEN,
    baseDelayMs: 1,
    maxDelayMs: 5,
    fetch: recorder.fetch,
    ...overrides,
  });
  return { client, sent: recorder.sent };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

async function connectedUser(deviceTypes: ("blood_pressure" | "weight_scale" | "blood_glucose" | "pulse_oximeter")[]) {
  const { client } = makeClient();
  const user = await client.provisionUser(newUid());
  const imeis: string[] = [];
  for (const type of deviceTypes) {
    const imei = newImei();
    await client.connect(user.marketplace.token, imei, type);
    imeis.push(imei);
  }
  return { user, imeis };
}

describe("Validic users API", () => {
  it("provisionUser POSTs {uid, location} as JSON with the org token in the query string and gets the 201 user", async () => {
    const { client, sent } = makeClient();
    const uid = newUid();
    const user = await client.provisionUser(uid, { timezone: "America/New_York", country_code: "US" });

    expect(user).toMatchObject({ uid, sources: [], location: { timezone: "America/New_York", country_code: "US" } });
    expect(user.id).toMatch(/^[0-9a-f]{24}$/);
    expect(user.marketplace.url).toContain(`?token=${user.marketplace.token}`);
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request?.method).toBe("POST");
    expect(request?.url.pathname).toBe(`/validic/organizations/${ORG_ID}/users`);
    expect([...(request?.url.searchParams ?? [])]).toEqual([["token", ORG_TOKEN]]);
    expect(request?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(request?.body ?? "")).toStrictEqual({ uid, location: { timezone: "America/New_York", country_code: "US" } });
  });

  it("provisionUser without a location sends exactly {uid}", async () => {
    const { client, sent } = makeClient();
    const uid = newUid();
    await client.provisionUser(uid);
    expect(JSON.parse(sent[0]?.body ?? "")).toStrictEqual({ uid });
  });

  it("ASSUMPTION: provisionUser can send the form encoding (the doc's Content-Type) and the simulator accepts it", async () => {
    const { client, sent } = makeClient({ provisionEncoding: "form" });
    const uid = newUid();
    const user = await client.provisionUser(uid, { timezone: "Europe/Paris" });
    expect(user.location).toEqual({ timezone: "Europe/Paris" });
    expect(sent[0]?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect([...new URLSearchParams(sent[0]?.body ?? "")]).toEqual([
      ["uid", uid],
      ["location[timezone]", "Europe/Paris"],
    ]);
  });

  it("ASSUMPTION: the simulator accepts the vendor-docs sample literally, a JSON body under a form Content-Type", async () => {
    const uid = newUid();
    const body = PROVISION_REQUEST_BODY.replace(/\u00a0/g, " ").replace("277040620sol3", uid);
    const response = await fetch(`${base}/validic/organizations/${ORG_ID}/users?token=${ORG_TOKEN}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ uid });
  });

  it("provisionUser treats 409 'uid exists' as success and returns the existing user", async () => {
    const { client, sent } = makeClient();
    const uid = newUid();
    const first = await client.provisionUser(uid);
    sent.length = 0;

    const again = await client.provisionUser(uid);

    expect(again.id).toBe(first.id);
    expect(again.marketplace.token).toBe(first.marketplace.token);
    expect(sent.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `POST /validic/organizations/${ORG_ID}/users`,
      `GET /validic/organizations/${ORG_ID}/users/${uid}`,
    ]);
    const log = await recentSimulatorRequests("validic", 50);
    expect(log.find((r) => r.method === "POST" && (r.body as { uid?: string } | null)?.uid === uid && r.status === 409)).toBeDefined();
  });

  it("getUser looks the user up by our uid; 404 means not provisioned and returns null", async () => {
    const { client, sent } = makeClient();
    const uid = newUid();
    expect(await client.getUser(uid)).toBeNull();
    const created = await client.provisionUser(uid);
    expect((await client.getUser(uid))?.id).toBe(created.id);
    expect(sent[0]?.url.pathname).toBe(`/validic/organizations/${ORG_ID}/users/${uid}`);
    expect(sent[0]?.url.searchParams.get("token")).toBe(ORG_TOKEN);
  });

  it("a wrong org token or another organization's path gets 401, and the token never appears in the error or the logs", async () => {
    const wrongToken = "wrong-org-token-5f3b9c";
    const { client } = makeClient({ orgToken: wrongToken });
    const stderr: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });

    const error = await caught(client.getUser(newUid()));
    expect(error).toBeInstanceOf(VendorHttpError);
    const vendorError = error as VendorHttpError;
    expect(vendorError.httpStatus).toBe(401);
    expect(vendorError.vendorMessage).toBe("Token is not authorized to access organization");
    expect(vendorError.message).toMatch(/refused Pulseboard's credentials/);
    for (const text of [vendorError.message, vendorError.url, vendorError.vendorMessage ?? "", stderr.join("")]) {
      expect(text).not.toContain(wrongToken);
    }
    expect(vendorError.url).toContain("token=[redacted]");
    expect(stderr.join("")).toContain("vendor call failed");

    const otherOrg = makeClient({ orgId: "000000000000000000000000" }).client;
    expect(await caught(otherOrg.listUsers())).toMatchObject({ httpStatus: 401 });
  });

  it("retried errors log each attempt with the org token redacted", async () => {
    const { client, sent } = makeClient();
    const stderr: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    await setFailureSwitch("validic", { remaining: 3, mode: "status", status: 503 });

    const error = await caught(client.getUser(newUid()));

    expect(sent).toHaveLength(3);
    expect(error).toMatchObject({ httpStatus: 503, isRetryable: true });
    expect((error as VendorHttpError).message).not.toContain(ORG_TOKEN);
    expect((error as VendorHttpError).url).not.toContain(ORG_TOKEN);
    expect(stderr.filter((line) => line.includes("vendor call failed"))).toHaveLength(3);
    expect(stderr.join("")).not.toContain(ORG_TOKEN);
  });

  it("idempotent GETs are retried through simulated outages", async () => {
    const { client, sent } = makeClient();
    const uid = newUid();
    await client.provisionUser(uid);
    sent.length = 0;
    await setFailureSwitch("validic", { remaining: 2, mode: "status", status: 503 });

    expect((await client.getUser(uid))?.uid).toBe(uid);
    expect(sent).toHaveLength(3);
  });

  it("provisionUser is safe to retry: a provision that went through before an outage answers 409, then GET", async () => {
    const { client, sent } = makeClient();
    const uid = newUid();
    await setFailureSwitch("validic", { remaining: 1, mode: "status", status: 502 });
    const user = await client.provisionUser(uid);
    expect(user.uid).toBe(uid);
    expect(sent.map((r) => r.method)).toEqual(["POST", "POST"]);
  });

  it("listUsers asks for newest first, active only, 100 at most, and filters by uid", async () => {
    const { client, sent } = makeClient();
    const [a, b] = [newUid(), newUid()];
    await client.provisionUser(a);
    await client.provisionUser(b);
    sent.length = 0;

    const active = await client.listUsers();
    expect(active.length).toBeGreaterThanOrEqual(2);
    const created = active.map((u) => u.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(sent[0]?.url.searchParams.getAll("sort[]")).toEqual(["-created_at"]);
    expect(sent[0]?.url.searchParams.getAll("q[]")).toEqual(["status=active"]);
    expect(sent[0]?.url.searchParams.get("limit")).toBe("100");

    const one = await client.listUsers({ uid: a, status: "all" });
    expect(one.map((u) => u.uid)).toEqual([a]);
  });

  it("ASSUMPTION: suspendUser PUTs suspend \"1\"/\"0\"; a suspended user drops out of the active list", async () => {
    const { client, sent } = makeClient();
    const uid = newUid();
    await client.provisionUser(uid);
    sent.length = 0;

    await client.suspendUser(uid, true);
    expect(sent[0]?.method).toBe("PUT");
    expect(JSON.parse(sent[0]?.body ?? "")).toStrictEqual({ suspend: "1" });
    expect(await client.listUsers({ uid })).toEqual([]);
    expect((await client.listUsers({ uid, status: "suspended" })).map((u) => u.uid)).toEqual([uid]);

    await client.suspendUser(uid, false);
    expect((await client.listUsers({ uid })).map((u) => u.uid)).toEqual([uid]);

    const missing = await caught(client.suspendUser(newUid(), true));
    expect(missing).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    expect((missing as Error).message).toMatch(/not provisioned at Validic/);
  });

  it("ASSUMPTION: deleteUser removes the user, and the uid is held (409) for 5 minutes after", async () => {
    const { client } = makeClient();
    const uid = newUid();
    await client.provisionUser(uid);

    expect(await client.deleteUser(uid)).toBe(true);
    expect(await client.getUser(uid)).toBeNull();
    expect(await client.deleteUser(uid)).toBe(false);

    const held = await caught(client.provisionUser(uid));
    expect(held).toBeInstanceOf(AppError);
    expect(held).toMatchObject({ code: "CONFLICT" });
    expect((held as Error).message).toMatch(/recent deletion/);

    // The same stored state seen by a simulator whose hold window has passed.
    const expired = createValidicSimulator({ pushEnabled: false, measureEveryMs: 0, deletedUidHoldMs: 0 });
    const expiredServer = createSimulatorServer(expired.simulators);
    const expiredBase = await listen(expiredServer);
    try {
      const { client: later } = makeClient({ apiUrl: `${expiredBase}/validic` });
      expect((await later.provisionUser(uid)).uid).toBe(uid);
    } finally {
      await close(expiredServer);
    }
  });

  it("ASSUMPTION: fetchRecords GETs …/users/{uid}/measurements?start_date=&end_date= and returns {data: [records]}, each a documented record", async () => {
    const { user, imeis } = await connectedUser(["pulse_oximeter"]);
    const [imei = ""] = imeis;
    await sim.emitReadingNow(imei);
    await sim.emitReadingNow(imei);
    const { client, sent } = makeClient();
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000);

    const records = (await client.fetchRecords(user.uid, { startDate: yesterday, endDate: today })).map((record) => validicRecordSchema.parse(record));

    expect(records).toHaveLength(2);
    expect(records[0]?.source.device?.id).toBe(imei);
    expect(records[0]?.metrics.map((m) => m.type)).toEqual(["spo2", "pulse"]);
    expect(sent[0]?.url.pathname).toBe(`/validic/organizations/${ORG_ID}/users/${user.uid}/measurements`);
    expect(sent[0]?.url.searchParams.get("start_date")).toBe(yesterday.toISOString().slice(0, 10));
    expect(sent[0]?.url.searchParams.get("end_date")).toBe(today.toISOString().slice(0, 10));
    expect(await client.fetchRecords(user.uid, { startDate: "2020-01-01", endDate: "2020-01-31" })).toEqual([]);
  });
});

describe("Smart Meter Direct Connection", () => {
  it("connect POSTs exactly {token, device_id, device_type} as JSON strings and gets 202 with the documented body", async () => {
    const { client, sent } = makeClient();
    const user = await client.provisionUser(newUid());
    const imei = newImei();
    sent.length = 0;

    const connection = await client.connect(user.marketplace.token, imei, "blood_pressure");

    expect(connection).toStrictEqual({
      credentials: { device_id: imei, device_type: "blood_pressure", device_name: null },
      type: "smart_meter",
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) as unknown as string,
    });
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request?.url.toString()).toBe(`${base}/validic-marketplace/direct/auth/smart_meter/connect`);
    expect(request?.headers.get("content-type")).toBe("application/json");
    const body = JSON.parse(request?.body ?? "") as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["device_id", "device_type", "token"]);
    expect(Object.values(body).every((v) => typeof v === "string")).toBe(true);
    expect(body).toStrictEqual({ token: user.marketplace.token, device_id: imei, device_type: "blood_pressure" });
    const log = await recentSimulatorRequests("validic", 50);
    expect(log.find((r) => r.path.endsWith("/smart_meter/connect") && (r.body as { device_id?: string } | null)?.device_id === imei)?.status).toBe(202);
    expect((await client.getUser(user.uid))?.sources.map((s) => s.type)).toEqual(["smart_meter"]);
  });

  it("ASSUMPTION: with connectCompletionTicks the device joins the user's sources only after that many ticks", async () => {
    const slow = createValidicSimulator({ pushEnabled: false, measureEveryMs: 0, connectCompletionTicks: 2 });
    const slowServer = createSimulatorServer(slow.simulators);
    const slowBase = await listen(slowServer);
    try {
      const { client } = makeClient({ apiUrl: `${slowBase}/validic`, marketplaceUrl: `${slowBase}/validic-marketplace` });
      const user = await client.provisionUser(newUid());
      await client.connect(user.marketplace.token, newImei(), "weight_scale");
      expect((await client.getUser(user.uid))?.sources).toEqual([]);
      await slow.advanceConnections(new Date());
      expect((await client.getUser(user.uid))?.sources).toEqual([]);
      await slow.advanceConnections(new Date());
      expect((await client.getUser(user.uid))?.sources).toEqual([{ type: "smart_meter", connected_at: expect.any(String) as unknown as string }]);
    } finally {
      await close(slowServer);
    }
  });

  it.each([
    ["49015420323751", "blood_glucose", /exactly 15 digits/],
    ["4901542032375180", "blood_glucose", /exactly 15 digits/],
    ["49015420323751X", "blood_glucose", /digits only/],
    ["490154203237517", "blood_glucose", /check digit/],
    ["490154203237518", "thermometer", /one of blood_glucose, blood_pressure, weight_scale, pulse_oximeter/],
    ["490154203237518", "Blood_Glucose", /one of/],
  ])("connect(%s, %s) is refused before any request is made", async (imei, deviceType, message) => {
    const { client, sent } = makeClient();
    const error = await caught(client.connect("any-marketplace-token", imei, deviceType));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "INVALID_INPUT" });
    expect((error as Error).message).toMatch(message);
    expect(sent).toHaveLength(0);
  });

  it("ASSUMPTION: connect with an unknown marketplace token gets 404, explained", async () => {
    const { client } = makeClient();
    const error = await caught(client.connect("no-such-marketplace-token", newImei(), "blood_glucose"));
    expect(error).toMatchObject({ code: "NOT_FOUND", httpStatus: 404, vendorMessage: "Marketplace token not found" });
    expect((error as Error).message).toMatch(/does not recognise this patient's marketplace token/);
  });

  it("ASSUMPTION: connect of an IMEI already connected to another user gets 409, explained", async () => {
    const { imeis } = await connectedUser(["blood_glucose"]);
    const { client } = makeClient();
    const other = await client.provisionUser(newUid());
    const error = await caught(client.connect(other.marketplace.token, imeis[0] ?? "", "blood_glucose"));
    expect(error).toMatchObject({ code: "CONFLICT", httpStatus: 409 });
    expect((error as Error).message).toMatch(/^This IMEI is already connected to another Validic user/);
  });

  it("ASSUMPTION: connecting the same IMEI to the same user again is accepted (202) and keeps one connection", async () => {
    const { user, imeis } = await connectedUser(["blood_glucose"]);
    const { client } = makeClient();
    const again = await client.connect(user.marketplace.token, imeis[0] ?? "", "blood_glucose");
    expect(again.credentials.device_id).toBe(imeis[0]);
    expect((await client.disconnectAll(user.marketplace.token)).meta.total).toBe(1);
  });

  it("ASSUMPTION: a 422 from Direct Connection is explained to staff", async () => {
    const { client } = makeClient();
    const user = await client.provisionUser(newUid());
    await setFailureSwitch("validic", { remaining: 1, mode: "status", status: 422 });
    const error = await caught(client.connect(user.marketplace.token, newImei(), "pulse_oximeter"));
    expect(error).toMatchObject({ code: "INVALID_INPUT", httpStatus: 422 });
    expect((error as Error).message).toMatch(/rejected the IMEI or device type/);
  });

  it("connect is never retried (creating POST): one request through an outage, and nothing connected", async () => {
    const { client, sent } = makeClient();
    const user = await client.provisionUser(newUid());
    const imei = newImei();
    sent.length = 0;
    await setFailureSwitch("validic", { remaining: 2, mode: "status", status: 503 });

    const error = await caught(client.connect(user.marketplace.token, imei, "blood_glucose"));

    expect(error).toMatchObject({ httpStatus: 503, isRetryable: true });
    expect(sent).toHaveLength(1);
    await setFailureSwitch("validic", null);
    expect((await client.getUser(user.uid))?.sources).toEqual([]);
  });

  it("disconnect POSTs …/disconnect/{IMEI}?token= and gets the connection with deleted_at and deleted_reason", async () => {
    const { user, imeis } = await connectedUser(["blood_pressure", "weight_scale"]);
    const [first = "", second = ""] = imeis;
    const { client, sent } = makeClient();

    const removed = await client.disconnect(user.marketplace.token, first);

    expect(removed).toMatchObject({
      credentials: { device_id: first, device_type: "blood_pressure" },
      type: "smart_meter",
      deleted_reason: "User disconnected from Direct Endpoint",
    });
    expect(removed.deleted_at).toMatch(/Z$/);
    expect(sent[0]?.method).toBe("POST");
    expect(sent[0]?.url.pathname).toBe(`/validic-marketplace/direct/auth/smart_meter/disconnect/${first}`);
    expect([...(sent[0]?.url.searchParams ?? [])]).toEqual([["token", user.marketplace.token]]);
    expect(sent[0]?.body).toBeNull();
    // One device left: the source stays.
    expect((await client.getUser(user.uid))?.sources.map((s) => s.type)).toEqual(["smart_meter"]);
    await client.disconnect(user.marketplace.token, second);
    expect((await client.getUser(user.uid))?.sources).toEqual([]);
  });

  it("ASSUMPTION: disconnecting an IMEI that is not connected gets 404, explained, with the marketplace token redacted", async () => {
    const { user } = await connectedUser([]);
    const { client } = makeClient();
    const error = await caught(client.disconnect(user.marketplace.token, newImei()));
    expect(error).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
    const vendorError = error as VendorHttpError;
    expect(vendorError.message).toMatch(/may already be disconnected/);
    expect(vendorError.url).not.toContain(user.marketplace.token);
    expect(vendorError.message).not.toContain(user.marketplace.token);
  });

  it("disconnect checks the IMEI's 15 digits before calling, but not its check digit", async () => {
    const { client, sent } = makeClient();
    expect(await caught(client.disconnect("token", "12345"))).toMatchObject({ code: "INVALID_INPUT" });
    expect(sent).toHaveLength(0);
    // 111111111111111 (a vendor-docs sample) fails Luhn but is a well-formed device id.
    expect(await caught(client.disconnect("no-such-token", "111111111111111"))).toMatchObject({ httpStatus: 404 });
    expect(sent).toHaveLength(1);
  });

  it("disconnectAll POSTs …/disconnect_all?token= and gets {meta{total}, connections[]}", async () => {
    const { user, imeis } = await connectedUser(["blood_pressure", "weight_scale"]);
    const { client, sent } = makeClient();

    const result = await client.disconnectAll(user.marketplace.token);

    expect(result.meta.total).toBe(2);
    expect(result.connections.map((c) => c.credentials.device_id).sort()).toEqual([...imeis].sort());
    expect(result.connections.every((c) => c.deleted_reason === "User disconnected from Direct Endpoint" && c.deleted_at)).toBe(true);
    expect(sent[0]?.url.pathname).toBe("/validic-marketplace/direct/auth/smart_meter/disconnect_all");
    expect(sent[0]?.url.searchParams.get("token")).toBe(user.marketplace.token);
    expect((await client.getUser(user.uid))?.sources).toEqual([]);
    expect(await client.disconnectAll(user.marketplace.token)).toEqual({ meta: { total: 0 }, connections: [] });
  });
});

describe("Validic simulator strictness", () => {
  async function rawConnect(body: unknown, contentType = "application/json") {
    const response = await fetch(`${base}/validic-marketplace/direct/auth/smart_meter/connect`, {
      method: "POST",
      headers: { "Content-Type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { message?: string } };
  }

  it("rejects a connect body that is not exactly three strings, a bad IMEI or an unknown type", async () => {
    const { user } = await connectedUser([]);
    const token = user.marketplace.token;
    const imei = newImei();
    expect((await rawConnect({ token, device_id: Number(imei), device_type: "weight_scale" })).status).toBe(422);
    expect((await rawConnect({ token, device_id: imei.slice(1), device_type: "weight_scale" })).status).toBe(422);
    expect((await rawConnect({ token, device_id: imei, device_type: "thermometer" })).status).toBe(422);
    expect((await rawConnect({ token, device_id: imei, device_type: "weight_scale", device_name: "x" })).status).toBe(422);
    expect((await rawConnect(`token=${token}`, "application/x-www-form-urlencoded")).status).toBe(415);
    expect((await rawConnect({ token: "nope", device_id: imei, device_type: "weight_scale" })).status).toBe(404);
    expect(await rawConnect({ token, device_id: imei, device_type: "weight_scale" })).toMatchObject({ status: 202 });
  });

  it("checks the org token on every REST route and the uid on provisioning", async () => {
    const users = `${base}/validic/organizations/${ORG_ID}/users`;
    expect((await fetch(users)).status).toBe(401);
    expect((await fetch(`${users}/x?token=${ORG_TOKEN}x`)).status).toBe(401);
    const blank = await fetch(`${users}?token=${ORG_TOKEN}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(blank.status).toBe(422);
    const badZone = await fetch(`${users}?token=${ORG_TOKEN}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ uid: newUid(), location: { timezone: "Mars/Olympus" } }),
    });
    expect(badZone.status).toBe(422);
    const records = await fetch(`${users}/${newUid()}/measurements?token=${ORG_TOKEN}`);
    expect(records.status).toBe(404);
  });
});
