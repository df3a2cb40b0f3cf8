import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors";
import { tenoviFulfillmentWebhookSchema, tenoviHwiDeviceSchema, tenoviMeasurementWebhookSchema, type TenoviMeasurement } from "@/lib/vendors/tenovi/schemas";
import { createTenoviSimulator, type TenoviSimulator, type TenoviSimulatorOptions } from "@/lib/vendors/tenovi/simulator";
import { seededRandom, startWebhookReceiver, type ReceivedWebhook } from "@/lib/vendors/tenovi/test-servers";

// Tenovi's side of the integration: the webhooks the simulator sends to Pulseboard (captured by a local HTTP server),
// shipment transitions and the bounded tick. No HTTP goes into the simulator here (see client.test.ts for that).

const GATEWAY = "0A1B2C3D4E5F";
const WEBHOOK_HEADER = "X-Tenovi-Auth";
const WEBHOOK_KEY = "sim-webhook-key-123";
const SHIPPING = {
  shipping_name: "Test Patient",
  shipping_address: "1 Main St",
  shipping_city: "Springfield",
  shipping_state: "IL",
  shipping_zip_code: "62701",
};

let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let domainCounter = 0;

beforeAll(async () => {
  hooks = await startWebhookReceiver();
});

afterAll(async () => {
  await hooks.close();
});

// A simulator with its own client domain (its own state), sending webhooks to the local receiver.
function simulator(options: TenoviSimulatorOptions = {}): TenoviSimulator {
  domainCounter += 1;
  return createTenoviSimulator({
    clientDomain: `sim-tests-${process.pid}-${domainCounter}`,
    seedGatewayIds: [GATEWAY],
    autoReadings: null,
    random: seededRandom(domainCounter),
    ...options,
    webhook: { url: () => hooks.url, authHeader: WEBHOOK_HEADER, authKey: WEBHOOK_KEY, ...options.webhook },
  });
}

async function activate(sim: TenoviSimulator, device: Record<string, unknown>, patientId = `p-${domainCounter}`) {
  const result = await sim.activate({ patient: { external_id: patientId, sms_opt_in: false }, device });
  expect(result.status).toBe(201);
  return tenoviHwiDeviceSchema.parse(result.body);
}

function webhooksFor(hwiDeviceId: string): ReceivedWebhook[] {
  return hooks.received.filter((r) => JSON.stringify(r.body).includes(hwiDeviceId));
}

function measurementsFor(hwiDeviceId: string): TenoviMeasurement[] {
  return webhooksFor(hwiDeviceId).flatMap((r) => tenoviMeasurementWebhookSchema.safeParse(r.body).data ?? []);
}

function statusesFor(hwiDeviceId: string): string[] {
  return webhooksFor(hwiDeviceId).flatMap((r) => {
    const parsed = tenoviFulfillmentWebhookSchema.safeParse(r.body);
    return parsed.success ? [parsed.data.status] : [];
  });
}

