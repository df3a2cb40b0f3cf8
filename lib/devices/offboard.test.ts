import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { assignDevice } from "@/lib/devices/assign";
import { disconnectDevice, offboardPatient } from "@/lib/devices/disconnect";
import { vendorPatientId } from "@/lib/devices/identities";
import { OFFBOARDED_ALERT_NOTE } from "@/lib/devices/on-patient-offboarded";
import { shipDevice } from "@/lib/devices/ship";
import { addReading, createPatient, KNOWN_GATEWAY, newImei, startDeviceHarness, TEST_ADDRESS, type DeviceHarness } from "@/lib/devices/test-harness";
import { AppError } from "@/lib/errors";

// Disconnecting devices and offboarding patients across every vendor.

let h: DeviceHarness;

beforeAll(async () => {
  h = await startDeviceHarness("offboard");
});

afterAll(async () => {
  await h.stop();
});

async function code(promise: Promise<unknown>): Promise<string | false> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return error instanceof AppError && error.code;
}

describe("offboarding a patient", () => {
  it("disconnects every device at every vendor, then offboards the patient, resolves open alerts and keeps readings", async () => {
    const patient = await createPatient();
    const coordinator = h.as("coordinator");
    const onSite = await assignDevice(coordinator, { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi BPM - L", gatewayId: KNOWN_GATEWAY });
    const shipped = await shipDevice(coordinator, { vendor: "tenovi", patientId: patient.id, mode: "tenovi-ships", deviceName: "Tenovi Scale", address: TEST_ADDRESS });
    const shippedHwi = (await db.device.findUniqueOrThrow({ where: { id: shipped.deviceId } })).vendorDeviceId ?? "";
    await h.tenovi.advanceShipment(shippedHwi);
    const [imeiA, imeiB] = [newImei(), newImei()];
    const glucose = await assignDevice(coordinator, { vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei: imeiA });
    await assignDevice(coordinator, { vendor: "validic", patientId: patient.id, deviceType: "weight_scale", imei: imeiB });
    const pod = await assignDevice(coordinator, { vendor: "smartz", patientId: patient.id, podId: "pod-0204" });
    const reading = await addReading(patient.id, onSite.deviceId);
    const alert = await db.alert.create({ data: { patientId: patient.id, severity: "high", message: "Systolic above 180" } });
    const mark = await h.mark();

    const result = await offboardPatient(h.as("admin"), { patientId: patient.id });

    expect(result.isOffboarded).toBe(true);
    expect(result.results).toHaveLength(5);
    expect(result.results.every((r) => r.outcome === "disconnected")).toBe(true);
    expect(result.results.find((r) => r.deviceId === shipped.deviceId)?.message).toContain("unlinked");
    const tenoviCalls = (await h.requests({ vendor: "tenovi", since: mark })).map((r) => `${r.method} ${r.path.split("/hwi/")[1]?.split("/")[0]}`);
    expect(tenoviCalls.filter((c) => c === "DELETE hwi-devices")).toHaveLength(2);
    expect(tenoviCalls).toContain("GET unlink-gateway");
    const validicCalls = await h.requests({ vendor: "validic", method: "POST", pathIncludes: "disconnect", since: mark });
    expect(validicCalls.map((r) => r.path)).toEqual(["/validic-marketplace/direct/auth/smart_meter/disconnect_all"]);

    expect(await h.tenovi.getDevice((await db.device.findUniqueOrThrow({ where: { id: onSite.deviceId } })).vendorDeviceId ?? "")).toBeNull();
    expect((await h.tenovi.getDevice(shippedHwi))?.status).toBe("Unlinked");
    expect((await h.clients.validic.getUser(vendorPatientId(patient.id)))?.sources).toEqual([]);

    const devices = await db.device.findMany({ where: { id: { in: [onSite.deviceId, shipped.deviceId, glucose.deviceId, pod.deviceId] } } });
    expect(devices.every((d) => d.lifecycle === "disconnected" && d.patientId === null)).toBe(true);
    expect(await db.deviceAssignment.count({ where: { patientId: patient.id, endedAt: null } })).toBe(0);
    const stored = await db.patient.findUniqueOrThrow({ where: { id: patient.id } });
    expect(stored.status).toBe("offboarded");
    expect(stored.offboardedAt).toBeInstanceOf(Date);
    expect(await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: "resolved", resolutionNote: OFFBOARDED_ALERT_NOTE });
    expect((await db.reading.findUniqueOrThrow({ where: { id: reading.id } })).patientId).toBe(patient.id);

    const audits = await db.auditEvent.findMany({ where: { patientId: patient.id, action: { startsWith: "vendor." }, createdAt: { gte: new Date(Date.now() - 60_000) } } });
    const actions = audits.filter((a) => a.actorId === h.users.admin).map((a) => a.action);
    expect(actions.filter((a) => a === "vendor.tenovi.delete_device")).toHaveLength(2);
    expect(actions).toEqual(expect.arrayContaining(["vendor.tenovi.unlink_gateway", "vendor.validic.disconnect_all", "vendor.smartz.unlink_local"]));
    expect(JSON.stringify(audits.map((a) => a.details))).not.toContain(imeiA);
  });

  it("offboards a patient whose devices were never connected through Pulseboard (no Validic user, unknown Tenovi id)", async () => {
    const patient = await createPatient();
    const imei = newImei();
    await db.device.createMany({
      data: [
        { vendor: "validic", category: "glucometer", connectivity: "cellular", vendorType: "blood_glucose", imei, patientId: patient.id, lifecycle: "active", vendorStatus: "connected" },
        { vendor: "tenovi", category: "blood_pressure", connectivity: "gateway", vendorType: "Tenovi BPM - L", vendorDeviceId: `legacy-${imei}`, patientId: patient.id, lifecycle: "active", vendorStatus: "Connected" },
      ],
    });
    const result = await offboardPatient(h.as("admin"), { patientId: patient.id });
    expect(result.isOffboarded).toBe(true);
    expect(result.results.map((r) => r.message).sort()).toEqual(["Tenovi no longer had this device.", "Validic has no user for this patient, so nothing was connected there."]);
  });

  it("is for admins only", async () => {
    const patient = await createPatient();
    expect(await code(offboardPatient(h.as("coordinator"), { patientId: patient.id }))).toBe("FORBIDDEN");
    expect(await code(offboardPatient(h.as("clinician"), { patientId: patient.id }))).toBe("FORBIDDEN");
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).status).toBe("enrolled");
  });
});

