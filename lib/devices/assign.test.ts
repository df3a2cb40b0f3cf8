import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { decryptSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { assignDevice } from "@/lib/devices/assign";
import { vendorPatientId } from "@/lib/devices/identities";
import { correctGateway } from "@/lib/devices/reconcile";
import { assignDeviceSchema, normalizeImei } from "@/lib/devices/schemas";
import { createPatient, KNOWN_GATEWAY, newImei, startDeviceHarness, type DeviceHarness } from "@/lib/devices/test-harness";
import { AppError } from "@/lib/errors";

// Assigning devices on site at each vendor, against the simulators over real HTTP and the real database.

let h: DeviceHarness;

beforeAll(async () => {
  h = await startDeviceHarness("assign");
});

afterAll(async () => {
  await h.stop();
});

async function caught(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("Tenovi on site", () => {
  it("activates a gateway-connected device with hardware_uuid = the gateway ID and records it delivered", async () => {
    const patient = await createPatient({ smsConsent: true });
    const mark = await h.mark();
    const result = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi BPM - L", gatewayId: ` ${KNOWN_GATEWAY.toLowerCase()} ` });
    expect(result).toMatchObject({ outcome: "done", vendorStatus: "Delivered" });
    const [post] = await h.requests({ vendor: "tenovi", method: "POST", pathIncludes: "/hwi-devices/", since: mark });
    expect(post?.body).toMatchObject({ device: { name: "Tenovi BPM - L", hardware_uuid: KNOWN_GATEWAY }, patient: { external_id: vendorPatientId(patient.id), sms_opt_in: true, physician: "Dr. Patel" } });
    const device = await db.device.findUniqueOrThrow({ where: { id: result.deviceId }, include: { gateway: true, assignments: true, events: { orderBy: { occurredAt: "asc" } } } });
    expect(device).toMatchObject({ lifecycle: "delivered", vendorStatus: "Delivered", patientId: patient.id, connectivity: "gateway", category: "blood_pressure" });
    expect(device.gateway?.gatewayUuid).toBe(KNOWN_GATEWAY);
    expect(device.gateway?.patientId).toBe(patient.id);
    expect(device.assignments).toHaveLength(1);
    expect(device.events.map((e) => [e.fromState, e.toState])).toEqual([["in_stock", "in_stock"], ["in_stock", "assigned"], ["assigned", "delivered"]]);
    const simDevice = await h.tenovi.getDevice(device.vendorDeviceId ?? "");
    expect(simDevice?.status).toBe("Delivered");
    expect(await db.vendorIdentity.findUnique({ where: { patientId_vendor: { patientId: patient.id, vendor: "tenovi" } } })).toMatchObject({ externalId: vendorPatientId(patient.id) });
    const audit = await db.auditEvent.findFirst({ where: { action: "vendor.tenovi.activate_device", targetId: device.id } });
    expect(audit?.outcome).toBe("success");
  });

  it("records an “Unknown Gateway ID” answer as an error to fix, not as an active device, and fixing it at Tenovi delivers it", async () => {
    const patient = await createPatient();
    const result = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi Scale", gatewayId: "FFFF0000AAAA" });
    expect(result.outcome).toBe("needs-fix");
    expect(result.message).toContain("FFFF0000AAAA");
    const device = await db.device.findUniqueOrThrow({ where: { id: result.deviceId } });
    expect(device).toMatchObject({ lifecycle: "assigned", vendorStatus: "Unknown Gateway ID", gatewayId: null });
    expect(device.vendorDeviceId).toBeTruthy();
    expect(await db.gateway.count({ where: { gatewayUuid: "FFFF0000AAAA" } })).toBe(0);

    const stillWrong = await correctGateway(h.as("coordinator"), { deviceId: device.id, gatewayId: "FFFF0000BBBB" });
    expect(stillWrong.outcome).toBe("needs-fix");
    const fixed = await correctGateway(h.as("coordinator"), { deviceId: device.id, gatewayId: KNOWN_GATEWAY });
    expect(fixed).toMatchObject({ outcome: "done", vendorStatus: "Delivered" });
    expect(await db.device.findUniqueOrThrow({ where: { id: device.id }, include: { gateway: true } })).toMatchObject({ lifecycle: "delivered", gateway: { gatewayUuid: KNOWN_GATEWAY } });
  });

  it("activates a cellular device by IMEI (pasted with spaces and dashes)", async () => {
    const patient = await createPatient();
    const imei = newImei();
    const pasted = `${imei.slice(0, 2)}-${imei.slice(2, 8)} ${imei.slice(8)}`;
    const result = await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "cellular", patientId: patient.id, deviceName: "Tenovi Cellular Scale", imei: pasted });
    expect(result).toMatchObject({ outcome: "done", vendorStatus: "Delivered" });
    expect(await db.device.findUniqueOrThrow({ where: { id: result.deviceId } })).toMatchObject({ imei, connectivity: "cellular", category: "scale", lifecycle: "delivered" });
  });

  it("refuses a device type the account does not have, and a gateway ID for a cellular device, before calling Tenovi", async () => {
    const patient = await createPatient();
    const mark = await h.mark();
    expect((await caught(assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi BPM – L", gatewayId: KNOWN_GATEWAY }))).message).toContain("not a device type");
    expect((await caught(assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi Cellular Scale", gatewayId: KNOWN_GATEWAY }))).message).toContain("IMEI");
    expect(await h.requests({ vendor: "tenovi", method: "POST", since: mark })).toHaveLength(0);
    expect(await db.device.count({ where: { patientId: patient.id } })).toBe(0);
  });
});

describe("Validic Smart Meter on site", () => {
  it("provisions the patient's Validic user once (uid = Pulseboard id, token encrypted) and connects each IMEI with its type", async () => {
    const patient = await createPatient();
    const [first, second] = [newImei(), newImei()];
    const mark = await h.mark();
    const a = await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "blood_pressure", imei: first });
    const b = await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "pulse_oximeter", imei: second });
    expect(a).toMatchObject({ outcome: "done", vendorStatus: "connected" });
    expect(b.outcome).toBe("done");
    const provisions = await h.requests({ vendor: "validic", method: "POST", pathIncludes: "/users", since: mark });
    expect(provisions.filter((r) => (r.body as { uid?: string } | null)?.uid === vendorPatientId(patient.id))).toHaveLength(1);
    const connects = (await h.requests({ vendor: "validic", pathIncludes: "/smart_meter/connect", since: mark })).map((r) => r.body as Record<string, string>);
    expect(connects.filter((c) => c.device_id === first || c.device_id === second)).toEqual([
      { token: "[redacted]", device_id: first, device_type: "blood_pressure" },
      { token: "[redacted]", device_id: second, device_type: "pulse_oximeter" },
    ]);
    const identity = await db.vendorIdentity.findUniqueOrThrow({ where: { patientId_vendor: { patientId: patient.id, vendor: "validic" } }, omit: { marketplaceTokenEncrypted: false } });
    expect(identity.externalId).toBe(vendorPatientId(patient.id));
    expect(identity.vendorUserId).toBeTruthy();
    const token = decryptSecret(identity.marketplaceTokenEncrypted ?? "");
    expect(identity.marketplaceTokenEncrypted).not.toContain(token);
    const user = await h.clients.validic.getUser(vendorPatientId(patient.id));
    expect(user?.marketplace.token).toBe(token);
    expect(await db.device.findUniqueOrThrow({ where: { id: a.deviceId } })).toMatchObject({ vendor: "validic", imei: first, vendorType: "blood_pressure", category: "blood_pressure", lifecycle: "delivered" });
  });

  it("validates an IMEI: 15 digits with a valid Luhn check digit, spaces and dashes stripped", () => {
    const imei = newImei();
    expect(normalizeImei(` ${imei.slice(0, 5)}-${imei.slice(5)} `)).toBe(imei);
    const wrongCheck = `${imei.slice(0, 14)}${(Number(imei.slice(14)) + 1) % 10}`;
    const parse = (value: string) => assignDeviceSchema.safeParse({ vendor: "validic", patientId: "p", deviceType: "blood_glucose", imei: value });
    expect(parse(imei).success).toBe(true);
    expect(parse(wrongCheck).error?.issues[0]?.message).toContain("check digit");
    expect(parse("12345").error?.issues[0]?.message).toContain("15 digits");
  });

  it("refuses an IMEI already assigned, naming the patient who has it, without calling Validic", async () => {
    const [holder, other] = [await createPatient(), await createPatient()];
    const imei = newImei();
    await assignDevice(h.as("coordinator"), { vendor: "validic", patientId: holder.id, deviceType: "weight_scale", imei });
    const mark = await h.mark();
    const error = await caught(assignDevice(h.as("coordinator"), { vendor: "validic", patientId: other.id, deviceType: "weight_scale", imei }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain(holder.mrn);
    expect(await h.requests({ vendor: "validic", pathIncludes: "/connect", since: mark })).toHaveLength(0);
  });

  it("takes a double submission once: two concurrent identical requests give one device and one connect", async () => {
    const patient = await createPatient();
    const imei = newImei();
    const input = { vendor: "validic" as const, patientId: patient.id, deviceType: "blood_glucose" as const, imei };
    const mark = await h.mark();
    const settled = await Promise.allSettled([assignDevice(h.as("coordinator"), input), assignDevice(h.as("coordinator"), input)]);
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    const rejected = settled.find((s) => s.status === "rejected");
    expect(rejected?.status === "rejected" && rejected.reason instanceof AppError && rejected.reason.code).toBe("CONFLICT");
    expect(await db.device.count({ where: { imei } })).toBe(1);
    const connects = (await h.requests({ vendor: "validic", pathIncludes: "/connect", since: mark })).filter((r) => (r.body as { device_id?: string }).device_id === imei);
    expect(connects).toHaveLength(1);
  });

  it("passes on Validic's refusal of an IMEI connected to someone else, and records nothing", async () => {
    const patient = await createPatient();
    const imei = newImei();
    await h.validic.seedUser("someone-else-entirely");
    await h.validic.seedConnection("someone-else-entirely", imei, "blood_glucose");
    const error = await caught(assignDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei }));
    expect(error.message).toContain("already connected to another Validic user");
    expect(await db.device.count({ where: { imei } })).toBe(0);
  });
});

describe("Smartz pods", () => {
  it("verifies the pod in Smartz's device list (read-only API) and links it in Pulseboard", async () => {
    const patient = await createPatient();
    const mark = await h.mark();
    const result = await assignDevice(h.as("coordinator"), { vendor: "smartz", patientId: patient.id, podId: "SZP-000201" });
    expect(result.outcome).toBe("done");
    const device = await db.device.findUniqueOrThrow({ where: { id: result.deviceId } });
    expect(device).toMatchObject({ vendor: "smartz", vendorDeviceId: "pod-0201", vendorType: "pod", category: "smart_diaper", connectivity: "mesh", lifecycle: "delivered", vendorStatus: "active" });
    const calls = await h.requests({ vendor: "smartz", since: mark });
    expect(calls.every((r) => r.method === "GET" || r.path.endsWith("/v1/token"))).toBe(true);
    // The pod's resident at Smartz becomes the patient's Smartz identity, which is what the poller fetches events for.
    expect(result.message).toContain("next Smartz poll");
    expect(await db.vendorIdentity.findUnique({ where: { patientId_vendor: { patientId: patient.id, vendor: "smartz" } }, select: { externalId: true } })).toEqual({ externalId: "pat-3001" });
    const again = await caught(assignDevice(h.as("coordinator"), { vendor: "smartz", patientId: (await createPatient()).id, podId: "pod-0201" }));
    expect(again.message).toContain(patient.mrn);
  });

  it("refuses a pod Smartz does not list", async () => {
    const patient = await createPatient();
    const error = await caught(assignDevice(h.as("coordinator"), { vendor: "smartz", patientId: patient.id, podId: "SZP-999999" }));
    expect(error.code).toBe("NOT_FOUND");
    expect(await db.device.count({ where: { patientId: patient.id } })).toBe(0);
  });
});

describe("who may assign", () => {
  it("refuses a clinician before any vendor call or local write", async () => {
    const patient = await createPatient();
    const mark = await h.mark();
    const error = await caught(assignDevice(h.as("clinician"), { vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei: newImei() }));
    expect(error.code).toBe("FORBIDDEN");
    expect(await h.requests({ vendor: "validic", since: mark })).toHaveLength(0);
    expect(await db.device.count({ where: { patientId: patient.id } })).toBe(0);
  });

  it("refuses an offboarded patient", async () => {
    const patient = await createPatient();
    await db.patient.update({ where: { id: patient.id }, data: { status: "offboarded", offboardedAt: new Date() } });
    const error = await caught(assignDevice(h.as("coordinator"), { vendor: "smartz", patientId: patient.id, podId: "pod-0201" }));
    expect(error.code).toBe("CONFLICT");
  });
});
