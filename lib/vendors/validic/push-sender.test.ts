import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";
import { simulatorStore } from "@/lib/vendors/simulator-kit";
import type { PushTransmitEvent, ValidicPushSenderOptions } from "@/lib/vendors/validic/push-sender";
import { validicPushBatchSchema, type SmartMeterDeviceType } from "@/lib/vendors/validic/schemas";
import { createValidicSimulator, type ValidicSimulatorOptions } from "@/lib/vendors/validic/simulator";
import { close, listen, newImei, newUid } from "@/lib/vendors/validic/test-helpers";

// A local HTTP server standing in for Pulseboard's /api/ingest/validic and /api/ingest/validic/token.
type Captured = { headers: IncomingHttpHeaders; body: string };
type Scripted = { status: number; body: unknown };

const pulseboard = {
  tokenRequests: [] as Captured[],
  pushRequests: [] as Captured[],
  tokenScript: [] as Scripted[],
  pushScript: [] as Scripted[],
  tokenLifetimeS: 3600,
  issued: 0,
  reset() {
    this.tokenRequests = [];
    this.pushRequests = [];
    this.tokenScript = [];
    this.pushScript = [];
    this.tokenLifetimeS = 3600;
  },
};

const CLIENT_ID = "validic-push-client";
const CLIENT_SECRET = "s3cret:with&odd=chars";
const SECOND = 1000;

let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const captured = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      let answer: Scripted;
      if (req.url === "/api/ingest/validic/token") {
        pulseboard.tokenRequests.push(captured);
        pulseboard.issued += 1;
        answer = pulseboard.tokenScript.shift() ?? {
          status: 200,
          body: { access_token: `tok-${pulseboard.issued}`, token_type: "Bearer", expires_in: pulseboard.tokenLifetimeS },
        };
      } else if (req.url === "/api/ingest/validic") {
        pulseboard.pushRequests.push(captured);
        answer = pulseboard.pushScript.shift() ?? { status: 202, body: { received: true } };
      } else {
        answer = { status: 404, body: { error: "not found" } };
      }
      res.writeHead(answer.status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify(answer.body));
    });
  });
  base = await listen(server);
});

afterAll(async () => {
  await close(server);
});

beforeEach(async () => {
  pulseboard.reset();
  pulseboard.issued = 0;
  // Push state is this file's alone (the client tests run their simulator with push disabled).
  await db.simulatorEntity.deleteMany({ where: { vendor: "validic", kind: { startsWith: "push-" } } });
});

function makeSim(push: ValidicPushSenderOptions = {}, options: ValidicSimulatorOptions = {}) {
  return createValidicSimulator({
    measureEveryMs: 0,
    ...options,
    push: {
      pushUrl: `${base}/api/ingest/validic`,
      tokenUrl: `${base}/api/ingest/validic/token`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      batchSize: 100,
      batchIntervalMs: 60 * SECOND,
      initialRetryDelayMs: SECOND,
      maxRetryDelayMs: 60 * SECOND,
      retryWindowMs: 10 * SECOND,
      requestTimeoutMs: 2 * SECOND,
      ...push,
    },
  });
}

async function deviceFor(sim: ReturnType<typeof makeSim>, deviceType: SmartMeterDeviceType = "blood_pressure") {
  const uid = newUid();
  const user = await sim.seedUser(uid, { timezone: "America/New_York", country_code: "US" });
  const imei = newImei();
  await sim.seedConnection(uid, imei, deviceType);
  return { user, imei };
}

function at(event: PushTransmitEvent | undefined, attempt: number): number {
  return Date.parse(event?.attempts[attempt]?.at ?? "");
}

function pushBody(index: number) {
  return JSON.parse(pulseboard.pushRequests[index]?.body ?? "") as Record<string, unknown>;
}