describe("measurement webhooks", () => {
  it("a BPM sends blood_pressure and pulse as single objects with the configured auth header, then Connected", async () => {
    const sim = simulator({ stringValueRatio: 0 });
    const device = await activate(sim, { name: "Tenovi BPM - L", hardware_uuid: GATEWAY });
    expect(device.status).toBe("Delivered");
    const report = await sim.emitReadingNow(device.id);
    expect(report.deliveries.map((d) => [d.event, d.httpStatus])).toEqual([
      ["measurement", 200],
      ["measurement", 200],
      ["fulfillment", 200],
    ]);
    const posts = webhooksFor(device.id);
    expect(posts.every((p) => p.headers[WEBHOOK_HEADER.toLowerCase()] === WEBHOOK_KEY && p.path === "/api/ingest/tenovi")).toBe(true);
    expect(posts.slice(0, 2).every((p) => !Array.isArray(p.body))).toBe(true);
    const [bp, pulse] = measurementsFor(device.id);
    expect(bp).toMatchObject({ metric: "blood_pressure", sensor_code: "10", hardware_uuid: GATEWAY, patient_id: device.patient_id, timezone_offset: -300 });
    expect(pulse).toMatchObject({ metric: "pulse", value_2: null });
    expect(bp && bp.value_1 > (bp.value_2 ?? Infinity)).toBe(true);
    expect(pulse?.timestamp).toBe(bp?.timestamp);
    expect(pulse?.filter_params?.measurement_index).toBe(bp?.filter_params?.measurement_index);
    expect(statusesFor(device.id)).toEqual(["Connected"]);
    expect((await sim.getDevice(device.id))?.status).toBe("Connected");
  });

  it("post_as_array sends one array of the coincident measurements", async () => {
    const sim = simulator({ webhook: { postAsArray: true } });
    const device = await activate(sim, { name: "Tenovi Pulse Ox", hardware_uuid: GATEWAY });
    await sim.emitReadingNow(device.id);
    const [post] = webhooksFor(device.id);
    expect(Array.isArray(post?.body)).toBe(true);
    expect(tenoviMeasurementWebhookSchema.parse(post?.body).map((m) => m.metric)).toEqual(["spO2", "pulse"]);
  });

  it("sends values as strings when configured (the docs say they can be), and they parse back to numbers", async () => {
    const sim = simulator({ stringValueRatio: 1 });
    const device = await activate(sim, { name: "Tenovi BPM - S", hardware_uuid: GATEWAY });
    await sim.emitReadingNow(device.id);
    const raw = webhooksFor(device.id).map((r) => r.body as { metric?: string; value_1?: unknown; value_2?: unknown }).filter((b) => b.metric);
    expect(raw.map((b) => typeof b.value_1)).toEqual(["string", "string"]);
    expect(raw[0]?.value_2).toEqual(expect.any(String));
    expect(raw[1]?.value_2).toBeNull();
    expect(measurementsFor(device.id).every((m) => typeof m.value_1 === "number")).toBe(true);
  });

  it.each([
    ["Tenovi Glucometer", { glucose: [70, 200] }],
    ["Tenovi Scale", { weight: [100, 260] }],
    ["Tenovi Thermometer", { temperature: [95, 104] }],
    ["Tenovi Pulse Ox", { spO2: [90, 100], pulse: [50, 110] }],
    ["Tenovi Peak Flow Meter", { peak_expiratory_flow: [200, 700], forced_expiratory_volume: [1, 5] }],
    ["Tenovi Cellular Glucometer", { glucose: [70, 200] }],
  ])("%s sends plausible values (ASSUMPTION: °F, lb, mg/dL)", async (name, ranges) => {
    const sim = simulator();
    const cellular = name.includes("Cellular");
    const device = await activate(sim, { name, hardware_uuid: cellular ? "356938035643809" : GATEWAY });
    await sim.emitDayOfReadings(device.id);
    const received = measurementsFor(device.id);
    expect(received.length).toBe(3 * Object.keys(ranges).length);
    for (const m of received) {
      const range = (ranges as Record<string, number[]>)[m.metric];
      expect(range, m.metric).toBeDefined();
      expect(m.value_1).toBeGreaterThanOrEqual(range?.[0] ?? 0);
      expect(m.value_1).toBeLessThanOrEqual(range?.[1] ?? 0);
      expect(m.value_2).toBeNull();
    }
    expect(new Set(received.map((m) => m.timestamp)).size).toBe(3);
  });

  it("refuses readings from a device that has not reached the patient", async () => {
    const sim = simulator();
    const device = await activate(sim, { name: "Tenovi Scale", hardware_uuid: null, fulfillment_request: { ...SHIPPING, client_will_fulfill: false } });
    await expect(sim.emitReadingNow(device.id)).rejects.toThrow(AppError);
  });

  it("drops the next N deliveries on request and delivers the rest", async () => {
    const sim = simulator({ stringValueRatio: 0 });
    const device = await activate(sim, { name: "Tenovi BPM - L", hardware_uuid: GATEWAY });
    await sim.dropNextWebhooks(1);
    expect(await sim.pendingWebhookDrops()).toBe(1);
    const report = await sim.emitReadingNow(device.id);
    expect(report.deliveries.map((d) => d.isDropped)).toEqual([true, false, false]);
    expect(measurementsFor(device.id).map((m) => m.metric)).toEqual(["pulse"]);
    expect(await sim.pendingWebhookDrops()).toBe(0);
  });

  it("does not retry a delivery Pulseboard refused (Tenovi has no automatic retry)", async () => {
    const sim = simulator();
    const device = await activate(sim, { name: "Tenovi Scale", hardware_uuid: GATEWAY });
    hooks.answer(500);
    try {
      const report = await sim.emitReadingNow(device.id);
      expect(report.deliveries[0]?.httpStatus).toBe(500);
      expect(measurementsFor(device.id)).toHaveLength(1);
    } finally {
      hooks.answer(200);
    }
  });
});

