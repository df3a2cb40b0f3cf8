import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { assignDevice } from "@/lib/devices/assign";
import { vendorPatientId } from "@/lib/devices/identities";
import { reconcileDevice } from "@/lib/devices/reconcile";
import { moveDevice, swapDevice } from "@/lib/devices/swap";
import { addReading, createPatient, KNOWN_GATEWAY, newImei, SECOND_GATEWAY, startDeviceHarness, TEST_ADDRESS, type DeviceHarness } from "@/lib/devices/test-harness";
import { AppError } from "@/lib/errors";

// Swapping devices and gateways, and moving a device to another patient, at each vendor.

let h: DeviceHarness;

beforeAll(async () => {
  h = await startDeviceHarness("swap");
});

afterAll(async () => {
  await h.stop();
});

async function assignments(deviceId: string) {
  return db.deviceAssignment.findMany({ where: { deviceId }, orderBy: { startedAt: "asc" } });
}

describe("Tenovi", () => {
  it("requests a replacement gateway from Tenovi; when it ships, checking with Tenovi picks up the new gateway ID and the device continues", async () => {
    const patient = await createPatient();
    const assigned = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi BPM - L", gatewayId: SECOND_GATEWAY });
    const mark = await h.mark();
    const result = await swapDevice(h.as("coordinator"), { mode: "tenovi-replacement", deviceId: assigned.deviceId, reason: "Gateway lost signal", replace: "gateway", address: TEST_ADDRESS });
    expect(result.outcome).toBe("requested");
    const [request] = await h.requests({ vendor: "tenovi", method: "POST", pathIncludes: "/hwi-replacements/", since: mark });
    const device = await db.device.findUniqueOrThrow({ where: { id: assigned.deviceId } });
    expect(request?.body).toMatchObject({ hwi_device_id: device.vendorDeviceId, device_types: [{ name: "Gateway" }], shipping_state: "OH" });
    const shipment = await db.shipment.findFirstOrThrow({ where: { deviceId: device.id } });
    expect(shipment).toMatchObject({ fulfiller: "vendor", isGatewayOnly: true, status: "Replacement requested" });

    const [replacement] = (await h.clients.tenovi.listReplacements()).filter((r) => r.hwi_device_id === device.vendorDeviceId);
    const shipped = await h.tenovi.shipReplacement(replacement?.id ?? "");
    expect(shipped.delivery?.httpStatus).toBe(200);
    const checked = await reconcileDevice(h.as("coordinator"), { deviceId: device.id });
    expect(checked).toMatchObject({ outcome: "done", vendorStatus: "Replaced" });
    const after = await db.device.findUniqueOrThrow({ where: { id: device.id }, include: { gateway: true } });
    expect(after.gateway?.gatewayUuid).not.toBe(SECOND_GATEWAY);
    expect(after).toMatchObject({ lifecycle: "delivered", patientId: patient.id });
    expect(await assignments(device.id)).toHaveLength(1);
  });

  it("swaps a device on site: the new one is activated first, then the old one is deleted at Tenovi and its period ends with the reason", async () => {
    const patient = await createPatient();
    const old = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi Thermometer", gatewayId: KNOWN_GATEWAY });
    const reading = await addReading(patient.id, old.deviceId, new Date(Date.now() - 60_000));
    const mark = await h.mark();
    const result = await swapDevice(h.as("coordinator"), { mode: "on-site", deviceId: old.deviceId, reason: "Cracked display", gatewayId: KNOWN_GATEWAY });
    expect(result.outcome).toBe("done");
    expect(result.deviceId).not.toBe(old.deviceId);
    const calls = (await h.requests({ vendor: "tenovi", since: mark })).filter((r) => r.method !== "GET").map((r) => r.method);
    expect(calls).toEqual(["POST", "DELETE"]);
    expect(await db.device.findUniqueOrThrow({ where: { id: old.deviceId } })).toMatchObject({ lifecycle: "disconnected", patientId: null, vendorStatus: "Deleted" });
    const [period] = await assignments(old.deviceId);
    expect(period?.endedReason).toContain("Cracked display");
    expect(await db.device.findUniqueOrThrow({ where: { id: result.deviceId } })).toMatchObject({ lifecycle: "delivered", patientId: patient.id });
    expect(await db.reading.findUniqueOrThrow({ where: { id: reading.id } })).toMatchObject({ patientId: patient.id, deviceId: old.deviceId });
  });

  it("moves a device to another patient with one change at Tenovi, keeping past readings with the first patient", async () => {
    const [first, second] = [await createPatient(), await createPatient({ smsConsent: true })];
    const imei = newImei();
    const assigned = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "cellular", patientId: first.id, deviceName: "Tenovi Cellular BPM - L", imei });
    const reading = await addReading(first.id, assigned.deviceId, new Date(Date.now() - 60_000));
    const result = await moveDevice(h.as("coordinator"), { deviceId: assigned.deviceId, toPatientId: second.id, reason: "First patient left the program" });
    expect(result.outcome).toBe("done");
    const device = await db.device.findUniqueOrThrow({ where: { id: assigned.deviceId } });
    expect(device).toMatchObject({ patientId: second.id, lifecycle: "delivered" });
    const wire = await h.tenovi.getDevice(device.vendorDeviceId ?? "");
    expect(wire?.patient_id).toBe(vendorPatientId(second.id));
    expect(wire?.patient?.sms_opt_in).toBe(true);
    const periods = await assignments(device.id);
    expect(periods.map((p) => [p.patientId, p.endedAt !== null])).toEqual([[first.id, true], [second.id, false]]);
    expect((await db.reading.findUniqueOrThrow({ where: { id: reading.id } })).patientId).toBe(first.id);
  });

  it("refuses to move one of several devices that share a gateway", async () => {
    const [first, second] = [await createPatient(), await createPatient()];
    const a = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: first.id, deviceName: "Tenovi Pulse Ox", gatewayId: KNOWN_GATEWAY });
    await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: first.id, deviceName: "Tenovi Scale", gatewayId: KNOWN_GATEWAY });
    await expect(moveDevice(h.as("coordinator"), { deviceId: a.deviceId, toPatientId: second.id, reason: "test move" })).rejects.toThrow(/shares gateway/);
  });
});

