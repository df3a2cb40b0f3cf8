import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { assignDevice } from "@/lib/devices/assign";
import { shipDeviceSchema } from "@/lib/devices/schemas";
import { recordShipmentUpdate, shipDevice } from "@/lib/devices/ship";
import { createPatient, KNOWN_GATEWAY, newImei, startDeviceHarness, TEST_ADDRESS, type DeviceHarness } from "@/lib/devices/test-harness";
import { AppError } from "@/lib/errors";

// Shipping devices: Tenovi drop-ship, clinic-fulfilled Tenovi, gateway only, an additional device for an existing
// gateway, and Smart Meter devices the clinic ships; the clinic records its own shipments.

let h: DeviceHarness;

beforeAll(async () => {
  h = await startDeviceHarness("ship");
});

afterAll(async () => {
  await h.stop();
});

type FulfillmentBody = { device: { hardware_uuid: string | null; fulfillment_request: Record<string, unknown> }; patient: Record<string, unknown> };

async function lastActivation(since: bigint): Promise<FulfillmentBody> {
  const posts = await h.requests({ vendor: "tenovi", method: "POST", pathIncludes: "/hwi-devices/", since });
  return posts.at(-1)?.body as FulfillmentBody;
}

async function shipmentOf(deviceId: string) {
  return db.shipment.findFirstOrThrow({ where: { deviceId }, include: { statusChanges: { orderBy: { occurredAt: "asc" } } } });
}

