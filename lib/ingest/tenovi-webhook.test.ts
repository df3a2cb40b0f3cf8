import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { POST as tenoviRoute } from "@/app/api/ingest/tenovi/route";
import { db } from "@/lib/db";
import { tenoviBpmPair, tenoviRow, uniqueId, uniqueImei } from "@/lib/ingest/payload-fixtures";
import { tenoviRecordKey } from "@/lib/ingest/tenovi-readings";
import { receiveTenoviWebhook } from "@/lib/ingest/receivers";
import { createDevice, createIdentity, createPatient, createShipment, drainEvents, readingsOf } from "@/lib/ingest/test-fixtures";
import { tenoviConfig } from "@/lib/vendors/config";
import { FULFILLMENT_WEBHOOK_DOC_EXAMPLE } from "@/lib/vendors/tenovi/fixtures";
import { tenoviMeasurementSchema } from "@/lib/vendors/tenovi/webhook-schemas";

const WEBHOOK_URL = "http://pulseboard.test/api/ingest/tenovi";
const { webhookAuthHeader, webhookAuthKey } = tenoviConfig();

function webhookRequest(body: BodyInit, headers: Record<string, string> = { [webhookAuthHeader]: webhookAuthKey }): Request {
  return new Request(WEBHOOK_URL, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
}

// Posts a webhook and, once it is accepted, runs the worker's drain on it; `processing` is the event's status then.
async function send(payload: unknown): Promise<{ status: number; body: { eventId: string; processing?: string; message?: string } }> {
  const response = await tenoviRoute(webhookRequest(JSON.stringify(payload)));
  const body = (await response.json()) as { eventId: string; status?: string; processing?: string };
  if (response.status === 200) body.processing = (await drainEvents([body.eventId]))[0];
  return { status: response.status, body };
}

function keyOf(row: ReturnType<typeof tenoviRow>): string {
  return tenoviRecordKey(tenoviMeasurementSchema.parse(row));
}

async function tenoviDevice(options: { withPatient?: boolean; lifecycle?: "shipping" | "delivered" | "active"; gatewayUuid?: string } = {}) {
  const patient = options.withPatient === false ? null : await createPatient();
  const hwiDeviceId = randomUUID();
  const device = await createDevice({
    vendor: "tenovi",
    vendorDeviceId: hwiDeviceId,
    patientId: patient?.id,
    lifecycle: options.lifecycle,
    gatewayUuid: options.gatewayUuid,
  });
  return { patient, device, hwiDeviceId };
}

describe("Tenovi webhook receiver: authentication and bodies", () => {
  it("answers 401 without the configured header or with a wrong value, storing nothing", async () => {
    const row = tenoviRow();
    expect((await tenoviRoute(webhookRequest(JSON.stringify(row), {}))).status).toBe(401);
    expect((await tenoviRoute(webhookRequest(JSON.stringify(row), { [webhookAuthHeader]: `${webhookAuthKey}x` }))).status).toBe(401);
    expect((await tenoviRoute(webhookRequest(JSON.stringify(row), { [webhookAuthHeader]: webhookAuthKey.toLowerCase() }))).status).toBe(401);
    expect(await db.reading.count({ where: { vendorRecordId: keyOf(row) } })).toBe(0);
  });

  it("accepts a custom header name and never echoes any part of the key in the 401 challenge", async () => {
    const auth = { header: "X-Pulseboard-Webhook-Key", key: "s3cr3t-key-without-scheme" };
    const row = tenoviRow();
    const refused = await receiveTenoviWebhook(webhookRequest(JSON.stringify(row), { [auth.header]: "nope" }), { tenoviAuth: auth });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe('Basic realm="pulseboard-tenovi-webhook"');
    const accepted = await receiveTenoviWebhook(webhookRequest(JSON.stringify(row), { [auth.header.toLowerCase()]: auth.key }), { tenoviAuth: auth });
    expect(accepted.status).toBe(200);
  });

  it("stores malformed JSON and JSON that is no webhook, answering 400 with the reason", async () => {
    const bad = await tenoviRoute(webhookRequest("[{"));
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { eventId: string };
    expect(await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(badBody.eventId) } })).toMatchObject({
      source: "tenovi_webhook",
      status: "rejected",
      rawBody: "[{",
    });

    const { status, body } = await send([tenoviRow(), { hello: "world" }]);
    expect(status).toBe(400);
    expect(body.message).toMatch(/item 1: neither a measurement/);
    const { body: valueBody } = await send(tenoviRow({ value_1: "abc" }));
    expect(valueBody.message).toMatch(/value_1: not a finite number/);
  });

  it("answers 413 to a body over 1 MB", async () => {
    const rows = Array.from({ length: 3000 }, () => tenoviRow());
    const response = await tenoviRoute(webhookRequest(JSON.stringify(rows)));
    expect(response.status).toBe(413);
  });
});