describe("disconnecting one device", () => {
  it("Validic: disconnects one IMEI and leaves the patient's other Smart Meter device connected", async () => {
    const patient = await createPatient();
    const [keep, drop] = [newImei(), newImei()];
    await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "blood_pressure", imei: keep });
    const dropped = await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "pulse_oximeter", imei: drop });
    const mark = await h.mark();
    const result = await disconnectDevice(h.as("admin"), { deviceId: dropped.deviceId, reason: "Patient returned the oximeter" });
    expect(result).toMatchObject({ outcome: "disconnected", vendorStatus: "disconnected" });
    expect((await h.requests({ vendor: "validic", method: "POST", since: mark })).map((r) => r.path)).toEqual([`/validic-marketplace/direct/auth/smart_meter/disconnect/${drop}`]);
    expect((await h.clients.validic.getUser(vendorPatientId(patient.id)))?.sources.map((s) => s.type)).toEqual(["smart_meter"]);
    const [period] = await db.deviceAssignment.findMany({ where: { deviceId: dropped.deviceId } });
    expect(period?.endedReason).toBe("Patient returned the oximeter");
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).status).toBe("enrolled");
  });

  it("Tenovi: deletes a device Tenovi has not fulfilled", async () => {
    const patient = await createPatient();
    const assigned = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "cellular", patientId: patient.id, deviceName: "TeleRPM Scale", imei: newImei() });
    const result = await disconnectDevice(h.as("admin"), { deviceId: assigned.deviceId, reason: "Not needed any more" });
    expect(result).toMatchObject({ outcome: "disconnected", vendorStatus: "Deleted" });
  });

  it("is for admins only: a coordinator is refused and nothing is called", async () => {
    const patient = await createPatient();
    const assigned = await assignDevice(h.as("coordinator"), { vendor: "smartz", patientId: patient.id, podId: "pod-0204" }).catch(() => null);
    const deviceId = assigned?.deviceId ?? "missing";
    expect(await code(disconnectDevice(h.as("coordinator"), { deviceId, reason: "trying" }))).toBe("FORBIDDEN");
  });
});
