import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { getPatientDevices } from "@/lib/queries/patient-devices";
import { createDevice, createPatient } from "@/tests/factories";

const shipment = (patientId: string, deviceId: string, status: string, createdAt: Date, extra: { fulfiller?: "clinic" | "vendor"; deliveredAt?: Date } = {}) =>
  db.shipment.create({
    data: { patientId, deviceId, vendor: "tenovi", fulfiller: extra.fulfiller ?? "vendor", status, shippingName: "Test", addressLine1: "1 Main St", city: "Springfield", state: "IL", zipCode: "62701", createdAt, deliveredAt: extra.deliveredAt },
  });

describe("getPatientDevices", () => {
  it("lists current devices oldest first with their gateway and latest shipment, and ended assignments newest first", async () => {
    const patient = await createPatient();
    const gateway = await db.gateway.create({ data: { gatewayUuid: `GW-${randomUUID().slice(0, 8)}` } });
    const cuff = await db.device.create({
      data: { vendor: "tenovi", category: "blood_pressure", connectivity: "gateway", vendorType: "Tenovi BPM - L", patientId: patient.id, gatewayId: gateway.id, lifecycle: "shipping", createdAt: new Date("2026-01-01T00:00:00Z") },
    });
    const meter = await createDevice(patient.id, "glucometer");
    await shipment(patient.id, cuff.id, "Delivered", new Date("2026-01-02T00:00:00Z"), { deliveredAt: new Date("2026-01-05T00:00:00Z") });
    const latest = await shipment(patient.id, cuff.id, "Shipped", new Date("2026-02-01T00:00:00Z"), { fulfiller: "clinic" });
    const old = await createDevice(patient.id, "scale", "returned");
    await db.device.update({ where: { id: old.id }, data: { patientId: null } });
    const ended = [new Date("2025-10-01T00:00:00Z"), new Date("2025-12-01T00:00:00Z")];
    for (const endedAt of ended) {
      await db.deviceAssignment.create({ data: { deviceId: old.id, patientId: patient.id, startedAt: new Date("2025-09-01T00:00:00Z"), endedAt, endedReason: "swapped" } });
    }
    await db.deviceAssignment.create({ data: { deviceId: meter.id, patientId: patient.id } });

    const card = await getPatientDevices(patient);

    expect(card.current.map((c) => c.device.id)).toEqual([cuff.id, meter.id]);
    const [first, second] = card.current;
    expect(first?.device).toMatchObject({ vendor: "tenovi", connectivity: "gateway", lifecycle: "shipping", gateway: { gatewayUuid: gateway.gatewayUuid } });
    expect(first?.label).toBe(`Tenovi BPM - L · ${gateway.gatewayUuid}`);
    expect(first?.shipment).toEqual({ id: latest.id, status: "Shipped", fulfiller: "clinic", deliveredAt: null });
    // The clinic's own shipment, not delivered yet: the card offers to record its progress.
    expect(first?.clinicShipmentId).toBe(latest.id);
    expect(second?.shipment).toBeNull();
    expect(second?.device.gateway).toBeNull();
    expect(card.toDisconnect.map((d) => d.id)).toEqual([cuff.id, meter.id]);
    expect(card.previous.map((p) => p.endedAt)).toEqual([...ended].reverse());
    expect(card.previous[0]).toMatchObject({ deviceId: old.id, endedReason: "swapped" });
  });
});
