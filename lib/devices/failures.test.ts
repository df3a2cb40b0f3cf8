import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { assignDevice } from "@/lib/devices/assign";
import { offboardPatient } from "@/lib/devices/disconnect";
import { PENDING_VERIFICATION } from "@/lib/devices/lifecycle";
import { reconcileDevice } from "@/lib/devices/reconcile";
import { shipDevice } from "@/lib/devices/ship";
import { createPatient, KNOWN_GATEWAY, newImei, startDeviceHarness, TEST_ADDRESS, type DeviceHarness } from "@/lib/devices/test-harness";
import { AppError } from "@/lib/errors";

// The failure rehearsals: vendor calls that fail, time out, or succeed at the vendor while Pulseboard's own write
// fails. Faults are armed on this file's own simulator server only (the vendor-wide failure switch is never armed), so
// no other test file sees them. Pulseboard must never claim what the vendor did not do, and must not request twice.

const TIMEOUT_MS = 2_500;
let h: DeviceHarness;

beforeAll(async () => {
  h = await startDeviceHarness("failures", { timeoutMs: TIMEOUT_MS });
});

afterEach(() => {
  h.faults.length = 0;
});

afterAll(async () => {
  await h.stop();
});

const ACTIVATE = /\/hwi\/hwi-devices\/$/;
const LIST_DEVICES = /\/hwi\/hwi-devices\/$/;

// The activations Tenovi received since `since` (waiting for a late answer to be logged, then for any stray second one).
async function activations(since: bigint) {
  await h.requestsEventually({ vendor: "tenovi", method: "POST", pathIncludes: "/hwi-devices/", since }, 1);
  return h.requests({ vendor: "tenovi", method: "POST", pathIncludes: "/hwi-devices/", since });
}

async function vendorDevicesFor(externalId: string) {
  return h.clients.tenovi.listDevices({ externalId });
}