describe("shipments and fulfillment webhooks", () => {
  it("Dropship Requested → Dropshipped (tracking link, gateway) → Delivered on ticks, → Connected after the first reading", async () => {
    const sim = simulator();
    const device = await activate(sim, { name: "Tenovi Scale", hardware_uuid: null, fulfillment_request: { ...SHIPPING, client_will_fulfill: false } });
    expect(device.status).toBe("Dropship Requested");
    const start = Date.now();
    expect((await sim.runTick(new Date(start + 60_000))).transitions).toBe(0);
    await sim.runTick(new Date(start + 3 * 60_000));
    const dropshipped = await sim.getDevice(device.id);
    expect(dropshipped?.status).toBe("Dropshipped");
    expect(dropshipped?.device.hardware_uuid).toMatch(/^[0-9A-F]{12}$/);
    expect(dropshipped?.device.fulfillment_request).toMatchObject({ fulfilled: true, shipping_status: "SH" });
    await sim.runTick(new Date(start + 9 * 60_000));
    await sim.emitReadingNow(device.id);
    expect(statusesFor(device.id)).toEqual(["Dropshipped", "Delivered", "Connected"]);
    const dropshippedHook = webhooksFor(device.id)
      .map((r) => tenoviFulfillmentWebhookSchema.safeParse(r.body).data)
      .find((w) => w?.status === "Dropshipped");
    expect(dropshippedHook).toMatchObject({ tracking_link: expect.stringContaining("https://"), hardware_uuid: dropshipped?.device.hardware_uuid, device_name: "Tenovi Scale" });
    expect(webhooksFor(device.id).every((r) => r.headers[WEBHOOK_HEADER.toLowerCase()] === WEBHOOK_KEY)).toBe(true);
  });

  it("ASSUMPTION: a clinic's Pending Shipment never moves on a tick, only through advanceShipment", async () => {
    const sim = simulator();
    const device = await activate(sim, { name: "Tenovi BPM - L", hardware_uuid: null, fulfillment_request: { ...SHIPPING, client_will_fulfill: true } });
    expect(device.status).toBe("Pending Shipment");
    await sim.runTick(new Date(Date.now() + 24 * 3_600_000));
    expect((await sim.getDevice(device.id))?.status).toBe("Pending Shipment");
    const advanced = await sim.advanceShipment(device.id);
    expect(advanced.changedTo).toBe("Shipped");
    expect(statusesFor(device.id)).toEqual(["Shipped"]);
  });

  it("follows a configured transition table", async () => {
    const sim = simulator({ transitions: { "Dropship Requested": { to: "On Hold", trigger: "timer", afterMs: 0 } } });
    const device = await activate(sim, { name: "Tenovi Scale", hardware_uuid: null, fulfillment_request: { ...SHIPPING, client_will_fulfill: false } });
    await sim.runTick(new Date());
    expect((await sim.getDevice(device.id))?.status).toBe("On Hold");
    expect((await sim.advanceShipment(device.id)).changedTo).toBeNull();
  });

  it("keeps a tick bounded: at most maxTransitionsPerTick steps and maxDevicesPerTick readings", async () => {
    const sim = simulator({ maxTransitionsPerTick: 2, autoReadings: { everyMs: 1_000, maxDevicesPerTick: 1 } });
    for (let i = 0; i < 3; i++) await activate(sim, { name: "Tenovi Scale", hardware_uuid: null, fulfillment_request: { ...SHIPPING, client_will_fulfill: false } });
    const onSite = await activate(sim, { name: "Tenovi Scale", hardware_uuid: GATEWAY });
    await activate(sim, { name: "Tenovi Thermometer", hardware_uuid: GATEWAY });
    const result = await sim.runTick(new Date(Date.now() + 3 * 60_000));
    expect(result).toEqual({ transitions: 2, replacements: 0, readings: 1 });
    expect(measurementsFor(onSite.id)).toHaveLength(1);
  });

  it("activation answers Tenovi's statuses per use case and checks IMEIs of cellular devices", async () => {
    const sim = simulator();
    const unknown = await activate(sim, { name: "Tenovi Scale", hardware_uuid: "FFFFFFFFFFFF" });
    expect(unknown.status).toBe("Unknown Gateway ID");
    const gatewayKnownLowercase = await activate(sim, { name: "Tenovi Scale", hardware_uuid: GATEWAY.toLowerCase() });
    expect(gatewayKnownLowercase.status).toBe("Delivered");
    const badImei = await sim.activate({ device: { name: "TeleRPM Scale", hardware_uuid: "12345" } });
    expect(badImei).toEqual({ status: 400, body: { device: { hardware_uuid: ["Enter a valid IMEI (15 digits) for a cellular device."] } } });
    const defaultOptIn = await sim.activate({ patient: { external_id: "opt-in-default" }, device: { name: "Tenovi Scale", hardware_uuid: GATEWAY } });
    expect(tenoviHwiDeviceSchema.parse(defaultOptIn.body).patient?.sms_opt_in).toBe(true);
  });
});
