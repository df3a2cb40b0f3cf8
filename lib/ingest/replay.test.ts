import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { pushBatch, tenoviRow, validicBloodPressureRecord } from "@/lib/ingest/payload-fixtures";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { TENOVI_MEASUREMENT_ASSUMPTIONS } from "@/lib/ingest/tenovi-readings";
import { replayIngestEvents } from "@/lib/ingest/replay";
import { createDevice, createIdentity, createPatient } from "@/lib/ingest/test-fixtures";

// Replay re-processes stored payloads after a mapping fix: derived readings change in place, never duplicate.
// Events live in a far-past time range of their own, so range replays here touch no other file's events.

const ORIGINAL_TEMPERATURE_UNIT = TENOVI_MEASUREMENT_ASSUMPTIONS.temperatureUnit;

afterEach(() => {
  TENOVI_MEASUREMENT_ASSUMPTIONS.temperatureUnit = ORIGINAL_TEMPERATURE_UNIT;
});

async function storedEvent(source: "tenovi_webhook" | "validic_push", payload: unknown, receivedAt = new Date()) {
  return db.ingestEvent.create({ data: { source, bodySha256: randomUUID(), payload: payload as Prisma.InputJsonValue, receivedAt } });
}

async function thermometerEvent(receivedAt?: Date) {
  const patient = await createPatient();
  const hwiDeviceId = randomUUID();
  const device = await createDevice({ vendor: "tenovi", vendorDeviceId: hwiDeviceId, patientId: patient.id, category: "thermometer", lifecycle: "active" });
  const row = tenoviRow({ metric: "temperature", hwi_device_id: hwiDeviceId, value_1: "98.6", value_2: null, device_name: "Tenovi Thermometer" });
  const event = await storedEvent("tenovi_webhook", row, receivedAt);
  expect((await processIngestEvent(event.id)).status).toBe("processed");
  return { event, device };
}

describe("replay", () => {
  it("ASSUMPTION (°F): after the temperature mapping changes, replaying updates the reading in place", async () => {
    const { event, device } = await thermometerEvent();
    const before = await db.reading.findFirstOrThrow({ where: { deviceId: device.id } });
    expect(before).toMatchObject({ metric: "temperature", value: 37, unit: "C" });

    TENOVI_MEASUREMENT_ASSUMPTIONS.temperatureUnit = "C";
    // Plain processing skips a processed event: only a forced replay re-derives it.
    expect((await processIngestEvent(event.id)).status).toBe("skipped");
    const result = await replayIngestEvents({ mode: "id", id: String(event.id) });

    expect(result).toMatchObject({ events: 1, processed: 1, readingsCreated: 0, readingsUpdated: 1 });
    const after = await db.reading.findMany({ where: { deviceId: device.id } });
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, value: 98.6, unit: "C", patientId: before.patientId, ingestEventId: event.id });

    const again = await replayIngestEvents({ mode: "id", id: String(event.id) });
    expect(again).toMatchObject({ processed: 1, readingsCreated: 0, readingsUpdated: 0 });
  });

  it("re-derives a record whose checksum is unchanged (a Validic record the old mapping got wrong)", async () => {
    const patient = await createPatient();
    const uid = `uid-${randomUUID()}`;
    await createIdentity(patient.id, "validic", uid);
    const record = validicBloodPressureRecord({ uid, systolic: 141, diastolic: 91 });
    const event = await storedEvent("validic_push", pushBatch([record]));
    await processIngestEvent(event.id);
    const bp = await db.reading.findFirstOrThrow({ where: { vendor: "validic", vendorRecordId: record.id, metric: "blood_pressure" } });
    // What an earlier, wrong mapping had stored (systolic and diastolic swapped).
    await db.reading.update({ where: { id: bp.id }, data: { value: 91, value2: 141 } });

    const result = await replayIngestEvents({ mode: "id", id: String(event.id) });

    expect(result.readingsUpdated).toBe(1);
    expect(await db.reading.findMany({ where: { vendor: "validic", vendorRecordId: record.id }, orderBy: { metric: "asc" } })).toMatchObject([
      { id: bp.id, metric: "blood_pressure", value: 141, value2: 91 },
      { metric: "pulse" },
    ]);
  });

  it("replays a time range without duplicating anything", async () => {
    const base = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1e9));
    const first = await thermometerEvent(new Date(base.getTime() + 1_000));
    const second = await thermometerEvent(new Date(base.getTime() + 2_000));
    const outside = await thermometerEvent(new Date(base.getTime() + 60_000));
    TENOVI_MEASUREMENT_ASSUMPTIONS.temperatureUnit = "C";

    const result = await replayIngestEvents({ mode: "range", since: base, until: new Date(base.getTime() + 10_000) });

    expect(result).toMatchObject({ events: 2, processed: 2, readingsUpdated: 2, readingsCreated: 0 });
    for (const { device } of [first, second]) expect(await db.reading.findMany({ where: { deviceId: device.id } })).toMatchObject([{ value: 98.6 }]);
    expect(await db.reading.findMany({ where: { deviceId: outside.device.id } })).toMatchObject([{ value: 37 }]);
  });

  it("replays failed events, and refuses a rejected one", async () => {
    const patient = await createPatient();
    const hwiDeviceId = randomUUID();
    await createDevice({ vendor: "tenovi", vendorDeviceId: hwiDeviceId, patientId: patient.id, lifecycle: "active" });
    const failed = await db.ingestEvent.create({
      data: {
        source: "tenovi_webhook",
        bodySha256: randomUUID(),
        payload: tenoviRow({ hwi_device_id: hwiDeviceId }) as Prisma.InputJsonValue,
        status: "failed",
        attempts: 5,
        error: "database error",
      },
    });
    // `afterId` keeps this file's replay to its own event in the shared test database.
    const result = await replayIngestEvents({ mode: "failed" }, { afterId: failed.id - 1n, limit: 1 });
    expect(result).toMatchObject({ events: 1, processed: 1, lastEventId: String(failed.id) });
    expect(await db.ingestEvent.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: "processed", error: null });
    expect(await db.reading.count({ where: { ingestEventId: failed.id } })).toBe(1);

    const rejected = await db.ingestEvent.create({
      data: { source: "tenovi_webhook", bodySha256: randomUUID(), rawBody: "[{", status: "rejected", error: "body is not valid JSON" },
    });
    await expect(replayIngestEvents({ mode: "id", id: String(rejected.id) })).rejects.toThrow(/rejected at the door/);
    await expect(replayIngestEvents({ mode: "id", id: "999999999999" })).rejects.toThrow(/does not exist/);
  });
});