describe("a creating call that times out", () => {
  it("Tenovi activation answered too late: the device Tenovi created is found on its list, not requested again", async () => {
    const patient = await createPatient();
    h.faults.push({ method: "POST", path: ACTIVATE, mode: "answer-late" });
    const mark = await h.mark();
    const result = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi BPM - L", gatewayId: KNOWN_GATEWAY });
    expect(result).toMatchObject({ outcome: "done", vendorStatus: "Delivered" });
    expect(await activations(mark)).toHaveLength(1);
    expect(await vendorDevicesFor(patient.id)).toHaveLength(1);
    const events = await db.deviceEvent.findMany({ where: { deviceId: result.deviceId }, orderBy: { occurredAt: "asc" } });
    expect(events.map((e) => e.type)).toContain("vendor_outcome_unknown");
  });

  it("stays “Pending verification” while Tenovi cannot be read either; refuses a second request; “Check with vendor” then finds the one device", async () => {
    const patient = await createPatient();
    const imei = newImei();
    h.faults.push({ method: "POST", path: ACTIVATE, mode: "answer-late" }, { method: "GET", path: LIST_DEVICES, mode: "fail", status: 503, times: 2 });
    const mark = await h.mark();
    const input = { vendor: "tenovi" as const, connectivity: "cellular" as const, patientId: patient.id, deviceName: "Tenovi Cellular BPM - S", imei };
    const pending = await assignDevice(h.as("coordinator"), input);
    expect(pending.outcome).toBe("pending-verification");
    const device = await db.device.findUniqueOrThrow({ where: { id: pending.deviceId } });
    expect(device).toMatchObject({ vendorStatus: PENDING_VERIFICATION, lifecycle: "in_stock", vendorDeviceId: null });
    expect(await db.deviceAssignment.count({ where: { deviceId: device.id } })).toBe(0);

    const again = await assignDevice(h.as("coordinator"), input).catch((e: unknown) => e);
    expect(again instanceof AppError && again.code).toBe("CONFLICT");

    const checked = await reconcileDevice(h.as("coordinator"), { deviceId: device.id });
    expect(checked).toMatchObject({ outcome: "done", vendorStatus: "Delivered" });
    expect(await activations(mark)).toHaveLength(1);
    expect(await db.device.findUniqueOrThrow({ where: { id: device.id } })).toMatchObject({ lifecycle: "delivered", vendorStatus: "Delivered", imei });
    expect((await vendorDevicesFor(patient.id)).map((d) => d.id)).toEqual([(await db.device.findUniqueOrThrow({ where: { id: device.id } })).vendorDeviceId]);
  });

  it("a shipment request that timed out is matched by the patient's external_id, shipment included", async () => {
    const patient = await createPatient();
    h.faults.push({ method: "POST", path: ACTIVATE, mode: "answer-late" });
    const mark = await h.mark();
    const result = await shipDevice(h.as("coordinator"), { vendor: "tenovi", patientId: patient.id, mode: "tenovi-ships", deviceName: "Tenovi Glucometer", address: TEST_ADDRESS });
    expect(result).toMatchObject({ outcome: "done", vendorStatus: "Dropship Requested" });
    expect(await activations(mark)).toHaveLength(1);
    expect(await db.shipment.findFirstOrThrow({ where: { deviceId: result.deviceId } })).toMatchObject({ status: "Dropship Requested", fulfiller: "vendor" });
  });

  it("“Check with vendor” on a request Tenovi never received cancels it, so the device can be assigned again", async () => {
    const patient = await createPatient();
    const imei = newImei();
    // The request never reaches the account: it is refused as a gateway timeout (outcome unknown to Pulseboard).
    h.faults.push({ method: "POST", path: ACTIVATE, mode: "fail", status: 504 });
    const input = { vendor: "tenovi" as const, connectivity: "cellular" as const, patientId: patient.id, deviceName: "Tenovi Cellular Glucometer", imei };
    const pending = await assignDevice(h.as("coordinator"), input);
    expect(pending.outcome).toBe("pending-verification");
    const checked = await reconcileDevice(h.as("coordinator"), { deviceId: pending.deviceId });
    expect(checked.outcome).toBe("released");
    expect(await db.device.count({ where: { imei } })).toBe(0);
    expect((await assignDevice(h.as("coordinator"), input)).outcome).toBe("done");
  });

  it("Validic connect answered too late: Smart Meter in the user's sources confirms it", async () => {
    const patient = await createPatient();
    h.faults.push({ method: "POST", path: /smart_meter\/connect$/, mode: "answer-late" });
    const result = await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei: newImei() });
    expect(result).toMatchObject({ outcome: "done", vendorStatus: "connected" });
  });

  it("ASSUMPTION (same-user reconnect accepted): with another Smart Meter device connected, sources cannot tell, so the check resends connect", async () => {
    const patient = await createPatient();
    await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "blood_pressure", imei: newImei() });
    const imei = newImei();
    h.faults.push({ method: "POST", path: /smart_meter\/connect$/, mode: "answer-late" });
    const pending = await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "weight_scale", imei });
    expect(pending.outcome).toBe("pending-verification");
    const checked = await reconcileDevice(h.as("coordinator"), { deviceId: pending.deviceId });
    expect(checked).toMatchObject({ outcome: "done", vendorStatus: "connected" });
    expect(await db.device.findUniqueOrThrow({ where: { id: pending.deviceId } })).toMatchObject({ lifecycle: "delivered", imei });
  });
});

describe("a vendor that refuses", () => {
  it("Tenovi 400: nothing is recorded, the vendor's words reach staff, and the call is audited as a failure", async () => {
    const patient = await createPatient();
    h.faults.push({ method: "POST", path: ACTIVATE, mode: "fail", status: 400 });
    const error = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi Scale", gatewayId: KNOWN_GATEWAY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain("Tenovi rejected the request");
    expect(await db.device.count({ where: { patientId: patient.id } })).toBe(0);
    const audit = await db.auditEvent.findFirst({ where: { patientId: patient.id, action: "vendor.tenovi.activate_device" } });
    expect(audit).toMatchObject({ outcome: "failure", details: { httpStatus: 400 } });
  });
});