describe("Validic push sender: token request", () => {
  it("ASSUMPTION: posts form grant_type=client_credentials with HTTP Basic client auth and the configured extra header", async () => {
    const sim = makeSim({ authMethod: "basic", tokenRequestHeader: { name: "X-Validic-Tenant", value: "pulseboard" } });
    const { imei } = await deviceFor(sim);
    await sim.emitReadingNow(imei);

    await sim.flushPush();

    expect(pulseboard.tokenRequests).toHaveLength(1);
    const [request] = pulseboard.tokenRequests;
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect([...new URLSearchParams(request?.body ?? "")]).toEqual([["grant_type", "client_credentials"]]);
    // RFC 6749 §2.3.1: id and secret are form-encoded, then joined and base64-encoded.
    const expected = Buffer.from(`${CLIENT_ID}:${encodeURIComponent(CLIENT_SECRET)}`).toString("base64");
    expect(request?.headers.authorization).toBe(`Basic ${expected}`);
    expect(request?.headers["x-validic-tenant"]).toBe("pulseboard");
    expect(pulseboard.pushRequests[0]?.headers.authorization).toBe("Bearer tok-1");
  });

  it("ASSUMPTION: the body variant sends client_id and client_secret in the form and no Authorization header", async () => {
    const sim = makeSim({ authMethod: "body" });
    const { imei } = await deviceFor(sim);
    await sim.emitReadingNow(imei);

    await sim.flushPush();

    const [request] = pulseboard.tokenRequests;
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers["x-validic-tenant"]).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(request?.body ?? ""))).toStrictEqual({
      grant_type: "client_credentials",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it("reuses the token until it expires, then fetches a new one", async () => {
    pulseboard.tokenLifetimeS = 60;
    const sim = makeSim();
    const { imei } = await deviceFor(sim);
    await sim.emitReadingNow(imei);
    const [first] = await sim.flushPush();
    const t0 = at(first, 0);

    await sim.emitReadingNow(imei);
    await sim.push.flush(new Date(t0 + 5 * SECOND));
    expect(pulseboard.tokenRequests).toHaveLength(1);

    await sim.emitReadingNow(imei);
    await sim.push.flush(new Date(t0 + 61 * SECOND));
    expect(pulseboard.tokenRequests).toHaveLength(2);
    expect(pulseboard.pushRequests.map((r) => r.headers.authorization)).toEqual(["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
  });

  it("after a 401 the next attempt fetches a new token and succeeds with it", async () => {
    const sim = makeSim();
    const { imei } = await deviceFor(sim);
    await sim.emitReadingNow(imei);
    pulseboard.pushScript.push({ status: 401, body: { error: "invalid_token" } });

    const [first] = await sim.flushPush();
    expect(first).toMatchObject({ status: "pending", http_status: 401 });
    const [second] = await sim.push.deliverDue(new Date(at(first, 0) + SECOND));

    expect(second).toMatchObject({ status: "success", http_status: 202 });
    expect(pulseboard.tokenRequests).toHaveLength(2);
    expect(pulseboard.pushRequests.map((r) => r.headers.authorization)).toEqual(["Bearer tok-1", "Bearer tok-2"]);
    expect(second?.attempts.map((a) => [a.http_status, a.token_fetched])).toEqual([
      [401, true],
      [202, true],
    ]);
  });

  it("ASSUMPTION: token endpoint failures follow the push rules: a 500 is retried, a 400 fails the batch", async () => {
    const sim = makeSim();
    const { imei } = await deviceFor(sim);
    await sim.emitReadingNow(imei);
    pulseboard.tokenScript.push({ status: 500, body: { error: "server_error" } });

    const [first] = await sim.flushPush();
    expect(first).toMatchObject({ status: "pending", http_status: 500, error: "token request failed" });
    expect(pulseboard.pushRequests).toHaveLength(0);
    const [second] = await sim.push.deliverDue(new Date(at(first, 0) + SECOND));
    expect(second?.status).toBe("success");

    await sim.emitReadingNow(imei);
    await db.simulatorEntity.deleteMany({ where: { vendor: "validic", kind: "push-token" } });
    pulseboard.tokenScript.push({ status: 400, body: { error: "invalid_request" } });
    const [third] = await sim.flushPush();
    expect(third).toMatchObject({ status: "failed", http_status: 400 });
    expect(third?.response_body).toContain("invalid_request");
  });
});

describe("Validic push sender: batches", () => {
  it("delivers {id, data, meta{count}} with a Bearer token and records the PushTransmitEvent", async () => {
    const sim = makeSim();
    const { user, imei } = await deviceFor(sim, "pulse_oximeter");
    const records = [await sim.emitReadingNow(imei), await sim.emitReadingNow(imei)];

    const [event] = await sim.flushPush();

    expect(pulseboard.pushRequests).toHaveLength(1);
    const [request] = pulseboard.pushRequests;
    expect(request?.headers["content-type"]).toBe("application/json");
    const body = pushBody(0);
    expect(Object.keys(body).sort()).toEqual(["data", "id", "meta"]);
    const batch = validicPushBatchSchema.parse(body);
    expect(batch.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(batch.meta).toEqual({ count: 2 });
    expect(batch.data.map((r) => r.id)).toEqual(records.map((r) => r.id));
    const [record] = batch.data;
    expect(record?.source).toEqual({ type: "smart_meter", device: { id: imei, model: "smc-ox", manufacturer: "smart meter", diagnostics: [] } });
    expect(record?.user).toEqual({ organization_id: SIMULATOR_CREDENTIALS.validic.orgId, user_id: user.id, uid: user.uid });
    expect([-14400, -18000]).toContain(record?.utc_offset);
    expect(record).toMatchObject({ type: "measurement", deleted_at: null, offset_origin: "source", version: "1.0", tags: [], user_notes: [] });
    expect(record?.start_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    expect(event).toMatchObject({
      id: batch.id,
      record_ids: records.map((r) => r.id),
      user_id: user.id,
      uid: user.uid,
      status: "success",
      http_status: 202,
      response_body: '{"received":true}',
    });
    expect((await sim.push.events()).map((e) => e.id)).toEqual([batch.id]);
  });

  it("sends full batches at once and the remainder when the interval has passed; one user per batch", async () => {
    const sim = makeSim({ batchSize: 2, batchIntervalMs: 60 * SECOND });
    const { imei } = await deviceFor(sim);
    const other = await deviceFor(sim);
    for (let i = 0; i < 5; i++) await sim.emitReadingNow(imei);
    await sim.emitReadingNow(other.imei);
    const t0 = Date.now();

    await sim.push.deliverDue(new Date(t0));
    expect(pulseboard.pushRequests.map((_, i) => pushBody(i).meta)).toEqual([{ count: 2 }, { count: 2 }]);

    await sim.push.deliverDue(new Date(t0 + 30 * SECOND));
    expect(pulseboard.pushRequests).toHaveLength(2);
    expect(await sim.push.pendingCount()).toBe(2);

    await sim.push.deliverDue(new Date(t0 + 61 * SECOND));
    expect(pulseboard.pushRequests).toHaveLength(4);
    const batches = pulseboard.pushRequests.map((_, i) => validicPushBatchSchema.parse(pushBody(i)));
    for (const batch of batches) expect(new Set(batch.data.map((r) => r.user.uid)).size).toBe(1);
    expect(batches.map((b) => b.meta.count).reduce((a, b) => a + b, 0)).toBe(6);
  });

  it("two flushes at once never send the same batch twice", async () => {
    const sim = makeSim();
    const { imei } = await deviceFor(sim);
    const records = [await sim.emitReadingNow(imei), await sim.emitReadingNow(imei)];

    await Promise.all([sim.flushPush(), sim.flushPush(), sim.push.deliverDue()]);

    // Racing senders may split the records between them, but no batch and no record goes out twice.
    const batches = pulseboard.pushRequests.map((_, i) => validicPushBatchSchema.parse(pushBody(i)));
    expect(new Set(batches.map((b) => b.id)).size).toBe(batches.length);
    expect(batches.flatMap((b) => b.data.map((r) => r.id)).sort()).toEqual(records.map((r) => r.id).sort());
    expect((await sim.push.events()).every((e) => e.status === "success")).toBe(true);
  });
});

describe("Validic push sender: retries", () => {
  it("retries 500, 403 and 503 with exponential backoff until Pulseboard answers 2xx", async () => {
    const sim = makeSim();
    const { imei } = await deviceFor(sim);
    await sim.emitReadingNow(imei);
    pulseboard.pushScript.push({ status: 500, body: {} }, { status: 403, body: {} }, { status: 503, body: {} });

    const [first] = await sim.flushPush();
    const t0 = at(first, 0);
    expect(first).toMatchObject({ status: "pending", http_status: 500, next_attempt_at: new Date(t0 + SECOND).toISOString() });

    expect(await sim.push.deliverDue(new Date(t0 + SECOND - 1))).toEqual([]);
    const [second] = await sim.push.deliverDue(new Date(t0 + SECOND));
    expect(second).toMatchObject({ status: "pending", http_status: 403 });
    const [third] = await sim.push.deliverDue(new Date(t0 + 3 * SECOND));
    expect(third).toMatchObject({ status: "pending", http_status: 503 });
    const [fourth] = await sim.push.deliverDue(new Date(t0 + 7 * SECOND));

    expect(fourth?.status).toBe("success");
    expect(fourth?.attempts.map((a) => a.http_status)).toEqual([500, 403, 503, 202]);
    const gaps = [1, 2, 3].map((i) => at(fourth, i) - at(fourth, i - 1));
    expect(gaps).toEqual([SECOND, 2 * SECOND, 4 * SECOND]);
    // The same batch each time.
    expect(new Set(pulseboard.pushRequests.map((r) => (JSON.parse(r.body) as { id: string }).id)).size).toBe(1);
    expect(pulseboard.tokenRequests).toHaveLength(1);
  });

  it("marks the batch failed once the retry window would be exceeded", async () => {
    const sim = makeSim({ retryWindowMs: 10 * SECOND });
    const { imei } = await deviceFor(sim);
    await sim.emitReadingNow(imei);
    for (let i = 0; i < 10; i++) pulseboard.pushScript.push({ status: 502, body: { message: "bad gateway" } });

    let [event] = await sim.flushPush();
    while (event?.status === "pending" && event.next_attempt_at) {
      [event] = await sim.push.deliverDue(new Date(event.next_attempt_at));
    }

    // Attempts at 0, 1 s, 3 s and 7 s; the next (15 s) would be outside the 10 s window.
    expect(event).toMatchObject({ status: "failed", http_status: 502, next_attempt_at: null });
    expect(event?.attempts.map((a) => at(event, event.attempts.indexOf(a)) - at(event, 0))).toEqual([0, SECOND, 3 * SECOND, 7 * SECOND]);
    expect(pulseboard.pushRequests).toHaveLength(4);
  });

  it.each([400, 404, 409, 422])("never retries a %i: the batch fails after one attempt", async (status) => {
    const sim = makeSim();
    const { imei } = await deviceFor(sim);
    await sim.emitReadingNow(imei);
    pulseboard.pushScript.push({ status, body: { error: `rejected with ${status}` } });

    const [event] = await sim.flushPush();
    await sim.push.deliverDue(new Date(at(event, 0) + 60 * SECOND));

    expect(event).toMatchObject({ status: "failed", http_status: status, response_body: `{"error":"rejected with ${status}"}` });
    expect(pulseboard.pushRequests).toHaveLength(1);
    expect((await sim.push.events())[0]?.status).toBe("failed");
  });

  it("ASSUMPTION: an unreachable Pulseboard is retried like a 5xx", async () => {
    const down = createServer();
    const downUrl = await listen(down);
    await close(down);
    const sim = makeSim({ pushUrl: `${downUrl}/api/ingest/validic` });
    const { imei } = await deviceFor(sim);
    await sim.emitReadingNow(imei);

    const [event] = await sim.flushPush();

    expect(event).toMatchObject({ status: "pending", http_status: null, error: "network TypeError" });
  });
});

describe("Validic simulator readings", () => {
  it.each([
    ["blood_pressure", [["systolic", "mmHg"], ["diastolic", "mmHg"], ["pulse", "bpm"]], "smc-bp"],
    ["blood_glucose", [["blood_glucose", "mg/dL"]], "smc-bg"],
    ["weight_scale", [["body_weight", "kg"]], "smc-ws"],
    ["pulse_oximeter", [["spo2", "percent"], ["pulse", "bpm"]], "smc-ox"],
  ] as const)("a %s reading carries the right metrics and units", async (deviceType, metrics, model) => {
    const sim = makeSim({}, { glucoseOutOfBoundsRate: 0 });
    const { imei } = await deviceFor(sim, deviceType);

    const record = await sim.emitReadingNow(imei);

    expect(record.metrics.map((m) => [m.type, m.unit])).toEqual(metrics);
    expect(record.metrics.every((m) => m.origin === "device" && Number.isFinite(m.value))).toBe(true);
    expect(record.source.device?.model).toBe(model);
    if (deviceType === "blood_glucose") {
      expect(record.user_notes).toEqual([{ type: "relationship_to_meal", value: expect.stringMatching(/^(before|after)$/) as unknown as string }]);
      expect(record.tags).toEqual([]);
    }
  });

  it("an out-of-range glucose reading keeps the meter's value and carries the out_of_bounds_blood_glucose tag", async () => {
    const sim = makeSim({}, { glucoseOutOfBoundsRate: 1 });
    const { imei } = await deviceFor(sim, "blood_glucose");
    for (let i = 0; i < 6; i++) {
      const record = await sim.emitReadingNow(imei);
      const value = record.metrics[0]?.value ?? 0;
      const [tag] = record.tags;
      expect(tag?.name).toBe("out_of_bounds_blood_glucose");
      expect(tag?.value === "low" ? value < 20 : value > 600).toBe(true);
    }
  });

  it("a day of readings spreads plausible times over the past 24 hours and queues them all for push", async () => {
    const sim = makeSim();
    const { imei } = await deviceFor(sim, "blood_glucose");
    const before = Date.now();

    const records = await sim.emitDayOfReadings(imei);

    expect(records).toHaveLength(4);
    for (const record of records) {
      const taken = Date.parse(record.start_time);
      expect(taken).toBeLessThanOrEqual(before);
      expect(taken).toBeGreaterThan(before - 25 * 3_600 * SECOND);
    }
    expect(records.map((r) => r.user_notes[0]?.value)).toEqual(["before", "after", "before", "after"]);
    expect(await sim.push.pendingCount()).toBe(4);
  });

  it("devices measure on their own every measureEveryMs, on the tick", async () => {
    const day = 86_400 * SECOND;
    const sim = makeSim({}, { measureEveryMs: 5 * day });
    const { imei } = await deviceFor(sim, "weight_scale");
    // Age only this device, so devices of tests running alongside are not due.
    const store = simulatorStore("validic");
    const connection = await store.get<Record<string, unknown>>("connection", imei);
    const longAgo = new Date(Date.now() - 10 * day).toISOString();
    await store.put("connection", imei, { ...connection, activated_at: longAgo, last_measured_at: longAgo });

    const due = await sim.measureDue(new Date());

    expect(due.map((r) => r.source.device?.id)).toEqual([imei]);
    expect(await sim.measureDue(new Date())).toEqual([]);
    expect(await sim.push.pendingCount()).toBe(1);
  });
});
