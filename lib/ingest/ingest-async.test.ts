import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { POST as tokenRoute } from "@/app/api/ingest/validic/token/route";
import { db } from "@/lib/db";
import { drainIngestEvents } from "@/lib/ingest/drain";
import { startIngestListener } from "@/lib/ingest/drain-listener";
import { INGEST_NOTIFY_CHANNEL } from "@/lib/ingest/raw-store";
import { createIngestGate } from "@/lib/ingest/ingest-gate";
import { pushBatch, tenoviBpmPair, tenoviRow, uniqueId, validicBloodPressureRecord, validicTokenRequest } from "@/lib/ingest/payload-fixtures";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { createFailureLimiter } from "@/lib/ingest/rate-limit";
import { receiveTenoviWebhook, receiveValidicPush, type ReceiverOptions } from "@/lib/ingest/receivers";
import { sweepIngestEvents } from "@/lib/ingest/sweep";
import { createDevice, createIdentity, createPatient, startRouteServer } from "@/lib/ingest/test-fixtures";

// The asynchronous ingest path: the receivers answer once the delivery is stored, the worker's drain (woken by
// NOTIFY, backed by the sweep) processes it, Tenovi webhooks in bulk. Real PostgreSQL, real HTTP.

const AUTH = { header: "Authorization", key: "Basic dGVzdDp0ZXN0" };

let server: Awaited<ReturnType<typeof startRouteServer>>;
let options: ReceiverOptions = {};
let token = "";

