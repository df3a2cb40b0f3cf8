import { beforeAll, describe, expect, it } from "vitest";

import { POST as pushRoute } from "@/app/api/ingest/validic/route";
import { POST as tokenRoute } from "@/app/api/ingest/validic/token/route";
import { db } from "@/lib/db";
import { pushBatch, uniqueId, uniqueImei, VALIDIC_PUSH_EXAMPLE, validicBloodPressureRecord, validicTokenRequest } from "@/lib/ingest/payload-fixtures";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { createDevice, createIdentity, createPatient, readingsOf } from "@/lib/ingest/test-fixtures";
import { createRule } from "@/tests/factories";

// Push batches are processed in bulk (one INSERT for the new records, one for their readings, one UPDATE for the
// devices); these pin down that the outcome is the one record-by-record processing gives, and that concurrent
// batches over the same devices never deadlock.

const PUSH_URL = "http://pulseboard.test/api/ingest/validic";
let token = "";

beforeAll(async () => {
  const response = await tokenRoute(
    new Request(`${PUSH_URL}/token`, validicTokenRequest()),
  );
  token = ((await response.json()) as { access_token: string }).access_token;
});

async function push(batch: unknown): Promise<{ status: number; processing?: string }> {
  const response = await pushRoute(
    new Request(PUSH_URL, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(batch) }),
  );
  const body = (await response.json()) as { eventId: string };
  // The worker's part, after the receiver's 200.
  return { status: response.status, processing: response.status === 200 ? (await processIngestEvent(body.eventId)).status : undefined };
}

async function patientWithMeter() {
  const patient = await createPatient();
  const uid = uniqueId("uid");
  await createIdentity(patient.id, "validic", uid);
  const imei = uniqueImei();
  const device = await createDevice({ vendor: "validic", imei, patientId: patient.id, lifecycle: "delivered" });
  return { patient, uid, imei, device };
}

function at(minutes: number): string {
  return new Date(Date.UTC(2024, 2, 1, 12, minutes)).toISOString().replace(".000Z", "Z");
}