describe("Tenovi measurement webhooks", () => {
  it("turns a single blood_pressure row (string values) into systolic/diastolic for the device's patient (ASSUMPTION: timezone_offset in minutes)", async () => {
    const { patient, device, hwiDeviceId } = await tenoviDevice();
    const row = tenoviRow({ hwi_device_id: hwiDeviceId, value_1: "132", value_2: "84" });
    const { status, body } = await send(row);
    expect(status).toBe(200);
    const event = await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(body.eventId) } });
    expect(event).toMatchObject({ source: "tenovi_webhook", status: "processed", deliveryId: null, payload: row });
    expect(await readingsOf("tenovi", [keyOf(row)])).toEqual([
      {
        patientId: patient?.id,
        deviceId: device.id,
        vendor: "tenovi",
        vendorRecordId: `${hwiDeviceId}:2024-05-02T13:04:57.000Z:0`,
        metric: "blood_pressure",
        value: 132,
        value2: 84,
        unit: "mmHg",
        measuredAt: new Date("2024-05-02T13:04:57Z"),
        // ASSUMPTION: timezone_offset is minutes (−240 → UTC−4).
        utcOffsetSeconds: -14400,
        origin: "device",
        flags: [],
        mealContext: null,
        arrival: "webhook",
        deletedAt: null,
      },
    ]);
  });

  it("takes a post_as_array BPM (blood_pressure + pulse) as one measurement, pulse without value_2", async () => {
    const { hwiDeviceId } = await tenoviDevice();
    const pair = tenoviBpmPair({ hwi_device_id: hwiDeviceId });
    await send(pair);
    const readings = await readingsOf("tenovi", [keyOf(pair[0] ?? tenoviRow())]);
    expect(readings.map((r) => [r.metric, r.value, r.value2, r.unit])).toEqual([
      ["blood_pressure", 132, 84, "mmHg"],
      ["pulse", 68, null, "bpm"],
    ]);
  });

  it("coerces numbers and numeric strings alike, and reads null or empty value_2 as none", async () => {
    const { hwiDeviceId } = await tenoviDevice();
    const rows = [
      tenoviRow({ hwi_device_id: hwiDeviceId, metric: "blood_pressure", value_1: 118, value_2: 76, measurement_index: 0 }),
      tenoviRow({ hwi_device_id: hwiDeviceId, metric: "pulse", value_1: " 64 ", value_2: null, measurement_index: 0 }),
      tenoviRow({ hwi_device_id: hwiDeviceId, metric: "weight", value_1: "182.4", value_2: "", measurement_index: 1 }),
    ];
    expect((await send(rows)).status).toBe(200);
    const readings = await readingsOf("tenovi", [keyOf(rows[0] ?? tenoviRow()), keyOf(rows[2] ?? tenoviRow())]);
    expect(readings.map((r) => [r.metric, r.value, r.value2])).toEqual([
      ["blood_pressure", 118, 76],
      ["pulse", 64, null],
      ["weight", 182.4, null],
    ]);
  });

  it("ASSUMPTION: reads a device timestamp without a zone as UTC", async () => {
    const row = tenoviRow({ timestamp: "2024-05-02T13:04:57" });
    await send(row);
    const [reading] = await readingsOf("tenovi", [keyOf(row)]);
    expect(reading?.measuredAt.toISOString()).toBe("2024-05-02T13:04:57.000Z");
    expect(reading?.vendorRecordId).toMatch(/:2024-05-02T13:04:57\.000Z:0$/);
  });

  it("maps metrics: spO2 → spo2, temperature °F → °C (ASSUMPTION), glucose → blood_glucose mg/dL, battery flagged non-vital, unknown kept", async () => {
    const { hwiDeviceId } = await tenoviDevice();
    const at = (index: number) => ({ hwi_device_id: hwiDeviceId, measurement_index: index });
    const rows = [
      tenoviRow({ ...at(0), metric: "spO2", value_1: "97", value_2: "1" }),
      tenoviRow({ ...at(1), metric: "temperature", value_1: "98.6", value_2: null }),
      tenoviRow({ ...at(2), metric: "glucose", value_1: "112", value_2: null }),
      tenoviRow({ ...at(3), metric: "blood_glucose", value_1: 95, value_2: null }),
      tenoviRow({ ...at(4), metric: "battery_percentage", value_1: "81", value_2: null }),
      tenoviRow({ ...at(5), metric: "heart_rate_statistics", value_1: "72", value_2: "118" }),
      tenoviRow({ ...at(6), metric: "lung_sound_index", value_1: "3", value_2: "4" }),
    ];
    await send(rows);
    const readings = await readingsOf("tenovi", rows.map(keyOf));
    expect(readings.map((r) => [r.metric, r.value, r.value2, r.unit, r.flags])).toEqual([
      ["spo2", 97, null, "percent", []],
      ["temperature", 37, null, "C", []],
      ["blood_glucose", 112, null, "mg/dL", []],
      ["blood_glucose", 95, null, "mg/dL", []],
      ["battery_percentage", 81, null, "percent", ["non_vital"]],
      ["heart_rate_statistics", 72, 118, "bpm", []],
      ["lung_sound_index", 3, 4, "unknown", []],
    ]);
  });

  it("pairs rows by device, timestamp and measurement_index, not by arrival: two BPMs at the same second stay apart", async () => {
    const { hwiDeviceId } = await tenoviDevice();
    const first = tenoviBpmPair({ hwi_device_id: hwiDeviceId, measurement_index: 0, value_1: "120" });
    const second = tenoviBpmPair({ hwi_device_id: hwiDeviceId, measurement_index: 1, value_1: "140" });
    await send([second[1], first[0], second[0], first[1]]);
    const keys = [keyOf(first[0] ?? tenoviRow()), keyOf(second[0] ?? tenoviRow())];
    const readings = await readingsOf("tenovi", keys);
    expect(readings.map((r) => [r.vendorRecordId.endsWith(":0") ? 0 : 1, r.metric, r.value])).toEqual([
      [0, "blood_pressure", 120],
      [0, "pulse", 68],
      [1, "blood_pressure", 140],
      [1, "pulse", 68],
    ]);
  });

  it("stores the same rows whether sent as one array or one by one in any order, and a resend changes nothing", async () => {
    const a = await tenoviDevice();
    const b = await tenoviDevice();
    const rowsFor = (hwiDeviceId: string) => [
      ...tenoviBpmPair({ hwi_device_id: hwiDeviceId, patient_id: "same-ext", measurement_index: 0 }),
      tenoviRow({ hwi_device_id: hwiDeviceId, patient_id: "same-ext", metric: "battery_percentage", value_1: 64, value_2: null, measurement_index: 1 }),
    ];
    const arrayRows = rowsFor(a.hwiDeviceId);
    const singleRows = rowsFor(b.hwiDeviceId);
    await send(arrayRows);
    for (const row of [...singleRows].reverse()) expect((await send(row)).status).toBe(200);
    await send(singleRows);
    const normalise = (rows: Awaited<ReturnType<typeof readingsOf>>, hwiDeviceId: string) =>
      rows.map((r) => ({ ...r, vendorRecordId: r.vendorRecordId.replace(hwiDeviceId, "HWI"), patientId: "P", deviceId: "D" }));
    const viaArray = normalise(await readingsOf("tenovi", arrayRows.map(keyOf)), a.hwiDeviceId);
    const viaSingles = normalise(await readingsOf("tenovi", singleRows.map(keyOf)), b.hwiDeviceId);
    expect(viaArray).toHaveLength(3);
    expect(viaSingles).toEqual(viaArray);
    const record = await db.vendorRecord.findUniqueOrThrow({
      where: { vendor_vendorRecordId: { vendor: "tenovi", vendorRecordId: keyOf(singleRows[0] ?? tenoviRow()) } },
    });
    expect((record.payload as { rows: unknown[] }).rows).toHaveLength(2);
  });

  it("keeps readings from Tenovi's test payload device (12345678-abcd-…) unmatched and flagged unknown_device", async () => {
    const row = tenoviRow({ hwi_device_id: "12345678-abcd-1234-abcd-123456789012", patient_id: "test-patient" });
    await send(row);
    const [reading] = await readingsOf("tenovi", [keyOf(row)]);
    expect(reading).toMatchObject({ patientId: null, deviceId: null, flags: ["unknown_device"] });
  });

  it("falls back to the patient's external_id for an unknown device (still flagged), and never attributes by gateway alone", async () => {
    const patient = await createPatient();
    const externalId = uniqueId("ext");
    await createIdentity(patient.id, "tenovi", externalId);
    const byExternalId = tenoviRow({ patient_id: externalId });
    await send(byExternalId);
    expect((await readingsOf("tenovi", [keyOf(byExternalId)]))[0]).toMatchObject({ patientId: patient.id, deviceId: null, flags: ["unknown_device"] });

    const gatewayOwner = await createPatient();
    const gatewayUuid = uniqueId("gw");
    await db.gateway.create({ data: { gatewayUuid, patientId: gatewayOwner.id } });
    const onKnownGateway = { ...tenoviRow({ patient_id: null }), hardware_uuid: gatewayUuid };
    await send(onKnownGateway);
    expect((await readingsOf("tenovi", [keyOf(onKnownGateway)]))[0]).toMatchObject({ patientId: null, flags: ["unknown_device"] });
  });

  it("activates a device on its first reading, delivers its open shipment, and only moves lastReadingAt forward", async () => {
    const { patient, device, hwiDeviceId } = await tenoviDevice({ lifecycle: "shipping" });
    const shipment = await createShipment(patient?.id ?? "", device.id, "Dropshipped");
    await send(tenoviRow({ hwi_device_id: hwiDeviceId, timestamp: "2024-06-10T09:00:00Z" }));
    await send(tenoviRow({ hwi_device_id: hwiDeviceId, timestamp: "2024-06-08T09:00:00Z" }));
    const after = await db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(after.lifecycle).toBe("active");
    expect(after.lastReadingAt?.toISOString()).toBe("2024-06-10T09:00:00.000Z");
    expect(after.firstReadingAt?.toISOString()).toBe("2024-06-08T09:00:00.000Z");
    expect(await db.deviceEvent.count({ where: { deviceId: device.id, type: "first_reading" } })).toBe(1);
    // Ingest's changes are in the audit trail too, under the system actor, with the patient.
    const audited = await db.auditEvent.findMany({ where: { targetType: "device", targetId: device.id }, select: { actorId: true, actorRole: true, action: true, outcome: true, patientId: true } });
    expect(audited).toEqual([{ actorId: null, actorRole: "system", action: "device.first_reading", outcome: "success", patientId: patient?.id ?? null }]);
    const delivered = await db.shipment.findUniqueOrThrow({ where: { id: shipment.id } });
    expect(delivered).toMatchObject({ status: "Delivered" });
    expect(delivered.deliveredAt?.toISOString()).toBe("2024-06-10T09:00:00.000Z");
  });

  it("wakes a silent device with a newer reading, but not with a late old one", async () => {
    const { device, hwiDeviceId } = await tenoviDevice({ lifecycle: "active" });
    await send(tenoviRow({ hwi_device_id: hwiDeviceId, timestamp: "2024-07-01T09:00:00Z" }));
    await db.device.update({ where: { id: device.id }, data: { lifecycle: "silent" } });
    await send(tenoviRow({ hwi_device_id: hwiDeviceId, timestamp: "2024-06-01T09:00:00Z" }));
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).lifecycle).toBe("silent");
    await send(tenoviRow({ hwi_device_id: hwiDeviceId, timestamp: "2024-07-20T09:00:00Z" }));
    const after = await db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(after).toMatchObject({ lifecycle: "active", lastReadingAt: new Date("2024-07-20T09:00:00Z"), firstReadingAt: new Date("2024-06-01T09:00:00Z") });
    const events = await db.deviceEvent.findMany({ where: { deviceId: device.id }, orderBy: { occurredAt: "asc" } });
    expect(events.map((e) => [e.type, e.fromState, e.toState])).toEqual([
      ["first_reading", "active", "active"],
      ["readings_resumed", "silent", "active"],
    ]);
  });

  it("keeps past readings with their patient when the device moves to another patient", async () => {
    const { patient, device, hwiDeviceId } = await tenoviDevice();
    const row = tenoviRow({ hwi_device_id: hwiDeviceId, timestamp: "2024-06-01T10:00:00Z" });
    await send(row);
    const next = await createPatient();
    await db.device.update({ where: { id: device.id }, data: { patientId: next.id } });
    await send({ ...row, value_1: "150" });
    const [reading] = await readingsOf("tenovi", [keyOf(row)]);
    expect(reading).toMatchObject({ patientId: patient?.id, value: 150 });
  });
});