describe("the vendor said yes but Pulseboard's write failed", () => {
  it("leaves the device pending and picks up Tenovi's record on the next check, without a second activation", async () => {
    const patient = await createPatient();
    // A real database failure, scoped to this test's patient: confirming the device is refused once.
    await db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION devices_test_fail_confirm() RETURNS trigger AS $$
      BEGIN
        IF NEW."patientId" = '${patient.id}' AND NEW."vendorDeviceId" IS NOT NULL AND OLD."vendorDeviceId" IS NULL THEN
          RAISE EXCEPTION 'simulated write failure';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER devices_test_fail_confirm BEFORE UPDATE ON "Device" FOR EACH ROW EXECUTE FUNCTION devices_test_fail_confirm()`);
    const mark = await h.mark();
    let pendingId: string;
    try {
      const pending = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi Pillbox", gatewayId: KNOWN_GATEWAY });
      expect(pending.outcome).toBe("pending-verification");
      pendingId = pending.deviceId;
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS devices_test_fail_confirm ON "Device"`);
      await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS devices_test_fail_confirm()`);
    }
    expect(await db.device.findUniqueOrThrow({ where: { id: pendingId } })).toMatchObject({ vendorStatus: PENDING_VERIFICATION, vendorDeviceId: null });
    const checked = await reconcileDevice(h.as("coordinator"), { deviceId: pendingId });
    expect(checked).toMatchObject({ outcome: "done", vendorStatus: "Delivered" });
    expect(await activations(mark)).toHaveLength(1);
    expect(await vendorDevicesFor(patient.id)).toHaveLength(1);
  });
});

describe("offboarding with a vendor failure", () => {
  it("disconnects what it can, leaves the failed device truthfully as it was, and finishes on retry", async () => {
    const patient = await createPatient();
    const coordinator = h.as("coordinator");
    const tenovi = await assignDevice(coordinator, { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi BPM - S", gatewayId: KNOWN_GATEWAY });
    const validic = await assignDevice(coordinator, { vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei: newImei() });
    const alert = await db.alert.create({ data: { patientId: patient.id, severity: "medium", message: "No reading in 3 days" } });
    const hwiId = (await db.device.findUniqueOrThrow({ where: { id: tenovi.deviceId } })).vendorDeviceId ?? "";
    // DELETE is idempotent, so the client retries: both attempts fail.
    h.faults.push({ method: "DELETE", path: new RegExp(`/hwi-devices/${hwiId}/$`), mode: "fail", status: 503, times: 2 });

    const first = await offboardPatient(h.as("admin"), { patientId: patient.id });
    expect(first).toMatchObject({ isOffboarded: false, remaining: 1 });
    const failed = first.results.find((r) => r.deviceId === tenovi.deviceId);
    expect(failed).toMatchObject({ outcome: "failed" });
    expect(failed?.message).toContain("Tenovi had a problem");
    expect(first.results.find((r) => r.deviceId === validic.deviceId)?.outcome).toBe("disconnected");
    expect(await db.device.findUniqueOrThrow({ where: { id: tenovi.deviceId } })).toMatchObject({ lifecycle: "delivered", vendorStatus: "Delivered", patientId: patient.id });
    expect(await db.deviceAssignment.count({ where: { deviceId: tenovi.deviceId, endedAt: null } })).toBe(1);
    expect(await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).toMatchObject({ status: "enrolled", offboardedAt: null });
    expect((await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).status).toBe("open");
    expect(await db.auditEvent.findFirst({ where: { targetId: tenovi.deviceId, action: "vendor.tenovi.delete_device", outcome: "failure" } })).not.toBeNull();

    const retry = await offboardPatient(h.as("admin"), { patientId: patient.id });
    expect(retry).toMatchObject({ isOffboarded: true, remaining: 0, alertsResolved: 1 });
    expect(retry.results.map((r) => r.deviceId)).toEqual([tenovi.deviceId]);
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).status).toBe("offboarded");
  });

  it("a disconnect whose first answer was lost is retried and Tenovi's 404 confirms it is gone", async () => {
    const patient = await createPatient();
    const tenovi = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "cellular", patientId: patient.id, deviceName: "TeleRPM BPM", imei: newImei() });
    const hwiId = (await db.device.findUniqueOrThrow({ where: { id: tenovi.deviceId } })).vendorDeviceId ?? "";
    h.faults.push({ method: "DELETE", path: new RegExp(`/hwi-devices/${hwiId}/$`), mode: "answer-late" });
    const result = await offboardPatient(h.as("admin"), { patientId: patient.id });
    expect(result.isOffboarded).toBe(true);
    expect(result.results[0]).toMatchObject({ outcome: "disconnected", vendorStatus: "Not found at Tenovi" });
  });

  it("Validic disconnect_all failing keeps both Smart Meter devices connected in Pulseboard; the retry disconnects them", async () => {
    const patient = await createPatient();
    const devices = [
      await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei: newImei() }),
      await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "pulse_oximeter", imei: newImei() }),
    ];
    h.faults.push({ method: "POST", path: /disconnect_all$/, mode: "fail", status: 500 });
    const first = await offboardPatient(h.as("admin"), { patientId: patient.id });
    expect(first.results.map((r) => r.outcome)).toEqual(["failed", "failed"]);
    expect(await db.device.count({ where: { id: { in: devices.map((d) => d.deviceId) }, lifecycle: "delivered", vendorStatus: "connected" } })).toBe(2);
    const retry = await offboardPatient(h.as("admin"), { patientId: patient.id });
    expect(retry.isOffboarded).toBe(true);
  });
});
