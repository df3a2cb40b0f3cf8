import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { POST as pushRoute } from "@/app/api/ingest/validic/route";
import { POST as tokenRoute } from "@/app/api/ingest/validic/token/route";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createIngestDb } from "@/lib/ingest/ingest-db";
import {
  pushBatch,
  SMART_METER_SAMPLE_RECORD,
  tenoviBpmPair,
  uniqueId,
  uniqueImei,
  VALIDIC_PUSH_EXAMPLE,
  validicBloodPressureRecord,
  validicGlucoseRecord,
} from "@/lib/ingest/payload-fixtures";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { receiveTenoviWebhook, receiveValidicPush } from "@/lib/ingest/receivers";
import { createDevice, createIdentity, createPatient, createShipment, drainEvents, readingsOf, startRouteServer } from "@/lib/ingest/test-fixtures";
import { handleTokenRequest } from "@/lib/ingest/token-endpoint";
import { SIMULATOR_CREDENTIALS, tenoviConfig } from "@/lib/vendors/config";

const PUSH_URL = "http://pulseboard.test/api/ingest/validic";
const BASIC = `Basic ${Buffer.from(`${SIMULATOR_CREDENTIALS.validic.pushClientId}:${SIMULATOR_CREDENTIALS.validic.pushClientSecret}`).toString("base64")}`;
let token = "";

beforeAll(async () => {
  const response = await tokenRoute(
    new Request(`${PUSH_URL}/token`, {
      method: "POST",
      headers: { Authorization: BASIC, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    }),
  );
  token = ((await response.json()) as { access_token: string }).access_token;
});

function pushRequest(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(PUSH_URL, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers }, body });
}

// Pushes a batch and, once it is accepted, processes it as the worker does; `processing` is that outcome.
async function push(
  batch: unknown,
): Promise<{ status: number; body: { eventId: string; processing?: string; duplicateOf?: string; error?: string; message?: string } }> {
  const response = await pushRoute(pushRequest(JSON.stringify(batch)));
  const body = (await response.json()) as { eventId: string; processing?: string; duplicateOf?: string };
  if (response.status === 200) {
    const outcome = await processIngestEvent(body.eventId);
    body.processing = outcome.status;
    if (outcome.duplicateOf) body.duplicateOf = outcome.duplicateOf;
  }
  return { status: response.status, body };
}

// The IngestEvent a push's answer names.
async function eventOf(response: Response) {
  const { eventId } = (await response.json()) as { eventId: string };
  return db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(eventId) } });
}

