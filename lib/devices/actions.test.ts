import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";

import { db } from "@/lib/db";
import { createPatient, newImei } from "@/lib/devices/test-harness";
import type { Role } from "@/lib/permissions";

// The device server actions as the browser calls them: session and permission checked by the shared action client
// before any device code runs, every call audited. Only Next's request headers and the signed-in session are stubbed
// (there is no HTTP request in a unit test); the database is real and no vendor is reached.

const state = vi.hoisted(() => ({ session: null as null | { userId: string; role: Role; name: string; email: string } }));

vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "devices-actions-test" }) }));
vi.mock("@/lib/auth", () => ({ getStaffSession: async () => state.session }));

const { assignDeviceAction } = await import("@/lib/actions/assign-device");
const { shipDeviceAction } = await import("@/lib/actions/ship-device");
const { swapDeviceAction } = await import("@/lib/actions/swap-device");
const { moveDeviceAction } = await import("@/lib/actions/move-device");
const { disconnectDeviceAction } = await import("@/lib/actions/disconnect-device");
const { offboardPatientAction } = await import("@/lib/actions/offboard-patient");
const { recordShipmentUpdateAction } = await import("@/lib/actions/record-shipment-update");
const { reconcileDeviceAction } = await import("@/lib/actions/reconcile-device");

const users: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  for (const role of ["admin", "coordinator", "clinician"] as const) {
    const user = await db.user.create({ data: { email: `${role}-${randomUUID()}@actions.test`, name: `Actions ${role}`, role, passwordHash: "not-used" } });
    users[role] = user.id;
  }
});

function signInAs(role: Role) {
  state.session = { userId: users[role] ?? "", role, name: role, email: `${role}@actions.test` };
}

const FORBIDDEN = "Your role does not allow this action.";

describe("role enforcement on the device actions", () => {
  it("refuses a clinician every device-changing action, and audits each refusal", async () => {
    signInAs("clinician");
    const patient = await createPatient();
    const deviceId = "no-such-device";
    const results = await Promise.all([
      assignDeviceAction({ vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei: newImei() }),
      shipDeviceAction({ vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei: newImei(), address: { name: "A", line1: "1 Main St", city: "Columbus", state: "OH", zipCode: "43215" } }),
      swapDeviceAction({ mode: "on-site", deviceId, reason: "broken", imei: newImei() }),
      moveDeviceAction({ deviceId, toPatientId: patient.id, reason: "moving" }),
      disconnectDeviceAction({ deviceId, reason: "done with it" }),
      offboardPatientAction({ patientId: patient.id }),
      recordShipmentUpdateAction({ shipmentId: "no-such-shipment", carrier: "UPS" }),
      reconcileDeviceAction({ deviceId }),
    ]);
    expect(results.map((r) => r?.serverError)).toEqual(Array(8).fill(FORBIDDEN));
    expect(await db.device.count({ where: { patientId: patient.id } })).toBe(0);
    const denied = await db.auditEvent.findMany({ where: { actorId: users.clinician, outcome: "denied" } });
    expect(denied.map((a) => a.action).sort()).toEqual(
      ["device.assign", "device.disconnect", "device.move", "device.reconcile", "device.ship", "device.swap", "patient.offboard", "shipment.update"].sort(),
    );
  });

  it("lets a coordinator assign but not disconnect or offboard", async () => {
    signInAs("coordinator");
    const patient = await createPatient();
    await db.patient.update({ where: { id: patient.id }, data: { status: "offboarded" } });
    // Permission passes; the service then refuses the offboarded patient before any vendor call.
    const assigned = await assignDeviceAction({ vendor: "validic", patientId: patient.id, deviceType: "blood_glucose", imei: newImei() });
    expect(assigned?.serverError).toContain("has been offboarded");
    expect((await disconnectDeviceAction({ deviceId: "x", reason: "done with it" }))?.serverError).toBe(FORBIDDEN);
    expect((await offboardPatientAction({ patientId: patient.id }))?.serverError).toBe(FORBIDDEN);
    const failure = await db.auditEvent.findFirst({ where: { actorId: users.coordinator, action: "device.assign" }, orderBy: { id: "desc" } });
    expect(failure?.outcome).toBe("failure");
  });

  it("refuses a signed-out caller and validates input on the server", async () => {
    state.session = null;
    expect((await offboardPatientAction({ patientId: "p" }))?.serverError).toBe("Your session has ended. Sign in again.");
    signInAs("admin");
    const invalid = await assignDeviceAction({ vendor: "validic", patientId: "p", deviceType: "blood_glucose", imei: "123" });
    expect(invalid?.validationErrors).toBeDefined();
  });
});