describe("Tenovi fulfillment and replacement webhooks", () => {
  async function deviceWithShipment() {
    const setup = await tenoviDevice({ lifecycle: undefined });
    await db.device.update({ where: { id: setup.device.id }, data: { lifecycle: "assigned", vendorStatus: "Dropship Requested" } });
    const shipment = await createShipment(setup.patient?.id ?? "", setup.device.id);
    return { ...setup, shipment };
  }

  function fulfillment(hwiDeviceId: string, status: string, extra: Record<string, unknown> = {}) {
    return { hwi_device_id: hwiDeviceId, patient_id: "ext", hardware_uuid: "a1b2c3d4e5f6", sensor_code: "10", device_name: "Tenovi BPM - L", status, ...extra };
  }

  it("follows Dropshipped → Delivered → Connected on the device, its shipment and the timeline", async () => {
    const { device, hwiDeviceId, shipment } = await deviceWithShipment();
    await send(fulfillment(hwiDeviceId, "Dropshipped", { tracking_link: "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400" }));
    let current = await db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(current).toMatchObject({ lifecycle: "shipping", vendorStatus: "Dropshipped" });
    let ship = await db.shipment.findUniqueOrThrow({ where: { id: shipment.id } });
    expect(ship).toMatchObject({ status: "Dropshipped", trackingLink: "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400" });
    expect(ship.shippedAt).not.toBeNull();

    await send(fulfillment(hwiDeviceId, "Delivered"));
    current = await db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(current.lifecycle).toBe("delivered");
    ship = await db.shipment.findUniqueOrThrow({ where: { id: shipment.id } });
    expect(ship.status).toBe("Delivered");
    expect(ship.deliveredAt).not.toBeNull();

    await send(fulfillment(hwiDeviceId, "Connected"));
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).lifecycle).toBe("active");
    const changes = await db.shipmentStatusChange.findMany({ where: { shipmentId: shipment.id }, orderBy: { occurredAt: "asc" } });
    expect(changes.map((c) => [c.status, c.source])).toEqual([
      ["Dropshipped", "webhook"],
      ["Delivered", "webhook"],
    ]);
    const events = await db.deviceEvent.findMany({ where: { deviceId: device.id }, orderBy: { occurredAt: "asc" } });
    expect(events.map((e) => [e.type, e.fromState, e.toState, e.vendorStatus])).toEqual([
      ["vendor_status", "assigned", "shipping", "Dropshipped"],
      ["vendor_status", "shipping", "delivered", "Delivered"],
      ["vendor_status", "delivered", "active", "Connected"],
    ]);
  });

  it("records nothing new when the same status arrives again, and never moves the lifecycle back on a late Shipped", async () => {
    const { device, hwiDeviceId } = await deviceWithShipment();
    await send(fulfillment(hwiDeviceId, "Delivered"));
    await send(fulfillment(hwiDeviceId, "Delivered"));
    expect(await db.deviceEvent.count({ where: { deviceId: device.id } })).toBe(1);
    await send(fulfillment(hwiDeviceId, "Shipped"));
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).lifecycle).toBe("delivered");
  });

  it('maps Returned → returned and Unlinked → disconnected, keeps unknown statuses verbatim, and reads Tenovi\'s `"status "` key', async () => {
    const { device, hwiDeviceId } = await deviceWithShipment();
    await send(fulfillment(hwiDeviceId, "Lost In The Mail"));
    expect(await db.device.findUniqueOrThrow({ where: { id: device.id } })).toMatchObject({ lifecycle: "assigned", vendorStatus: "Lost In The Mail" });
    const { status: _status, ...rest } = fulfillment(hwiDeviceId, "");
    await send({ ...rest, "status ": "Returned" });
    expect(await db.device.findUniqueOrThrow({ where: { id: device.id } })).toMatchObject({ lifecycle: "returned", vendorStatus: "Returned" });
    await send(fulfillment(hwiDeviceId, "Unlinked"));
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).lifecycle).toBe("disconnected");
  });

  it("keeps pre-shipment statuses (Pending Shipment, On Hold, …) at assigned", async () => {
    const { device, hwiDeviceId } = await deviceWithShipment();
    for (const status of ["Pending Shipment", "Ready to Ship", "On Hold", "Client Action Required"]) {
      await send(fulfillment(hwiDeviceId, status));
      expect(await db.device.findUniqueOrThrow({ where: { id: device.id } })).toMatchObject({ lifecycle: "assigned", vendorStatus: status });
    }
  });

  it("applies a replacement: the new gateway id (hardware_uuid) replaces the old (device_id); past readings stay put", async () => {
    const oldGateway = uniqueId("gw-old");
    const newGateway = uniqueId("gw-new");
    const { patient, device, hwiDeviceId } = await tenoviDevice({ lifecycle: "active", gatewayUuid: oldGateway });
    const before = tenoviRow({ hwi_device_id: hwiDeviceId });
    await send(before);
    const replacement = { hwi_device_id: hwiDeviceId, device_id: oldGateway, hardware_uuid: newGateway, status: "Replaced", device_name: "Gateway" };
    const { status } = await send(replacement);
    expect(status).toBe(200);
    const after = await db.device.findUniqueOrThrow({ where: { id: device.id }, include: { gateway: true } });
    expect(after.gateway?.gatewayUuid).toBe(newGateway);
    expect(after).toMatchObject({ lifecycle: "active", vendorStatus: "Replaced", patientId: patient?.id });
    expect(await db.gateway.count({ where: { gatewayUuid: oldGateway } })).toBe(0);
    const [event] = await db.deviceEvent.findMany({ where: { deviceId: device.id, type: "hardware_replaced" } });
    expect(event?.details).toEqual({ oldHardwareId: oldGateway, newHardwareId: newGateway });
    expect((await readingsOf("tenovi", [keyOf(before)]))[0]).toMatchObject({ patientId: patient?.id, deviceId: device.id });
    await send(replacement);
    expect(await db.deviceEvent.count({ where: { deviceId: device.id, type: "hardware_replaced" } })).toBe(1);
  });

  it("applies a replacement of a cellular device's IMEI", async () => {
    const oldImei = uniqueImei();
    const newImei = uniqueImei();
    const device = await createDevice({ vendor: "tenovi", vendorDeviceId: randomUUID(), imei: oldImei });
    await send({ device_id: oldImei, hardware_uuid: newImei, status: "Replaced" });
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).imei).toBe(newImei);
  });
});