describe("Validic push receiver: the vendor-docs samples", () => {
  it("stores the Push Service example (a nutrition record) raw before answering, keeps it as a vendor record, derives no readings", async () => {
    const text = JSON.stringify(VALIDIC_PUSH_EXAMPLE);
    const response = await pushRoute(pushRequest(text));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { status: string; eventId: string };
    expect(answer).toEqual({ status: "accepted", eventId: answer.eventId });
    const eventId = answer.eventId;
    // Stored, not processed: the worker does that after the answer.
    expect(await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(eventId) } })).toMatchObject({ status: "received", processedAt: null });
    expect((await processIngestEvent(eventId)).status).toBe("processed");
    const event = await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(eventId) } });
    expect(event).toMatchObject({ source: "validic_push", deliveryId: VALIDIC_PUSH_EXAMPLE.id, status: "processed", rawBody: null, error: null });
    expect(event.bodySha256).toBe(createHash("sha256").update(text).digest("hex"));
    expect(event.payload).toEqual(VALIDIC_PUSH_EXAMPLE);
    const record = await db.vendorRecord.findUniqueOrThrow({
      where: { vendor_vendorRecordId: { vendor: "validic", vendorRecordId: "860926cc4e432db37bdf62200363014e" } },
    });
    expect(record).toMatchObject({ recordType: "nutrition", checksum: "18d34a6d347bfb5b23c9baace1f0fa7e", patientId: null, deletedAt: null });
    expect(record.startTime?.toISOString()).toBe("2019-07-08T07:00:00.000Z");
    expect(record.payload).toEqual(VALIDIC_PUSH_EXAMPLE.data[0]);
    expect(await db.reading.count({ where: { vendor: "validic", vendorRecordId: "860926cc4e432db37bdf62200363014e" } })).toBe(0);
  });

  it("turns the Smart Meter sample record into spo2 and pulse readings for the patient holding the uid, on the IMEI's device", async () => {
    const patient = await createPatient();
    await createIdentity(patient.id, "validic", SMART_METER_SAMPLE_RECORD.user.uid);
    const device = await createDevice({
      vendor: "validic",
      imei: SMART_METER_SAMPLE_RECORD.source.device.id,
      patientId: patient.id,
      category: "pulse_oximeter",
    });
    const shipment = await createShipment(patient.id, device.id, "shipped");
    const { status } = await push(pushBatch([SMART_METER_SAMPLE_RECORD]));
    expect(status).toBe(200);
    const common = {
      patientId: patient.id,
      deviceId: device.id,
      vendor: "validic",
      vendorRecordId: "3de314260ccSAMPLE69c5bae6547f1",
      value2: null,
      measuredAt: new Date("2023-10-10T15:58:56Z"),
      utcOffsetSeconds: -14400,
      origin: "device",
      flags: [],
      mealContext: null,
      arrival: "push",
      deletedAt: null,
    };
    expect(await readingsOf("validic", ["3de314260ccSAMPLE69c5bae6547f1"])).toEqual([
      { ...common, metric: "pulse", value: 82, unit: "bpm" },
      { ...common, metric: "spo2", value: 99, unit: "percent" },
    ]);
    const after = await db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(after.lifecycle).toBe("active");
    expect(after.firstReadingAt?.toISOString()).toBe("2023-10-10T15:58:56.000Z");
    expect(after.lastReadingAt?.toISOString()).toBe("2023-10-10T15:58:56.000Z");
    const delivered = await db.shipment.findUniqueOrThrow({ where: { id: shipment.id }, include: { statusChanges: true } });
    expect(delivered.status).toBe("Delivered");
    expect(delivered.deliveredAt?.toISOString()).toBe("2023-10-10T15:58:56.000Z");
    expect(delivered.statusChanges.map((c) => [c.status, c.source])).toEqual([["Delivered", "webhook"]]);
    expect(await db.deviceEvent.count({ where: { deviceId: device.id, type: "first_reading" } })).toBe(1);
  });
});