beforeAll(async () => {
  server = await startRouteServer({
    "/api/ingest/tenovi": (request) => receiveTenoviWebhook(request, { tenoviAuth: AUTH, ...options }),
    "/api/ingest/validic": (request) => receiveValidicPush(request, options),
    "/api/ingest/validic/token": tokenRoute,
  });
  const response = await fetch(`${server.url}/api/ingest/validic/token`, validicTokenRequest());
  token = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(() => server.close());

async function postTenovi(payload: unknown, headers: Record<string, string> = { [AUTH.header]: AUTH.key }) {
  const response = await fetch(`${server.url}/api/ingest/tenovi`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(payload),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as { status?: string; eventId: string; error?: string },
  };
}

async function postValidic(batch: unknown, bearer = token, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/api/ingest/validic`, {
    method: "POST",
    headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json", ...headers },
    body: JSON.stringify(batch),
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as { status?: string; eventId: string } };
}

async function tenoviDeviceWithPatient() {
  const patient = await createPatient();
  const hwiDeviceId = randomUUID();
  const device = await createDevice({ vendor: "tenovi", vendorDeviceId: hwiDeviceId, patientId: patient.id, lifecycle: "delivered" });
  return { patient, device, hwiDeviceId };
}

async function statuses(ids: string[]) {
  const rows = await db.ingestEvent.findMany({ where: { id: { in: ids.map(BigInt) } }, select: { status: true, attempts: true } });
  return rows;
}

describe("acknowledge once stored, process in the worker", () => {
  it("answers 200 accepted before processing; the drain then stores the readings", async () => {
    const { device, hwiDeviceId } = await tenoviDeviceWithPatient();
    const { status, body } = await postTenovi(tenoviBpmPair({ hwi_device_id: hwiDeviceId }));
    expect(status).toBe(200);
    expect(body).toEqual({ status: "accepted", eventId: body.eventId });
    expect(await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(body.eventId) } })).toMatchObject({ status: "received", attempts: 0 });
    expect(await db.reading.count({ where: { deviceId: device.id } })).toBe(0);

    const result = await drainIngestEvents({ scope: { eventIds: [BigInt(body.eventId)] } });

    expect(result).toMatchObject({ processed: 1, bulkProcessed: 1, failed: 0 });
    expect(await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(body.eventId) } })).toMatchObject({ status: "processed", attempts: 1, error: null });
    expect((await db.reading.findMany({ where: { deviceId: device.id }, orderBy: { metric: "asc" } })).map((r) => r.metric)).toEqual([
      "blood_pressure",
      "pulse",
    ]);
    expect(await db.device.findUniqueOrThrow({ where: { id: device.id } })).toMatchObject({ lifecycle: "active" });
  });

  it("processes an arrival within about a second: the insert NOTIFYs, the worker's listener drains", async () => {
    const { device, hwiDeviceId } = await tenoviDeviceWithPatient();
    // Scoped to this test's device: the test database is shared with files running alongside.
    const listener = await startIngestListener({
      connectionString: process.env.DATABASE_URL ?? "",
      drain: async () => {
        const mine = await db.$queryRaw<{ id: bigint }[]>`
          SELECT id FROM "IngestEvent" WHERE status = 'received' AND payload::text LIKE ${`%${hwiDeviceId}%`}`;
        if (mine.length > 0) await drainIngestEvents({ scope: { eventIds: mine.map((row) => row.id) } });
      },
    });
    try {
      const sentAt = Date.now();
      const { status } = await postTenovi(tenoviRow({ hwi_device_id: hwiDeviceId, metric: "pulse", value_1: 70, value_2: null }));
      expect(status).toBe(200);
      let readings = 0;
      while (readings === 0 && Date.now() - sentAt < 5_000) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        readings = await db.reading.count({ where: { deviceId: device.id } });
      }
      expect(readings).toBe(1);
      // About a second on a busy 2-core runner; normally tens of milliseconds.
      expect(Date.now() - sentAt).toBeLessThan(2_000);
    } finally {
      await listener.stop();
    }
  });

  it("drains a stream of notifications in a few rounds, not one round each", async () => {
    let drains = 0;
    const listener = await startIngestListener({
      connectionString: process.env.DATABASE_URL ?? "",
      drain: async () => {
        drains += 1;
      },
      settings: { coalesceMs: 50 },
    });
    try {
      await listener.idle();
      const before = drains;
      // Twenty deliveries 5 ms apart, as a busy receiver stores them.
      for (let i = 0; i < 20; i += 1) {
        await db.$executeRaw`SELECT pg_notify(${INGEST_NOTIFY_CHANNEL}, ${String(i)})`;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      await listener.idle();
      expect(drains - before).toBeGreaterThanOrEqual(1);
      expect(drains - before).toBeLessThanOrEqual(10);
    } finally {
      await listener.stop();
    }
  });

  it("an arrival nobody was notified of is still processed by the sweep", async () => {
    const { device, hwiDeviceId } = await tenoviDeviceWithPatient();
    const row = tenoviRow({ hwi_device_id: hwiDeviceId });
    // Inserted without NOTIFY (a worker that was down, a lost notification), two minutes ago.
    const [event] = await db.$queryRaw<{ id: bigint }[]>`
      INSERT INTO "IngestEvent" (source, "bodySha256", payload, status, "receivedAt")
      VALUES ('tenovi_webhook', ${randomUUID()}, ${JSON.stringify(row)}::jsonb, 'received', ${new Date(Date.now() - 120_000).toISOString()}::timestamp(3))
      RETURNING id`;
    if (!event) throw new Error("no event inserted");
    const result = await sweepIngestEvents({ scope: { eventIds: [event.id] } });
    expect(result).toMatchObject({ candidates: 1, processed: 1 });
    expect(await db.reading.count({ where: { deviceId: device.id } })).toBe(1);
  });

  it("two drains at once never process one event twice, and store one set of readings", async () => {
    const devices = await Promise.all(Array.from({ length: 4 }, () => tenoviDeviceWithPatient()));
    const ids: string[] = [];
    for (let i = 0; i < 24; i += 1) {
      const { hwiDeviceId } = devices[i % devices.length] ?? (await tenoviDeviceWithPatient());
      const timestamp = new Date(Date.UTC(2025, 0, 1, 8, i)).toISOString().replace(".000", "");
      // Every third measurement arrives as two single-row webhooks (blood pressure, then pulse), the rest as arrays.
      const pair = tenoviBpmPair({ hwi_device_id: hwiDeviceId, timestamp });
      const sends = i % 3 === 0 ? [pair[0], pair[1]] : [pair];
      for (const payload of sends) ids.push((await postTenovi(payload)).body.eventId);
    }
    const record = validicBloodPressureRecord();
    ids.push((await postValidic(pushBatch([record]))).body.eventId);
    ids.push((await postValidic(pushBatch([validicBloodPressureRecord()]))).body.eventId);
    const scope = { eventIds: ids.map(BigInt) };

    const [a, b] = await Promise.all([
      drainIngestEvents({ scope, settings: { tenoviBatchSize: 7 } }),
      drainIngestEvents({ scope, settings: { tenoviBatchSize: 7 } }),
    ]);

    expect(a.processed + b.processed).toBe(ids.length);
    expect(a.failed + b.failed).toBe(0);
    const events = await statuses(ids);
    expect(events.every((event) => event.status === "processed" && event.attempts === 1)).toBe(true);
    const readings = await db.reading.findMany({ where: { deviceId: { in: devices.map((d) => d.device.id) } } });
    expect(readings).toHaveLength(24 * 2);
    expect(new Set(readings.map((r) => `${r.vendorRecordId}:${r.metric}`)).size).toBe(24 * 2);
    expect(await db.reading.count({ where: { vendor: "validic", vendorRecordId: record.id } })).toBe(2);
  });
});

// One clinic's worth of Tenovi deliveries, with its own devices and patients: paired rows as an array, the same
// measurement split over two webhooks, a resend, a changed resend, an unknown device attributed by external_id, an
// unmatched one, a battery row and a measurement of the same device later on.
async function tenoviWorld() {
  const { patient, device, hwiDeviceId } = await tenoviDeviceWithPatient();
  const ext = uniqueId("ext");
  const other = await createPatient();
  const externalId = uniqueId("ext");
  await createIdentity(other.id, "tenovi", externalId);
  const unknownHwi = randomUUID();
  const strayHwi = randomUUID();
  const at = (minute: number) => new Date(Date.UTC(2025, 1, 1, 9, minute)).toISOString().replace(".000", "");
  const pair = tenoviBpmPair({ hwi_device_id: hwiDeviceId, patient_id: ext, timestamp: at(0) });
  const split = tenoviBpmPair({ hwi_device_id: hwiDeviceId, patient_id: ext, timestamp: at(5) });
  const payloads: unknown[] = [
    pair,
    split[1],
    split[0],
    pair,
    [tenoviRow({ hwi_device_id: hwiDeviceId, patient_id: ext, timestamp: at(5), metric: "pulse", value_1: 77, value_2: null })],
    tenoviRow({ hwi_device_id: unknownHwi, patient_id: externalId, timestamp: at(7), metric: "weight", value_1: "182.4", value_2: null }),
    tenoviRow({ hwi_device_id: strayHwi, patient_id: null, timestamp: at(8), metric: "spO2", value_1: 97, value_2: 1 }),
    tenoviRow({ hwi_device_id: hwiDeviceId, patient_id: ext, timestamp: at(9), metric: "battery_percentage", value_1: 80, value_2: null }),
    tenoviBpmPair({ hwi_device_id: hwiDeviceId, patient_id: ext, timestamp: at(30) }),
  ];
  const roles = new Map<string | null, string>([
    [patient.id, "patient"],
    [other.id, "other"],
    [device.id, "device"],
    [null, "none"],
  ]);
  const keyRoles: [string, string][] = [
    [hwiDeviceId, "HWI"],
    [unknownHwi, "UNKNOWN"],
    [strayHwi, "STRAY"],
    [ext, "EXT"],
    [externalId, "OTHER_EXT"],
  ];
  return { payloads, device, roles, keyRoles, hwiIds: [hwiDeviceId, unknownHwi, strayHwi] };
}

type World = Awaited<ReturnType<typeof tenoviWorld>>;

// The rows a world's processing left, with its own ids replaced by their roles and event ids by their position.
async function snapshot(world: World, eventIds: string[]) {
  const anonymize = (text: string) => world.keyRoles.reduce((out, [id, role]) => out.split(id).join(role), text);
  const role = (id: string | null) => world.roles.get(id) ?? (id === null ? "none" : "new");
  const keys = (
    await db.vendorRecord.findMany({ where: { vendor: "tenovi", OR: world.hwiIds.map((id) => ({ vendorRecordId: { startsWith: `${id}:` } })) } })
  ).map((record) => record.vendorRecordId);
  const records = await db.vendorRecord.findMany({ where: { vendor: "tenovi", vendorRecordId: { in: keys } }, orderBy: { vendorRecordId: "asc" } });
  const readings = await db.reading.findMany({
    where: { vendor: "tenovi", vendorRecordId: { in: keys } },
    orderBy: [{ vendorRecordId: "asc" }, { metric: "asc" }],
  });
  const device = await db.device.findUniqueOrThrow({ where: { id: world.device.id } });
  const events = await db.ingestEvent.findMany({ where: { id: { in: eventIds.map(BigInt) } }, orderBy: { id: "asc" } });
  return {
    records: records
      .map((r) => ({
        key: anonymize(r.vendorRecordId),
        checksum: r.checksum === null ? null : "set",
        payload: JSON.parse(anonymize(JSON.stringify(r.payload))) as unknown,
        startTime: r.startTime,
        patient: role(r.patientId),
        device: role(r.deviceId),
      }))
      .sort((x, y) => (x.key < y.key ? -1 : 1)),
    readings: readings
      .map((r) => ({
        key: anonymize(r.vendorRecordId),
        metric: r.metric,
        value: r.value,
        value2: r.value2,
        unit: r.unit,
        measuredAt: r.measuredAt,
        utcOffsetSeconds: r.utcOffsetSeconds,
        flags: r.flags,
        arrival: r.arrival,
        patient: role(r.patientId),
        device: role(r.deviceId),
        deleted: r.deletedAt !== null,
        event: eventIds.indexOf(String(r.ingestEventId)),
      }))
      .sort((x, y) => (`${x.key}${x.metric}` < `${y.key}${y.metric}` ? -1 : 1)),
    device: { lifecycle: device.lifecycle, firstReadingAt: device.firstReadingAt, lastReadingAt: device.lastReadingAt },
    events: events.map((e) => ({ status: e.status, attempts: e.attempts, error: e.error })),
  };
}

describe("Tenovi webhooks in bulk", () => {
  it("store exactly the rows one-by-one processing stores (arrays, split rows, resends, unknown and unmatched devices)", async () => {
    const single = await tenoviWorld();
    const singleIds: string[] = [];
    for (const payload of single.payloads) {
      const { body } = await postTenovi(payload);
      singleIds.push(body.eventId);
      expect((await processIngestEvent(body.eventId)).status).toBe("processed");
    }
    const bulk = await tenoviWorld();
    const bulkIds: string[] = [];
    for (const payload of bulk.payloads) bulkIds.push((await postTenovi(payload)).body.eventId);
    const result = await drainIngestEvents({ scope: { eventIds: bulkIds.map(BigInt) } });
    expect(result).toMatchObject({ processed: bulk.payloads.length, bulkProcessed: bulk.payloads.length, failed: 0, rounds: 2 });

    const expected = await snapshot(single, singleIds);
    expect(expected.readings.length).toBeGreaterThan(8);
    expect(await snapshot(bulk, bulkIds)).toEqual(expected);
  });

  it("a delivery that cannot be processed fails alone; the rest of the bulk is stored", async () => {
    const { device, hwiDeviceId } = await tenoviDeviceWithPatient();
    const good = (await postTenovi(tenoviRow({ hwi_device_id: hwiDeviceId }))).body.eventId;
    // Passes the receiver's check but not the database: an offset past the integer column's range fails the bulk
    // transaction, and the drain falls back to one by one.
    const bad = (await postTenovi(tenoviRow({ hwi_device_id: hwiDeviceId, metric: "pulse", timezone_offset: 99_999_999 }))).body.eventId;
    const result = await drainIngestEvents({ scope: { eventIds: [BigInt(good), BigInt(bad)] } });
    expect(result).toMatchObject({ processed: 1, failed: 1 });
    expect(await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(bad) } })).toMatchObject({ status: "failed" });
    expect(await db.reading.count({ where: { deviceId: device.id } })).toBe(1);
  });
});

describe("receiver limits", () => {
  it("answers 429 with Retry-After after repeated failed authentication from one address, and audits it without the credential", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    options = { authLimiter: createFailureLimiter({ limit: 3, windowMs: 60_000 }) };
    try {
      for (let i = 0; i < 3; i += 1) expect((await postTenovi(tenoviRow(), { [AUTH.header]: `wrong-${i}`, "X-Forwarded-For": ip })).status).toBe(401);
      const limited = await postTenovi(tenoviRow(), { [AUTH.header]: AUTH.key, "X-Forwarded-For": ip });
      expect(limited.status).toBe(429);
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      expect((await postValidic(pushBatch([]), token, { "X-Forwarded-For": ip })).status).toBe(429);
      // Another address is not affected.
      expect((await postValidic(pushBatch([]), "not-a-token", { "X-Forwarded-For": `${ip}0` })).status).toBe(401);
      expect((await postValidic(pushBatch([]), token, { "X-Forwarded-For": `${ip}0` })).status).toBe(200);
      const audit = await db.auditEvent.findMany({ where: { action: "ingest.auth_rate_limited", sourceIp: ip } });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ outcome: "denied", targetId: "tenovi-webhook", actorRole: "system" });
      expect(JSON.stringify(audit.map(({ id: _id, ...rest }) => rest))).not.toContain("wrong-");
    } finally {
      options = {};
    }
  });

  it("answers 503 with Retry-After, never 500, when the receiver is overloaded; 64 pushes at once all succeed", async () => {
    const gate = createIngestGate({ concurrency: 1, maxQueued: 0 });
    let release = () => undefined as void;
    const held = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    options = { gate };
    try {
      const refused = await postTenovi(tenoviRow());
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBe("5");
    } finally {
      release();
      await held;
      options = {};
    }
    const records = Array.from({ length: 64 }, () => Array.from({ length: 20 }, () => validicBloodPressureRecord()));
    const answers = await Promise.all(records.map((batch) => postValidic(pushBatch(batch))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(64).fill(200));
  });
});
