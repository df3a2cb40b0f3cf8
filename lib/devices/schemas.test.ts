import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { checkImei } from "@/lib/devices/lookups";
import {
  assignDeviceSchema,
  gatewayIdInputSchema,
  moveDeviceSchema,
  recordShipmentUpdateSchema,
  shipDeviceSchema,
  swapDeviceSchema,
} from "@/lib/devices/schemas";
import { createPatient, newImei, TEST_ADDRESS } from "@/lib/devices/test-harness";

// The device form rules, and the promise the server actions rely on: parsing a parsed input changes nothing.

describe("parsing twice changes nothing (a server action's parsed input goes to the service, which parses again)", () => {
  const imei = newImei();
  it.each([
    [assignDeviceSchema, { vendor: "tenovi", connectivity: "gateway", patientId: "p", deviceName: "Tenovi Scale", gatewayId: " a1b2 c3d4e5f6 " }],
    [assignDeviceSchema, { vendor: "validic", patientId: "p", deviceType: "weight_scale", imei: `${imei.slice(0, 4)}-${imei.slice(4)}` }],
    [shipDeviceSchema, { vendor: "tenovi", patientId: "p", mode: "tenovi-ships", deviceName: "Tenovi Scale", address: TEST_ADDRESS, notifyEmails: "a@example.org, b@example.org" }],
    [shipDeviceSchema, { vendor: "validic", patientId: "p", deviceType: "blood_glucose", imei, address: { ...TEST_ADDRESS, line2: "" } }],
    [recordShipmentUpdateSchema, { shipmentId: "s", carrier: " UPS ", trackingLink: "https://ups.example/track/1", shippedAt: "2026-01-02", deliveredAt: "" }],
    [swapDeviceSchema, { mode: "tenovi-replacement", deviceId: "d", reason: "broken", replace: "gateway", address: TEST_ADDRESS }],
    [moveDeviceSchema, { deviceId: "d", toPatientId: "p", reason: "moved rooms" }],
  ] as const)("%#", (schema, input) => {
    const once = schema.parse(input);
    expect(schema.parse(once)).toEqual(once);
  });
});

describe("form rules", () => {
  it("normalizes a gateway ID as printed and refuses what cannot be one", () => {
    expect(gatewayIdInputSchema.parse(" a1b2c3 d4e5f6")).toBe("A1B2C3D4E5F6");
    expect(gatewayIdInputSchema.safeParse("not a gateway!").success).toBe(false);
  });

  it("refuses a delivery date before the shipping date, and an empty update", () => {
    expect(recordShipmentUpdateSchema.safeParse({ shipmentId: "s", shippedAt: "2026-01-05", deliveredAt: "2026-01-02" }).error?.issues[0]?.message).toContain("before shipping");
    expect(recordShipmentUpdateSchema.safeParse({ shipmentId: "s" }).success).toBe(false);
  });

  it("needs a reason of a few words for a swap, a move or a disconnection", () => {
    expect(moveDeviceSchema.safeParse({ deviceId: "d", toPatientId: "p", reason: "x" }).success).toBe(false);
  });
});

describe("the IMEI check behind the assign dialog", () => {
  it("explains a bad IMEI, and names the patient who already has a good one", async () => {
    expect((await checkImei("12345")).problem).toContain("15 digits");
    const patient = await createPatient();
    const imei = newImei();
    expect(await checkImei(imei)).toEqual({ imei, problem: null, assignedTo: null });
    await db.device.create({ data: { vendor: "validic", category: "scale", connectivity: "cellular", vendorType: "weight_scale", imei, patientId: patient.id, lifecycle: "active" } });
    const check = await checkImei(`${imei.slice(0, 3)} ${imei.slice(3)}`);
    expect(check.assignedTo).toEqual({ patientId: patient.id, label: `${patient.lastName}, ${patient.firstName} (${patient.mrn})` });
  });
});