describe("Validic push receiver: readings and attribution", () => {
  it("makes one blood_pressure reading (systolic in value, diastolic in value2) plus pulse", async () => {
    const patient = await createPatient();
    const record = validicBloodPressureRecord({ systolic: 141, diastolic: 93, pulse: 77 });
    await createIdentity(patient.id, "validic", record.user.uid);
    await push(pushBatch([record]));
    const readings = await readingsOf("validic", [record.id]);
    expect(readings.map((r) => [r.metric, r.value, r.value2, r.unit, r.patientId])).toEqual([
      ["blood_pressure", 141, 93, "mmHg", patient.id],
      ["pulse", 77, null, "bpm", patient.id],
    ]);
  });

  it("attributes by the Smart Meter IMEI when the uid is unknown, to the patient who held the device at measurement time", async () => {
    const [then, now] = [await createPatient(), await createPatient()];
    const imei = uniqueImei();
    const device = await createDevice({ vendor: "validic", imei, patientId: now.id, lifecycle: "active" });
    await db.deviceAssignment.create({ data: { deviceId: device.id, patientId: then.id, startedAt: new Date("2024-01-01"), endedAt: new Date("2024-04-01") } });
    await db.deviceAssignment.create({ data: { deviceId: device.id, patientId: now.id, startedAt: new Date("2024-04-01") } });
    const record = validicBloodPressureRecord({ imei });
    await push(pushBatch([record]));
    const readings = await readingsOf("validic", [record.id]);
    expect(readings.every((r) => r.patientId === then.id && r.deviceId === device.id)).toBe(true);
  });

  it("keeps readings it cannot attribute, with no patient (the unmatched queue)", async () => {
    const record = validicBloodPressureRecord();
    await push(pushBatch([record]));
    const readings = await readingsOf("validic", [record.id]);
    expect(readings).toHaveLength(2);
    expect(readings.every((r) => r.patientId === null && r.deviceId === null)).toBe(true);
  });

  it("keeps glucose in its unit, flags out-of-bounds values without changing them, and records the meal context", async () => {
    const low = validicGlucoseRecord({ value: 18, unit: "mg/dL", bound: "low", meal: "before" });
    const high = validicGlucoseRecord({ value: 35.2, unit: "mmol/L", bound: "high" });
    const normal = validicGlucoseRecord({ value: 6.1, unit: "mmol/L", meal: "after" });
    await push(pushBatch([low, high, normal]));
    const readings = await readingsOf("validic", [low.id, high.id, normal.id]);
    const byId = new Map(readings.map((r) => [r.vendorRecordId, r]));
    expect(byId.get(low.id)).toMatchObject({ metric: "blood_glucose", value: 18, unit: "mg/dL", flags: ["glucose_low"], mealContext: "before" });
    expect(byId.get(high.id)).toMatchObject({ metric: "blood_glucose", value: 35.2, unit: "mmol/L", flags: ["glucose_high"], mealContext: null });
    expect(byId.get(normal.id)).toMatchObject({ value: 6.1, flags: [], mealContext: "after" });
  });

  it("keeps other metrics (body_weight, body_temperature, anything new) with their units", async () => {
    const record = {
      ...validicBloodPressureRecord(),
      metrics: [
        { type: "body_weight", origin: "device", unit: "kg", value: 81.4 },
        { type: "body_temperature", origin: "manual", unit: "C", value: 37.2 },
        { type: "respiration_rate", origin: "device", unit: "bpm", value: 14 },
        { type: "systolic", origin: "device", unit: "mmHg", value: 120 },
      ],
    };
    await push(pushBatch([record]));
    const readings = await readingsOf("validic", [record.id]);
    expect(readings.map((r) => [r.metric, r.value, r.unit, r.origin])).toEqual([
      ["body_temperature", 37.2, "C", "manual"],
      ["body_weight", 81.4, "kg", "device"],
      ["respiration_rate", 14, "bpm", "device"],
      ["systolic", 120, "mmHg", "device"],
    ]);
  });

  it("processes the good records of a batch and notes the one that does not parse", async () => {
    const good = validicBloodPressureRecord();
    const { status, body } = await push(pushBatch([{ id: "broken", type: "measurement" }, good]));
    expect(status).toBe(200);
    expect(await readingsOf("validic", [good.id])).toHaveLength(2);
    const event = await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(body.eventId) } });
    expect(event.status).toBe("processed");
    expect(event.error).toMatch(/record 0 skipped: start_time/);
  });
});