describe("Validic push batches processed in bulk", () => {
  it("processes concurrent batches of different records on the same devices without a lock-order deadlock", async () => {
    const meters = await Promise.all(Array.from({ length: 6 }, () => patientWithMeter()));
    // Eight batches, each with two records per device, every batch listing the devices in another order.
    const recordsOf = Array.from({ length: 8 }, (_, b) =>
      [...meters.slice(b % 6), ...meters.slice(0, b % 6)].flatMap((meter, m) =>
        [0, 1].map((k) => ({ ...validicBloodPressureRecord({ uid: meter.uid, imei: meter.imei }), start_time: at(b * 20 + m * 2 + k) })),
      ),
    );
    const results = await Promise.all(recordsOf.map((records) => push(pushBatch(records))));
    expect(results).toEqual(Array(8).fill({ status: 200, processing: "processed" }));
    const all = recordsOf.flat();
    expect(await db.reading.count({ where: { vendor: "validic", vendorRecordId: { in: all.map((record) => record.id) } } })).toBe(8 * 12 * 2);
    for (const meter of meters) {
      const device = await db.device.findUniqueOrThrow({ where: { id: meter.device.id } });
      const times = all.filter((record) => record.user.uid === meter.uid).map((record) => Date.parse(record.start_time));
      expect(device).toMatchObject({ lifecycle: "active", firstReadingAt: new Date(Math.min(...times)), lastReadingAt: new Date(Math.max(...times)) });
    }
  });

  it("gives a mixed batch (new, unchanged, changed and non-measurement records) the outcome of one-by-one processing", async () => {
    const meter = await patientWithMeter();
    const unchanged = validicBloodPressureRecord({ uid: meter.uid, imei: meter.imei, systolic: 120 });
    const changed = validicBloodPressureRecord({ uid: meter.uid, imei: meter.imei, systolic: 150 });
    expect(await push(pushBatch([unchanged, changed]))).toEqual({ status: 200, processing: "processed" });
    const fresh = validicBloodPressureRecord({ uid: meter.uid, imei: meter.imei, systolic: 131 });
    const nutrition = { ...VALIDIC_PUSH_EXAMPLE.data[0], id: uniqueId("nutrition") };
    const changedAgain = {
      ...changed,
      checksum: uniqueId("checksum"),
      metrics: changed.metrics.map((m) => (m.type === "systolic" ? { ...m, value: 141 } : m)),
    };
    expect(await push(pushBatch([nutrition, changedAgain, fresh, unchanged]))).toEqual({ status: 200, processing: "processed" });

    const readings = await readingsOf("validic", [unchanged.id, changedAgain.id, fresh.id]);
    const systolic = (id: string) => readings.find((r) => r.vendorRecordId === id && r.metric === "blood_pressure")?.value;
    expect([systolic(unchanged.id), systolic(changedAgain.id), systolic(fresh.id)]).toEqual([120, 141, 131]);
    expect(readings).toHaveLength(6);
    expect(readings.every((r) => r.patientId === meter.patient.id && r.deviceId === meter.device.id && r.deletedAt === null)).toBe(true);
    const records = await db.vendorRecord.findMany({ where: { vendor: "validic", vendorRecordId: { in: [nutrition.id, fresh.id, changed.id] } } });
    expect(records.map((r) => [r.vendorRecordId, r.recordType, r.patientId]).sort()).toEqual(
      [
        [nutrition.id, "nutrition", null],
        [fresh.id, "measurement", meter.patient.id],
        [changed.id, "measurement", meter.patient.id],
      ].sort(),
    );
    expect(records.find((r) => r.vendorRecordId === changed.id)?.checksum).toBe(changedAgain.checksum);
  });

  it("applies a record sent twice in one batch in order: created, then updated by its later version", async () => {
    const meter = await patientWithMeter();
    const first = validicBloodPressureRecord({ uid: meter.uid, imei: meter.imei, systolic: 160 });
    const second = { ...first, checksum: uniqueId("checksum"), metrics: first.metrics.map((m) => (m.type === "systolic" ? { ...m, value: 125 } : m)) };
    expect(await push(pushBatch([first, second]))).toEqual({ status: 200, processing: "processed" });
    const readings = await readingsOf("validic", [first.id]);
    expect(readings.map((r) => [r.metric, r.value])).toEqual([
      ["blood_pressure", 125],
      ["pulse", 71],
    ]);
    const record = await db.vendorRecord.findUniqueOrThrow({ where: { vendor_vendorRecordId: { vendor: "validic", vendorRecordId: first.id } } });
    expect(record.checksum).toBe(second.checksum);
  });

  it("hands the batch's new readings to the alert rules, so an out-of-range reading raises its alert", async () => {
    const { patient, uid, imei } = await patientWithMeter();
    const rule = await createRule({
      patientId: patient.id,
      kind: "threshold",
      metric: "blood_pressure",
      comparator: "greater_than",
      thresholdValue: 180,
      severity: "high",
      message: "Systolic above 180 mmHg",
    });
    const high = validicBloodPressureRecord({ uid, imei, systolic: 201, diastolic: 99 });
    const normal = validicBloodPressureRecord({ uid, imei, systolic: 120 });
    expect(await push(pushBatch([high, normal]))).toEqual({ status: 200, processing: "processed" });
    const reading = await db.reading.findFirst({ where: { vendor: "validic", vendorRecordId: high.id, metric: "blood_pressure" }, select: { id: true } });
    const alerts = await db.alert.findMany({ where: { patientId: patient.id }, select: { ruleId: true, readingId: true } });
    expect(alerts).toEqual([{ ruleId: rule.id, readingId: reading?.id }]);
  });

  it("keeps a record nobody can be matched to as an unmatched reading, and one deleted at Validic hidden", async () => {
    const orphan = validicBloodPressureRecord({ uid: uniqueId("nobody"), imei: uniqueImei() });
    const deleted = validicBloodPressureRecord({ uid: uniqueId("nobody"), imei: null, deletedAt: "2024-03-02T08:00:00Z" });
    expect(await push(pushBatch([orphan, deleted]))).toEqual({ status: 200, processing: "processed" });
    const readings = await readingsOf("validic", [orphan.id, deleted.id]);
    expect(readings).toHaveLength(4);
    expect(readings.every((r) => r.patientId === null && r.deviceId === null)).toBe(true);
    expect(readings.filter((r) => r.deletedAt !== null).map((r) => r.vendorRecordId)).toEqual([deleted.id, deleted.id]);
  });

  it("brings a new record's readings that were already stored (without their record) in line instead of duplicating them", async () => {
    const meter = await patientWithMeter();
    const leftover = validicBloodPressureRecord({ uid: meter.uid, imei: meter.imei, systolic: 144 });
    const fresh = validicBloodPressureRecord({ uid: meter.uid, imei: meter.imei, systolic: 118 });
    // A stale blood-pressure reading of `leftover` whose vendor record is gone; its pulse was never stored.
    await db.reading.create({
      data: { vendor: "validic", vendorRecordId: leftover.id, metric: "blood_pressure", value: 99, value2: 60, unit: "mmHg", measuredAt: new Date(leftover.start_time), origin: "device", arrival: "push" },
    });
    expect(await push(pushBatch([leftover, fresh]))).toEqual({ status: 200, processing: "processed" });
    const readings = await readingsOf("validic", [leftover.id, fresh.id]);
    expect(readings.map((r) => [r.vendorRecordId, r.metric, r.value, r.patientId])).toEqual(
      expect.arrayContaining([
        [leftover.id, "blood_pressure", 144, meter.patient.id],
        [leftover.id, "pulse", expect.any(Number), meter.patient.id],
        [fresh.id, "blood_pressure", 118, meter.patient.id],
        [fresh.id, "pulse", expect.any(Number), meter.patient.id],
      ]),
    );
    expect(readings).toHaveLength(4);
  });
});
