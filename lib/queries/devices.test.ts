import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { deviceListSchema, listDevices } from "@/lib/queries/devices";
import { createPatient } from "@/tests/factories";

const list = (raw: Record<string, string>) => listDevices(deviceListSchema.parse(raw));

describe("listDevices", () => {
  it("joins each device's gateway, patient and latest shipment, and searches, filters and sorts on the server", async () => {
    const tag = randomUUID().slice(0, 8).toUpperCase();
    const patient = await createPatient({ lastName: `Devices-${tag}` });
    const gateway = await db.gateway.create({ data: { gatewayUuid: `GW-${tag}` } });
    const device = (data: { vendorDeviceId: string; lifecycle: "active" | "shipping"; lastReadingAt?: Date; gatewayId?: string; patientId?: string }) =>
      db.device.create({ data: { vendor: "tenovi", category: "blood_pressure", connectivity: "gateway", vendorType: "Tenovi BPM - L", ...data } });
    const cuff = await device({ vendorDeviceId: `hwi-${tag}-1`, lifecycle: "active", lastReadingAt: new Date("2026-03-01T00:00:00Z"), gatewayId: gateway.id, patientId: patient.id });
    const spare = await device({ vendorDeviceId: `hwi-${tag}-2`, lifecycle: "shipping" });
    const shipment = (status: string, createdAt: string) =>
      db.shipment.create({
        data: { patientId: patient.id, deviceId: cuff.id, vendor: "tenovi", fulfiller: "vendor", status, shippingName: "Test", addressLine1: "1 Main St", city: "Springfield", state: "IL", zipCode: "62701", createdAt: new Date(createdAt) },
      });
    await shipment("Shipped", "2026-02-01T00:00:00Z");
    await shipment("Delivered", "2026-02-05T00:00:00Z");

    const byVendorId = await list({ q: `hwi-${tag.toLowerCase()}`, sort: "lastReadingAt", dir: "desc" });
    expect(byVendorId.total).toBe(2);
    // Devices that never measured come last, whichever the direction.
    expect(byVendorId.rows.map((r) => r.id)).toEqual([cuff.id, spare.id]);
    expect((await list({ q: `hwi-${tag}`, sort: "lastReadingAt", dir: "asc" })).rows.map((r) => r.id)).toEqual([cuff.id, spare.id]);
    expect(byVendorId.rows[0]).toMatchObject({
      vendor: "tenovi",
      category: "blood_pressure",
      lifecycle: "active",
      gateway: { gatewayUuid: `GW-${tag}` },
      patient: { id: patient.id, lastName: `Devices-${tag}` },
      shipments: [{ status: "Delivered" }],
    });
    expect(byVendorId.rows[1]).toMatchObject({ gateway: null, patient: null, shipments: [] });
    // Gateway and the patient's last name are searched too; the lifecycle filter narrows.
    expect((await list({ q: `gw-${tag.toLowerCase()}` })).rows.map((r) => r.id)).toEqual([cuff.id]);
    expect((await list({ q: `devices-${tag.toLowerCase()}` })).rows.map((r) => r.id)).toEqual([cuff.id]);
    expect((await list({ q: `hwi-${tag}`, lifecycle: "shipping" })).rows.map((r) => r.id)).toEqual([spare.id]);
    // Lifecycle sorts in its declared order (shipping before active), not alphabetically.
    expect((await list({ q: `hwi-${tag}`, sort: "lifecycle", dir: "asc" })).rows.map((r) => r.id)).toEqual([spare.id, cuff.id]);
  });
});