describe("Validic push receiver: resends, updates and deletions", () => {
  it("gives one set of readings when the same batch arrives 10 times at once; every delivery is recorded", async () => {
    const records = [validicBloodPressureRecord(), validicGlucoseRecord({ value: 104, unit: "mg/dL" }), validicBloodPressureRecord()];
    const batch = pushBatch(records);
    const results = await Promise.all(Array.from({ length: 10 }, () => push(batch)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.filter((r) => r.body.processing === "processed")).toHaveLength(1);
    expect(results.filter((r) => r.body.processing === "duplicate")).toHaveLength(9);
    expect(await db.reading.count({ where: { vendor: "validic", vendorRecordId: { in: records.map((r) => r.id) } } })).toBe(5);
    expect(await db.vendorRecord.count({ where: { vendor: "validic", vendorRecordId: { in: records.map((r) => r.id) } } })).toBe(3);
    const events = await db.ingestEvent.findMany({ where: { deliveryId: batch.id } });
    expect(events).toHaveLength(10);
    expect(events.every((e) => e.status === "processed")).toBe(true);
  });

  it("gives one set of readings when different batches carrying the same records arrive at once", async () => {
    const records = Array.from({ length: 6 }, () => validicBloodPressureRecord());
    const batches = Array.from({ length: 6 }, (_, i) => pushBatch([...records.slice(i), ...records.slice(0, i)].reverse()));
    const results = await Promise.all(batches.map((batch) => push(batch)));
    expect(results.map((r) => [r.status, r.body.processing])).toEqual(Array(6).fill([200, "processed"]));
    expect(await db.reading.count({ where: { vendorRecordId: { in: records.map((r) => r.id) } } })).toBe(12);
  });

  it("skips a record whose checksum is unchanged when it comes again in another batch (the checksum decides)", async () => {
    const record = validicBloodPressureRecord({ systolic: 130 });
    await push(pushBatch([record]));
    const before = await db.reading.findMany({ where: { vendorRecordId: record.id }, orderBy: { metric: "asc" } });
    const sameChecksum = { ...record, metrics: record.metrics.map((m) => ({ ...m, value: m.value + 1 })) };
    const { body } = await push(pushBatch([sameChecksum]));
    expect(body.processing).toBe("processed");
    const after = await db.reading.findMany({ where: { vendorRecordId: record.id }, orderBy: { metric: "asc" } });
    expect(after).toEqual(before);
  });

  it("updates the same reading rows in place when the checksum changes", async () => {
    const record = validicBloodPressureRecord({ systolic: 150, diastolic: 95 });
    await push(pushBatch([record]));
    const [original] = await db.reading.findMany({ where: { vendorRecordId: record.id, metric: "blood_pressure" } });
    const changed = { ...record, checksum: "changed-checksum", metrics: record.metrics.map((m) => (m.type === "systolic" ? { ...m, value: 135 } : m)) };
    const { body } = await push(pushBatch([changed]));
    const [updated] = await db.reading.findMany({ where: { vendorRecordId: record.id, metric: "blood_pressure" } });
    expect(updated?.id).toBe(original?.id);
    expect(updated).toMatchObject({ value: 135, value2: 95, ingestEventId: BigInt(body.eventId) });
    const stored = await db.vendorRecord.findUniqueOrThrow({ where: { vendor_vendorRecordId: { vendor: "validic", vendorRecordId: record.id } } });
    expect(stored.checksum).toBe("changed-checksum");
  });

  it("hides (keeps, with deletedAt) the readings of a record Validic deleted", async () => {
    const record = validicBloodPressureRecord();
    await push(pushBatch([record]));
    await push(pushBatch([{ ...record, checksum: "deleted", deleted_at: "2024-03-02T08:00:00Z" }]));
    const readings = await db.reading.findMany({ where: { vendorRecordId: record.id } });
    expect(readings).toHaveLength(2);
    expect(readings.every((r) => r.deletedAt !== null)).toBe(true);
    const stored = await db.vendorRecord.findUniqueOrThrow({ where: { vendor_vendorRecordId: { vendor: "validic", vendorRecordId: record.id } } });
    expect(stored.deletedAt?.toISOString()).toBe("2024-03-02T08:00:00.000Z");
  });

  it("keeps each new record's payload exactly as sent (unknown fields too), whatever its place in the batch", async () => {
    const later = { ...validicBloodPressureRecord(), id: uniqueId("zz-record"), vendor_extra: { kept: [1, "two"] } };
    const earlier = { ...validicBloodPressureRecord({ systolic: 150 }), id: uniqueId("aa-record") };
    const unreadable = { id: uniqueId("bad"), type: "measurement" };
    const batch = pushBatch([unreadable, later, earlier]);
    const event = await db.ingestEvent.create({ data: { source: "validic_push", deliveryId: batch.id, bodySha256: "x", payload: batch as Prisma.InputJsonValue } });
    expect(await processIngestEvent(event.id)).toMatchObject({ status: "processed", counts: { recordsCreated: 2, skipped: 1 } });
    const stored = await db.vendorRecord.findMany({ where: { vendor: "validic", vendorRecordId: { in: [later.id, earlier.id] } }, select: { vendorRecordId: true, payload: true } });
    expect(new Map(stored.map((row) => [row.vendorRecordId, row.payload]))).toEqual(new Map([[later.id, later], [earlier.id, earlier]]));
  });

  it("processIngestEvent is idempotent and can replay a stored event later", async () => {
    const record = validicBloodPressureRecord();
    const batch = pushBatch([record]);
    const event = await db.ingestEvent.create({
      data: { source: "validic_push", deliveryId: batch.id, bodySha256: "x", payload: batch as Prisma.InputJsonValue },
    });
    expect((await processIngestEvent(event.id)).status).toBe("processed");
    expect((await processIngestEvent(event.id)).status).toBe("skipped");
    expect(await db.reading.count({ where: { vendorRecordId: record.id } })).toBe(2);
    const stored = await db.ingestEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored).toMatchObject({ status: "processed", attempts: 1 });
  });

  it("marks an event it cannot process as failed, with the reason, for a later replay", async () => {
    const event = await db.ingestEvent.create({ data: { source: "validic_push", bodySha256: "x", payload: { not: "a batch" } } });
    const outcome = await processIngestEvent(event.id);
    expect(outcome.status).toBe("failed");
    const stored = await db.ingestEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored).toMatchObject({ status: "failed", attempts: 1 });
    expect(stored.error).toEqual(expect.any(String));
  });

  it("skips a record PostgreSQL could not store (time, UTC offset, id length), with a note, and keeps the rest of its batch", async () => {
    const good = { ...validicBloodPressureRecord(), id: uniqueId("good") };
    const unstorable = [
      { ...validicBloodPressureRecord(), id: uniqueId("offset"), utc_offset: 10_000_000_000 },
      { ...validicBloodPressureRecord(), id: uniqueId("fraction"), utc_offset: 3600.5 },
      { ...validicBloodPressureRecord(), id: uniqueId("time"), start_time: "yesterday at noon" },
      { ...validicBloodPressureRecord(), id: uniqueId("year"), start_time: "0000-01-01T00:00:00Z" },
      { ...validicBloodPressureRecord(), id: uniqueId("x".repeat(3000)) },
    ];
    const batch = pushBatch([good, ...unstorable]);
    const event = await db.ingestEvent.create({ data: { source: "validic_push", deliveryId: batch.id, bodySha256: "x", payload: batch as Prisma.InputJsonValue } });
    expect(await processIngestEvent(event.id)).toMatchObject({ status: "processed", counts: { recordsCreated: 1, skipped: 5 } });
    const stored = await db.ingestEvent.findUniqueOrThrow({ where: { id: event.id } });
    // Each note: "record <index> skipped: <field>: <why>".
    expect(stored.error?.split("; ").map((note) => note.split(":").slice(0, 2).join(":"))).toEqual([
      "record 1 skipped: utc_offset",
      "record 2 skipped: utc_offset",
      "record 3 skipped: start_time",
      "record 4 skipped: start_time",
      "record 5 skipped: id",
    ]);
    expect(await db.reading.count({ where: { vendorRecordId: good.id } })).toBe(2);
    expect(await db.vendorRecord.count({ where: { vendor: "validic", vendorRecordId: { in: unstorable.map((record) => record.id) } } })).toBe(0);
  });

  it("fails an event PostgreSQL refuses with the database's reason, and stores nothing of it", async () => {
    // The record schema keeps out what PostgreSQL cannot store, so a trigger refuses this record's readings.
    const record = validicBloodPressureRecord();
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION refuse_test_reading() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'refused in a test'; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_test_reading BEFORE INSERT ON "Reading" FOR EACH ROW WHEN (NEW."vendorRecordId" = '${record.id}') EXECUTE FUNCTION refuse_test_reading()`);
    const batch = pushBatch([record]);
    const event = await db.ingestEvent.create({ data: { source: "validic_push", deliveryId: batch.id, bodySha256: "x", payload: batch as Prisma.InputJsonValue } });
    try {
      expect(await processIngestEvent(event.id)).toMatchObject({ status: "failed", error: "database error 22023: refused in a test" });
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER refuse_test_reading ON "Reading"`);
    }
    expect(await db.ingestEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "failed", error: "database error 22023: refused in a test" });
    // One transaction: the vendor record claimed before the readings' insert failed is rolled back with it.
    expect(await db.vendorRecord.count({ where: { vendor: "validic", vendorRecordId: record.id } })).toBe(0);
  });
});

