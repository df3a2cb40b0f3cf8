import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { pushBatch, tenoviBpmPair, uniqueId, uniqueImei, validicBloodPressureRecord } from "@/lib/ingest/payload-fixtures";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { READINGS_STORED_LISTENERS } from "@/lib/ingest/readings-hook";
import { createDevice, createPatient } from "@/lib/ingest/test-fixtures";
import { assignUnmatchedReadings, countUnmatchedReadings, listUnmatchedGroups } from "@/lib/ingest/unmatched";

// The unmatched queue: readings no patient was found for, grouped by device and account, and assigned by an admin.

afterEach(() => {
  READINGS_STORED_LISTENERS.length = 0;
});

async function ingest(source: "tenovi_webhook" | "validic_push", payload: unknown) {
  const event = await db.ingestEvent.create({ data: { source, bodySha256: randomUUID(), payload: payload as Prisma.InputJsonValue } });
  expect((await processIngestEvent(event.id)).status).toBe("processed");
  return event;
}

describe("unmatched queue", () => {
  it("groups a Tenovi device nobody holds, assigns it once even when two admins click at once, and registers the device", async () => {
    const hwiDeviceId = randomUUID();
    const externalId = uniqueId("ext");
    const pair = tenoviBpmPair({ hwi_device_id: hwiDeviceId, patient_id: externalId });
    await ingest("tenovi_webhook", pair);
    expect(await countUnmatchedReadings()).toBeGreaterThanOrEqual(2);
    const group = (await listUnmatchedGroups({ limit: 1000 })).find((g) => g.deviceKey === hwiDeviceId);
    expect(group).toMatchObject({ vendor: "tenovi", accountKey: externalId, readings: 2, deviceId: null });
    expect(group?.metrics.sort()).toEqual(["blood_pressure", "pulse"]);
    const patient = await createPatient();
    const hooked: bigint[][] = [];
    READINGS_STORED_LISTENERS.push(async (ids) => {
      hooked.push(ids);
    });

    const input = { vendor: "tenovi" as const, deviceKey: hwiDeviceId, accountKey: externalId, patientId: patient.id, registerDevice: true };
    const outcomes = await Promise.allSettled([assignUnmatchedReadings(input, { actorId: null }), assignUnmatchedReadings(input, { actorId: null })]);

    const succeeded = outcomes.filter((o) => o.status === "fulfilled");
    expect(succeeded).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason instanceof AppError && refused.reason.code === "NOT_FOUND").toBe(true);
    const readings = await db.reading.findMany({ where: { vendor: "tenovi", vendorRecordId: { startsWith: `${hwiDeviceId}:` } } });
    expect(readings).toHaveLength(2);
    const device = await db.device.findUniqueOrThrow({
      where: { vendor_vendorDeviceId: { vendor: "tenovi", vendorDeviceId: hwiDeviceId } },
      include: { assignments: true, events: true },
    });
    expect(device).toMatchObject({ patientId: patient.id, category: "blood_pressure", vendorType: "Tenovi BPM - L", lifecycle: "active" });
    expect(device.assignments).toHaveLength(1);
    expect(device.events.map((e) => e.type)).toEqual(["registered_from_unmatched"]);
    expect(readings.every((r) => r.patientId === patient.id && r.deviceId === device.id)).toBe(true);
    expect(await db.vendorRecord.findMany({ where: { vendor: "tenovi", vendorRecordId: readings[0]?.vendorRecordId } })).toMatchObject([
      { patientId: patient.id, deviceId: device.id },
    ]);
    expect(hooked).toEqual([readings.map((r) => r.id).sort((a, b) => (a < b ? -1 : 1))]);
    expect((await listUnmatchedGroups({ limit: 1000 })).some((g) => g.deviceKey === hwiDeviceId)).toBe(false);

    // The same webhook again duplicates nothing; a new reading from the device attributes by itself.
    await ingest("tenovi_webhook", pair);
    expect(await db.reading.count({ where: { vendor: "tenovi", vendorRecordId: { startsWith: `${hwiDeviceId}:` } } })).toBe(2);
    await ingest("tenovi_webhook", tenoviBpmPair({ hwi_device_id: hwiDeviceId, patient_id: externalId, timestamp: "2024-05-03T08:00:00Z" }));
    expect(await db.reading.count({ where: { vendor: "tenovi", vendorRecordId: { startsWith: `${hwiDeviceId}:` }, patientId: patient.id } })).toBe(4);
  });

  it("assigns a Validic IMEI's readings without registering the device, so later ones stay unmatched", async () => {
    const imei = uniqueImei();
    const uid = uniqueId("uid");
    await ingest("validic_push", pushBatch([validicBloodPressureRecord({ imei, uid })]));
    const patient = await createPatient();

    const result = await assignUnmatchedReadings({ vendor: "validic", deviceKey: imei, accountKey: uid, patientId: patient.id });

    expect(result).toMatchObject({ readings: 2, deviceId: null, deviceCreated: false });
    expect(await db.device.findUnique({ where: { vendor_imei: { vendor: "validic", imei } } })).toBeNull();
    await ingest("validic_push", pushBatch([validicBloodPressureRecord({ imei, uid })]));
    expect((await listUnmatchedGroups({ limit: 1000 })).find((g) => g.deviceKey === imei)).toMatchObject({ readings: 2 });
  });

  it("refuses to register a device that belongs to another patient", async () => {
    const owner = await createPatient();
    const hwiDeviceId = randomUUID();
    const device = await createDevice({ vendor: "tenovi", vendorDeviceId: hwiDeviceId, patientId: owner.id, lifecycle: "active" });
    // Readings from before the owner's assignment began stay unmatched.
    await db.deviceAssignment.create({ data: { deviceId: device.id, patientId: owner.id, startedAt: new Date("2030-01-01T00:00:00Z") } });
    await db.device.update({ where: { id: device.id }, data: { patientId: null } });
    const externalId = uniqueId("ext");
    await ingest("tenovi_webhook", tenoviBpmPair({ hwi_device_id: hwiDeviceId, patient_id: externalId }));
    await db.device.update({ where: { id: device.id }, data: { patientId: owner.id } });
    const other = await createPatient();

    await expect(
      assignUnmatchedReadings({ vendor: "tenovi", deviceKey: hwiDeviceId, accountKey: externalId, patientId: other.id, registerDevice: true }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.reading.count({ where: { deviceId: device.id, patientId: null } })).toBe(2);
  });
});