describe("Tenovi shipping", () => {
  it("Tenovi drop-ships: Dropship Requested, address and notify emails as Tenovi expects, physician forwarded, sms_opt_in from consent", async () => {
    const patient = await createPatient({ smsConsent: false, physician: "Dr. Chen" });
    const mark = await h.mark();
    const result = await shipDevice(h.as("coordinator"), {
      vendor: "tenovi",
      patientId: patient.id,
      mode: "tenovi-ships",
      deviceName: "Tenovi BPM - L",
      address: TEST_ADDRESS,
      notifyEmails: " nurse@clinic.example , coordinator@clinic.example",
      requireSignature: true,
    });
    expect(result).toMatchObject({ outcome: "done", vendorStatus: "Dropship Requested" });
    const body = await lastActivation(mark);
    expect(body.device.hardware_uuid).toBeNull();
    expect(body.device.fulfillment_request).toMatchObject({
      shipping_address: "1 Main Street\nApt 2",
      shipping_state: "OH",
      shipping_zip_code: "43215-1234",
      notify_emails: "nurse@clinic.example,coordinator@clinic.example",
      require_signature: true,
      client_will_fulfill: false,
      ship_gateway_only: false,
    });
    expect(body.patient).toMatchObject({ physician: "Dr. Chen", sms_opt_in: false });
    const device = await db.device.findUniqueOrThrow({ where: { id: result.deviceId } });
    expect(device).toMatchObject({ lifecycle: "assigned", vendorStatus: "Dropship Requested", imei: null, gatewayId: null });
    const shipment = await shipmentOf(device.id);
    expect(shipment).toMatchObject({ fulfiller: "vendor", status: "Dropship Requested", zipCode: "43215-1234", notifyEmails: "nurse@clinic.example,coordinator@clinic.example", requireSignature: true, physician: "Dr. Chen" });
    expect(shipment.statusChanges.map((c) => [c.status, c.source])).toEqual([["Dropship Requested", "coordinator"]]);
  });

  it("refuses a coordinator's shipment update on a parcel Tenovi ships (its status comes from Tenovi)", async () => {
    const patient = await createPatient();
    const result = await shipDevice(h.as("coordinator"), { vendor: "tenovi", patientId: patient.id, mode: "tenovi-ships", deviceName: "Tenovi Scale", address: TEST_ADDRESS });
    const shipment = await shipmentOf(result.deviceId);
    await expect(recordShipmentUpdate(h.as("coordinator"), { shipmentId: shipment.id, carrier: "UPS" })).rejects.toThrow(/Tenovi ships this device/);
  });

  it("the clinic ships (client_will_fulfill): Pending Shipment, then the tracking link goes to Tenovi first and the device is shipping, then delivered", async () => {
    const patient = await createPatient({ smsConsent: true });
    const mark = await h.mark();
    const result = await shipDevice(h.as("coordinator"), { vendor: "tenovi", patientId: patient.id, mode: "clinic-ships", deviceName: "Tenovi Pulse Ox", address: TEST_ADDRESS });
    expect(result).toMatchObject({ outcome: "done", vendorStatus: "Pending Shipment" });
    expect((await lastActivation(mark)).device.fulfillment_request).toMatchObject({ client_will_fulfill: true });
    expect((await lastActivation(mark)).patient).toMatchObject({ sms_opt_in: true });
    const shipment = await shipmentOf(result.deviceId);
    expect(shipment.fulfiller).toBe("clinic");

    await expect(recordShipmentUpdate(h.as("coordinator"), { shipmentId: shipment.id, shippedAt: "2026-01-02" })).rejects.toThrow(/tracking link/);
    const tracking = "https://www.ups.com/track?tracknum=1Z999AA10123456784";
    const shipped = await recordShipmentUpdate(h.as("coordinator"), { shipmentId: shipment.id, carrier: "UPS", trackingLink: tracking, shippedAt: "2026-01-02" });
    expect(shipped).toMatchObject({ status: "Shipped", vendorStatus: "Shipped" });
    const patch = (await h.requests({ vendor: "tenovi", method: "PATCH", since: mark })).at(-1);
    expect(patch?.body).toMatchObject({ device: { fulfillment_request: { shipping_tracking_link: tracking } } });
    expect(await db.device.findUniqueOrThrow({ where: { id: result.deviceId } })).toMatchObject({ lifecycle: "shipping", vendorStatus: "Shipped" });

    const delivered = await recordShipmentUpdate(h.as("coordinator"), { shipmentId: shipment.id, deliveredAt: "2026-01-05" });
    expect(delivered.status).toBe("Delivered");
    const after = await shipmentOf(result.deviceId);
    expect(after).toMatchObject({ carrier: "UPS", trackingLink: tracking, status: "Delivered" });
    expect(after.shippedAt?.toISOString().slice(0, 10)).toBe("2026-01-02");
    // Each status the coordinator recorded dates from the day they entered, and so does the shipment's state.
    const changes = Object.fromEntries(after.statusChanges.map((c) => [c.status, c.occurredAt.toISOString().slice(0, 10)]));
    expect(Object.keys(changes).sort()).toEqual(["Delivered", "Pending Shipment", "Shipped"]);
    expect(changes).toMatchObject({ Shipped: "2026-01-02", Delivered: "2026-01-05" });
    expect(after.stateSince.toISOString().slice(0, 10)).toBe("2026-01-05");
    expect((await db.device.findUniqueOrThrow({ where: { id: result.deviceId } })).lifecycle).toBe("delivered");
  });

  it("ships the gateway only (ship_gateway_only) for a gateway-connected device the patient already has", async () => {
    const patient = await createPatient();
    const mark = await h.mark();
    const result = await shipDevice(h.as("coordinator"), { vendor: "tenovi", patientId: patient.id, mode: "gateway-only", deviceName: "Omron BPM", address: TEST_ADDRESS });
    expect(result.outcome).toBe("done");
    expect((await lastActivation(mark)).device.fulfillment_request).toMatchObject({ ship_gateway_only: true, client_will_fulfill: false });
    expect((await shipmentOf(result.deviceId)).isGatewayOnly).toBe(true);
  });

  it("an additional device for a patient whose gateway is at home sends that gateway ID with the fulfillment request (no second gateway)", async () => {
    const patient = await createPatient();
    await assignDevice(h.as("coordinator"), { vendor: "tenovi", connectivity: "gateway", patientId: patient.id, deviceName: "Tenovi BPM - S", gatewayId: KNOWN_GATEWAY });
    const mark = await h.mark();
    const result = await shipDevice(h.as("coordinator"), {
      vendor: "tenovi",
      patientId: patient.id,
      mode: "additional-device",
      deviceName: "Tenovi Glucometer",
      existingGatewayId: KNOWN_GATEWAY,
      address: TEST_ADDRESS,
    });
    expect(result).toMatchObject({ outcome: "done", vendorStatus: "Dropship Requested" });
    const body = await lastActivation(mark);
    expect(body.device.hardware_uuid).toBe(KNOWN_GATEWAY);
    expect(body.device.fulfillment_request).toMatchObject({ client_will_fulfill: false });
    const device = await db.device.findUniqueOrThrow({ where: { id: result.deviceId }, include: { gateway: true } });
    expect(device.gateway?.gatewayUuid).toBe(KNOWN_GATEWAY);
    expect((await shipmentOf(device.id)).existingGatewayUuid).toBe(KNOWN_GATEWAY);
  });

  it("refuses an additional device on a gateway that is not at this patient's home", async () => {
    const patient = await createPatient();
    await expect(
      shipDevice(h.as("coordinator"), { vendor: "tenovi", patientId: patient.id, mode: "additional-device", deviceName: "Tenovi Scale", existingGatewayId: "ABCDEF123456", address: TEST_ADDRESS }),
    ).rejects.toThrow(/not recorded at this patient's home/);
  });
});

describe("Smart Meter devices are shipped by the clinic", () => {
  it("connects the IMEI at Validic when assigning, records a clinic shipment, and follows the clinic's updates (no vendor call)", async () => {
    const patient = await createPatient();
    const imei = newImei();
    const result = await shipDevice(h.as("coordinator"), { vendor: "validic", patientId: patient.id, deviceType: "weight_scale", imei, address: TEST_ADDRESS, notifyEmails: "" });
    expect(result).toMatchObject({ outcome: "done", vendorStatus: "connected" });
    expect(await db.device.findUniqueOrThrow({ where: { id: result.deviceId } })).toMatchObject({ lifecycle: "assigned", imei, category: "scale" });
    const shipment = await shipmentOf(result.deviceId);
    expect(shipment).toMatchObject({ vendor: "validic", fulfiller: "clinic", status: "Pending Shipment", notifyEmails: null });
    const mark = await h.mark();
    await recordShipmentUpdate(h.as("coordinator"), { shipmentId: shipment.id, carrier: "USPS", trackingLink: "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111", shippedAt: "2026-02-01" });
    expect((await db.device.findUniqueOrThrow({ where: { id: result.deviceId } })).lifecycle).toBe("shipping");
    await recordShipmentUpdate(h.as("coordinator"), { shipmentId: shipment.id, deliveredAt: "2026-02-03" });
    expect((await db.device.findUniqueOrThrow({ where: { id: result.deviceId } })).lifecycle).toBe("delivered");
    expect(await h.requests({ vendor: "validic", since: mark })).toHaveLength(0);
  });
});

describe("shipping form rules", () => {
  const base = { vendor: "tenovi", patientId: "p", mode: "tenovi-ships", deviceName: "Tenovi Scale" } as const;

  it.each([
    [{ ...TEST_ADDRESS, state: "Ohio" }, "two-letter state"],
    [{ ...TEST_ADDRESS, zipCode: "4321" }, "ZIP"],
    [{ ...TEST_ADDRESS, zipCode: "43215-12" }, "ZIP"],
  ])("rejects an address with a bad state or ZIP (%#)", (address, message) => {
    const parsed = shipDeviceSchema.safeParse({ ...base, address });
    expect(parsed.error?.issues.map((i) => i.message).join(" ")).toContain(message);
  });

  it("accepts a 5- or 9-digit ZIP and normalizes ZIP+4", () => {
    expect(shipDeviceSchema.parse({ ...base, address: { ...TEST_ADDRESS, zipCode: "43215" } }).address.zipCode).toBe("43215");
    expect(shipDeviceSchema.parse({ ...base, address: { ...TEST_ADDRESS, zipCode: "43215-1234" } }).address.zipCode).toBe("43215-1234");
  });

  it("checks each notify email in the comma-separated list", () => {
    const parsed = shipDeviceSchema.safeParse({ ...base, address: TEST_ADDRESS, notifyEmails: "ok@example.org, not-an-email" });
    expect(parsed.error?.issues[0]?.message).toContain("not-an-email");
  });

  it("refuses a clinician", async () => {
    const patient = await createPatient();
    const error = await shipDevice(h.as("clinician"), { ...base, patientId: patient.id, address: TEST_ADDRESS }).catch((e: unknown) => e);
    expect(error instanceof AppError && error.code).toBe("FORBIDDEN");
  });
});