describe("Validic", () => {
  it("swaps on site: connects the new IMEI, then disconnects the old one at Validic", async () => {
    const patient = await createPatient();
    const [oldImei, newOne] = [newImei(), newImei()];
    const old = await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei: oldImei });
    const mark = await h.mark();
    const result = await swapDevice(h.as("coordinator"), { mode: "on-site", deviceId: old.deviceId, reason: "Strip port broken", imei: newOne });
    expect(result.outcome).toBe("done");
    const calls = (await h.requests({ vendor: "validic", method: "POST", since: mark })).map((r) => r.path).filter((p) => p.includes("smart_meter"));
    expect(calls).toEqual(["/validic-marketplace/direct/auth/smart_meter/connect", `/validic-marketplace/direct/auth/smart_meter/disconnect/${oldImei}`]);
    expect(await db.device.findUniqueOrThrow({ where: { id: old.deviceId } })).toMatchObject({ lifecycle: "disconnected", vendorStatus: "disconnected" });
    expect(await db.device.findUniqueOrThrow({ where: { id: result.deviceId } })).toMatchObject({ imei: newOne, lifecycle: "delivered", vendorType: "blood_glucose" });
  });

  it("moves a device: disconnected from the first patient at Validic before it is connected for the second", async () => {
    const [first, second] = [await createPatient(), await createPatient()];
    const imei = newImei();
    const assigned = await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: first.id, deviceType: "blood_pressure", imei });
    const reading = await addReading(first.id, assigned.deviceId, new Date(Date.now() - 60_000));
    const mark = await h.mark();
    const result = await moveDevice(h.as("coordinator"), { deviceId: assigned.deviceId, toPatientId: second.id, reason: "Reassigned in clinic" });
    expect(result.outcome).toBe("done");
    const calls = (await h.requests({ vendor: "validic", method: "POST", since: mark })).map((r) => r.path);
    const disconnectAt = calls.indexOf(`/validic-marketplace/direct/auth/smart_meter/disconnect/${imei}`);
    const connectAt = calls.indexOf("/validic-marketplace/direct/auth/smart_meter/connect");
    expect(disconnectAt).toBeGreaterThanOrEqual(0);
    expect(connectAt).toBeGreaterThan(disconnectAt);
    expect(result.deviceId).toBe(assigned.deviceId);
    expect(await db.device.findUniqueOrThrow({ where: { id: assigned.deviceId } })).toMatchObject({ patientId: second.id, lifecycle: "delivered", vendorStatus: "connected" });
    expect((await assignments(assigned.deviceId)).map((p) => p.patientId)).toEqual([first.id, second.id]);
    expect((await db.reading.findUniqueOrThrow({ where: { id: reading.id } })).patientId).toBe(first.id);
    const secondUser = await h.clients.validic.getUser(vendorPatientId(second.id));
    expect(secondUser?.sources.map((s) => s.type)).toContain("smart_meter");
  });
});

describe("Smartz", () => {
  it("swaps a pod and moves the new pod to another patient, all in Pulseboard (Smartz is read-only)", async () => {
    const [first, second] = [await createPatient(), await createPatient()];
    const old = await assignDevice(h.as("coordinator"), { vendor: "smartz", patientId: first.id, podId: "pod-0202" });
    const swapped = await swapDevice(h.as("coordinator"), { mode: "on-site", deviceId: old.deviceId, reason: "Battery swollen", podId: "SZP-000203" });
    expect(swapped.outcome).toBe("done");
    expect(await db.device.findUniqueOrThrow({ where: { id: old.deviceId } })).toMatchObject({ lifecycle: "disconnected", vendorStatus: "unlinked in Pulseboard" });
    const moved = await moveDevice(h.as("coordinator"), { deviceId: swapped.deviceId, toPatientId: second.id, reason: "Resident moved rooms" });
    expect(moved.outcome).toBe("done");
    expect(await db.device.findUniqueOrThrow({ where: { id: swapped.deviceId } })).toMatchObject({ vendorDeviceId: "pod-0203", patientId: second.id, lifecycle: "delivered" });
    expect((await h.requests({ vendor: "smartz" })).every((r) => r.method === "GET" || r.path.endsWith("/v1/token"))).toBe(true);
  });
});

describe("who may swap and move", () => {
  it("refuses a clinician", async () => {
    const patient = await createPatient();
    const assigned = await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "weight_scale", imei: newImei() });
    const swap = await swapDevice(h.as("clinician"), { mode: "on-site", deviceId: assigned.deviceId, reason: "no reason", imei: newImei() }).catch((e: unknown) => e);
    const move = await moveDevice(h.as("clinician"), { deviceId: assigned.deviceId, toPatientId: patient.id, reason: "no reason" }).catch((e: unknown) => e);
    expect([swap, move].map((e) => e instanceof AppError && e.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
  });
});