describe("Validic push receiver: bad bodies, limits and outages", () => {
  it("stores a body that is not JSON (rawBody kept) and answers 400 with the reason", async () => {
    const response = await pushRoute(pushRequest('{"id": "abc", "data": ['));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string; eventId: string };
    expect(body.message).toBe("body is not valid JSON");
    const event = await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(body.eventId) } });
    expect(event).toMatchObject({ status: "rejected", rawBody: '{"id": "abc", "data": [', payload: null, error: "body is not valid JSON" });
  });

  it("stores JSON that is not a batch (payload kept, delivery id when present) and answers 400 saying why", async () => {
    const { status, body } = await push({ id: "batch-without-data", meta: { count: 0 } });
    expect(status).toBe(400);
    expect(body.message).toMatch(/not a Validic push batch: data/);
    const event = await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(body.eventId) } });
    expect(event).toMatchObject({ status: "rejected", deliveryId: "batch-without-data", payload: { id: "batch-without-data", meta: { count: 0 } } });
  });

  it("keeps JSON that PostgreSQL's jsonb cannot hold (U+0000, deep nesting) as raw text, rejected with the reason", async () => {
    const withNul = '{"id":"nul-batch","data":[],"meta":{"count":0},"note":"a\\u0000b"}';
    const nulResponse = await pushRoute(pushRequest(withNul));
    expect(nulResponse.status).toBe(400);
    const nulEvent = await eventOf(nulResponse);
    expect(nulEvent).toMatchObject({ status: "rejected", payload: null, rawBody: withNul, error: "JSON contains U+0000 or an unpaired surrogate" });
    // A lone surrogate in a key (an upper-case escape) is refused too; an escaped backslash before "u0000" is only text.
    const loneSurrogateKey = '{"id":"surrogate-batch","data":[],"meta":{"count":0},"\\uDC00note":"b"}';
    const surrogateEvent = await eventOf(await pushRoute(pushRequest(loneSurrogateKey)));
    expect(surrogateEvent).toMatchObject({ payload: null, rawBody: loneSurrogateKey, error: "JSON contains U+0000 or an unpaired surrogate" });
    const backslashEvent = await eventOf(await pushRoute(pushRequest('{"id":"backslash-batch","data":[],"meta":{"count":0},"note":"a\\\\u0000b"}')));
    expect(backslashEvent.payload).toMatchObject({ note: "a\\u0000b" });
    const deep = `${"[".repeat(500)}${"]".repeat(500)}`;
    const deepResponse = await pushRoute(pushRequest(deep));
    expect(deepResponse.status).toBe(400);
    expect(((await deepResponse.json()) as { message: string }).message).toMatch(/nests deeper/);
  });

  it("keeps bytes that are not UTF-8 as base64, verifiable against bodySha256", async () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x7b]);
    const response = await pushRoute(pushRequest(bytes));
    expect(response.status).toBe(400);
    const { eventId } = (await response.json()) as { eventId: string };
    const event = await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(eventId) } });
    expect(Buffer.from(event.rawBody ?? "", "base64")).toEqual(Buffer.from(bytes));
    expect(event.bodySha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(event.error).toMatch(/not valid UTF-8.*base64/);
  });

  it("answers 413 to a declared Content-Length over 10 MB without reading the body", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request(PUSH_URL, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Length": String(11 * 1024 * 1024) },
      body: stream,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    const response = await pushRoute(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(2);
  });

  it("stops reading an endless body just past the limit and answers 413", async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(PUSH_URL, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: endless, duplex: "half" } as RequestInit & {
      duplex: "half";
    });
    const response = await pushRoute(request);
    expect(response.status).toBe(413);
    expect(sent).toBeGreaterThan(10 * 1024 * 1024);
    expect(sent).toBeLessThan(10 * 1024 * 1024 + 1024 * 1024);
  });

  it("answers 503 within seconds, storing nothing, when the database cannot be reached", async () => {
    const port = await closedPort();
    const deadDb = createIngestDb(`postgresql://pulseboard:x@127.0.0.1:${port}/pulseboard`, { connectionTimeoutMillis: 1_000 });
    const batch = pushBatch([validicBloodPressureRecord()]);
    const started = Date.now();
    const response = await receiveValidicPush(pushRequest(JSON.stringify(batch)), { db: deadDb });
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(((await response.json()) as { error: string }).error).toBe("database_unavailable");
    expect(await db.ingestEvent.count({ where: { deliveryId: batch.id } })).toBe(0);

    const config = tenoviConfig();
    const webhook = new Request("http://pulseboard.test/api/ingest/tenovi", {
      method: "POST",
      headers: { [config.webhookAuthHeader]: config.webhookAuthKey },
      body: JSON.stringify(tenoviBpmPair()),
    });
    expect((await receiveTenoviWebhook(webhook, { db: deadDb })).status).toBe(503);
    const tokenResponse = await handleTokenRequest(
      new Request(`${PUSH_URL}/token`, {
        method: "POST",
        headers: { Authorization: BASIC, "Content-Type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      }),
      { db: deadDb },
    );
    expect(tokenResponse.status).toBe(503);
    await deadDb.$disconnect();
  });
});

describe("Validic push over real HTTP", () => {
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    server = await startRouteServer({
      "/api/ingest/validic/token": tokenRoute,
      "/api/ingest/validic": pushRoute,
      "/api/ingest/validic-small": (request) => receiveValidicPush(request, { maxBodyBytes: 1024 }),
    });
  });
  afterAll(() => server.close());

  it("fetches a token with Basic auth, pushes a batch with it, and the readings exist", async () => {
    const tokenResponse = await fetch(`${server.url}/api/ingest/validic/token`, {
      method: "POST",
      headers: { Authorization: BASIC, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(tokenResponse.status).toBe(200);
    const { access_token } = (await tokenResponse.json()) as { access_token: string };
    const record = validicBloodPressureRecord();
    const pushResponse = await fetch(`${server.url}/api/ingest/validic`, {
      method: "POST",
      headers: { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json" },
      body: JSON.stringify(pushBatch([record])),
    });
    expect(pushResponse.status).toBe(200);
    // The worker's part.
    expect(await drainEvents([((await pushResponse.json()) as { eventId: string }).eventId])).toEqual(["processed"]);
    expect(await readingsOf("validic", [record.id])).toHaveLength(2);
    const unauthorized = await fetch(`${server.url}/api/ingest/validic`, { method: "POST", body: "{}" });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("www-authenticate")).toMatch(/^Bearer /);
  });

  it("answers 413 over the wire to a body past the limit", async () => {
    const response = await fetch(`${server.url}/api/ingest/validic-small`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(pushBatch([validicBloodPressureRecord(), validicBloodPressureRecord(), validicBloodPressureRecord()])),
    });
    expect(response.status).toBe(413);
  });
});

// A local port with nothing listening: bound, then released.
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}