describe("Tenovi fulfillment webhooks: the hardware Tenovi ships", () => {
  async function shippingDevice(connectivity: "gateway" | "cellular") {
    const setup = await tenoviDevice();
    await db.device.update({ where: { id: setup.device.id }, data: { connectivity, lifecycle: "assigned", vendorStatus: "Dropship Requested" } });
    return setup;
  }

  // The vendor-docs example, with its "status " key and malformed link, for this test's device.
  function docExample(hwiDeviceId: string, overrides: Record<string, unknown> = {}) {
    return { ...FULFILLMENT_WEBHOOK_DOC_EXAMPLE, hwi_device_id: hwiDeviceId, ...overrides };
  }

  it("records the gateway ID of the documented sample (hardware_uuid) on a drop-shipped device with none; a resend records nothing more", async () => {
    const { device, hwiDeviceId, patient } = await shippingDevice("gateway");
    await send(docExample(hwiDeviceId));
    const after = await db.device.findUniqueOrThrow({ where: { id: device.id }, include: { gateway: true } });
    expect(after).toMatchObject({ lifecycle: "shipping", vendorStatus: "Dropshipped", patientId: patient?.id });
    expect(after.gateway?.gatewayUuid).toBe(FULFILLMENT_WEBHOOK_DOC_EXAMPLE.hardware_uuid);
    const events = await db.deviceEvent.findMany({ where: { deviceId: device.id } });
    expect(events.map((e) => [e.type, e.details])).toEqual([
      ["vendor_status", { trackingLink: FULFILLMENT_WEBHOOK_DOC_EXAMPLE.tracking_link, reportedGatewayId: FULFILLMENT_WEBHOOK_DOC_EXAMPLE.hardware_uuid }],
    ]);
    await send(docExample(hwiDeviceId));
    await send(docExample(hwiDeviceId, { hardware_uuid: FULFILLMENT_WEBHOOK_DOC_EXAMPLE.hardware_uuid.toLowerCase() }));
    expect(await db.deviceEvent.count({ where: { deviceId: device.id } })).toBe(1);
  });

  it("records a gateway reported without a status change as its own timeline entry, and leaves past readings where they were", async () => {
    const { device, hwiDeviceId, patient } = await tenoviDevice({ lifecycle: "active", gatewayUuid: uniqueId("gw-first") });
    await db.device.update({ where: { id: device.id }, data: { vendorStatus: "Connected" } });
    const before = tenoviRow({ hwi_device_id: hwiDeviceId });
    await send(before);
    const reported = uniqueId("gw-reported");
    await send(docExample(hwiDeviceId, { "status ": "Connected", hardware_uuid: reported, tracking_link: null }));
    const after = await db.device.findUniqueOrThrow({ where: { id: device.id }, include: { gateway: true } });
    expect(after.gateway?.gatewayUuid).toBe(reported);
    expect(after).toMatchObject({ lifecycle: "active", vendorStatus: "Connected" });
    const [event] = await db.deviceEvent.findMany({ where: { deviceId: device.id, type: "hardware_reported" } });
    expect(event?.details).toMatchObject({ reportedGatewayId: reported });
    expect((await readingsOf("tenovi", [keyOf(before)]))[0]).toMatchObject({ patientId: patient?.id, deviceId: device.id });
  });

  it("records the IMEI Tenovi reports for a cellular device; refuses one that is no IMEI or that another device holds", async () => {
    const { device, hwiDeviceId } = await shippingDevice("cellular");
    const imei = uniqueImei();
    await send(docExample(hwiDeviceId, { hardware_uuid: imei, device_name: "Tenovi Cellular Scale" }));
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).imei).toBe(imei);

    const other = await shippingDevice("cellular");
    await send(docExample(other.hwiDeviceId, { hardware_uuid: "0C4DE9A1B7F2", device_name: "Tenovi Cellular Scale" }));
    await send(docExample(other.hwiDeviceId, { "status ": "Delivered", hardware_uuid: imei, device_name: "Tenovi Cellular Scale" }));
    expect(await db.device.findUniqueOrThrow({ where: { id: other.device.id } })).toMatchObject({ imei: null, lifecycle: "delivered" });
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).imei).toBe(imei);
  });

  it("records nothing for a device Tenovi flags with an unknown gateway ID", async () => {
    const { device, hwiDeviceId } = await shippingDevice("gateway");
    await send(docExample(hwiDeviceId, { "status ": "Unknown Gateway ID", hardware_uuid: uniqueId("gw-typo") }));
    expect(await db.device.findUniqueOrThrow({ where: { id: device.id } })).toMatchObject({ gatewayId: null, vendorStatus: "Unknown Gateway ID" });
  });
});
