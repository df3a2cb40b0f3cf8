import type { Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors";
import { VendorHttpClient, VendorHttpError } from "@/lib/vendors/base-client";
import { recentSimulatorRequests, setFailureSwitch } from "@/lib/vendors/simulator-kit";
import { createSimulatorServer } from "@/lib/vendors/simulator-server";
import { TenoviClient, type TenoviClientOptions } from "@/lib/vendors/tenovi/client";
import type { TenoviShippingInput } from "@/lib/vendors/tenovi/payloads";
import { tenoviFulfillmentWebhookSchema, tenoviMeasurementWebhookSchema } from "@/lib/vendors/tenovi/schemas";
import { createTenoviSimulator, type TenoviSimulator } from "@/lib/vendors/tenovi/simulator";
import { isUnknownGateway } from "@/lib/vendors/tenovi/statuses";
import { close, listen, seededRandom, startHangingServer, startWebhookReceiver } from "@/lib/vendors/tenovi/test-servers";

// The Tenovi client against the Tenovi simulator over real HTTP, with the real test database behind the simulator.
// Only this file arms the (vendor-wide) failure switch; the simulator tests make no HTTP calls to the simulator.

const DOMAIN = "client-tests";
const API_KEY = "client-tests-api-key";
const GATEWAY = "A1B2C3D4E5F6";
const REPLACEMENT_GATEWAY = "0C4DE9A1B7F2";
const IMEI = "356938035643809";
const WEBHOOK_AUTH = "Basic dGVub3ZpOnRlc3Q=";
const SHIPPING: TenoviShippingInput = {
  name: "Test Patient",
  addressLines: ["1 Main St", "Apt 2"],
  city: "Springfield",
  state: "IL",
  zipCode: "62701",
  notifyEmails: ["coordinator@example.com", "nurse@example.com"],
};

type Seen = { server: "A" | "B"; method: string; url: string; authorization: string | undefined };

let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let sim: TenoviSimulator;
let serverA: Server;
let serverB: Server;
let originA: string;
let originB: string;
let linkOrigin: string | undefined;
const seen: Seen[] = [];
let patientCounter = 0;

function watch(server: Server, name: Seen["server"]) {
  server.on("request", (req) => seen.push({ server: name, method: req.method ?? "GET", url: req.url ?? "/", authorization: req.headers.authorization }));
}

beforeAll(async () => {
  hooks = await startWebhookReceiver();
  sim = createTenoviSimulator({
    clientDomain: DOMAIN,
    apiKey: API_KEY,
    seedGatewayIds: [GATEWAY, REPLACEMENT_GATEWAY],
    linkOrigin: () => linkOrigin,
    autoReadings: null,
    random: seededRandom(7),
    webhook: { url: () => hooks.url, authHeader: "Authorization", authKey: WEBHOOK_AUTH },
  });
  serverA = createSimulatorServer([sim]);
  serverB = createSimulatorServer([sim]);
  watch(serverA, "A");
  watch(serverB, "B");
  [originA, originB] = await Promise.all([listen(serverA), listen(serverB)]);
});

afterEach(async () => {
  linkOrigin = undefined;
  await setFailureSwitch("tenovi", null);
});

afterAll(async () => {
  await Promise.all([close(serverA), close(serverB), hooks.close()]);
});

function client(overrides: Partial<TenoviClientOptions> = {}): TenoviClient {
  return new TenoviClient({ baseUrl: `${originA}/tenovi/clients/${DOMAIN}`, apiKey: API_KEY, baseDelayMs: 1, maxDelayMs: 5, ...overrides });
}

function newPatientId(): string {
  patientCounter += 1;
  return `pb-client-${process.pid}-${patientCounter}`;
}

// The JSON body the simulator last received for a request, as recorded in the simulator request log.
async function lastBody(method: string, pathEnd: string): Promise<unknown> {
  const rows = await recentSimulatorRequests("tenovi", 100);
  return rows.find((r) => r.method === method && r.path.includes(`/clients/${DOMAIN}/`) && r.path.endsWith(pathEnd))?.body;
}

function requestsSince(mark: number, match: (s: Seen) => boolean = () => true): Seen[] {
  return seen.slice(mark).filter(match);
}

async function onSiteDevice(externalId = newPatientId(), deviceName = "Tenovi BPM - L", gatewayId = GATEWAY) {
  const result = await client().activateDevice({ kind: "on-site-gateway", deviceName, gatewayId, patient: { externalId, name: "Test Patient" } });
  return { device: result.device, externalId };
}

async function caught(promise: Promise<unknown>): Promise<VendorHttpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof VendorHttpError)) throw new Error(`expected a VendorHttpError, got ${String(error)}`);
  return error;
}

describe("device types", () => {
  it("lists the account's device types (API hyphens) and caches them for the client's life", async () => {
    const tenovi = client();
    const mark = seen.length;
    const types = await tenovi.deviceTypes();
    expect(types.map((t) => t.name)).toContain("Tenovi BPM - L");
    expect(types.find((t) => t.name === "Tenovi Scale")?.sensor_code).toBe("13");
    await tenovi.deviceTypes();
    await tenovi.deviceTypes();
    expect(requestsSince(mark, (s) => s.url.includes("/hwi-device-types/"))).toHaveLength(1);
  });

  it("fetches again once the TTL has passed, or after invalidation", async () => {
    const tenovi = client({ deviceTypesTtlMs: 1 });
    const mark = seen.length;
    await tenovi.deviceTypes();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await tenovi.deviceTypes();
    const cached = client();
    await cached.deviceTypes();
    cached.invalidateDeviceTypes();
    await cached.deviceTypes();
    expect(requestsSince(mark, (s) => s.url.includes("/hwi-device-types/"))).toHaveLength(4);
  });
});

describe("activation, one documented use case each (request body checked field by field)", () => {
  it("on site with a known gateway ID: Delivered", async () => {
    const externalId = newPatientId();
    const result = await client().activateDevice({
      kind: "on-site-gateway",
      deviceName: "Tenovi BPM - L",
      gatewayId: GATEWAY,
      patient: { externalId, name: "Test Patient", phoneNumber: "+15555550123" },
    });
    expect(result.outcome).toBe("accepted");
    expect(result.device).toMatchObject({ status: "Delivered", patient_id: externalId, device: { name: "Tenovi BPM - L", sensor_code: "10", hardware_uuid: GATEWAY } });
    expect(await lastBody("POST", "/hwi/hwi-devices/")).toEqual({
      patient_id: externalId,
      patient_phone_number: "+15555550123",
      patient: { external_id: externalId, name: "Test Patient", phone_number: "+15555550123", sms_opt_in: false },
      device: { name: "Tenovi BPM - L", hardware_uuid: GATEWAY },
    });
  });

  it("on site with an unknown gateway ID: a 201 reported as the distinct outcome unknown-gateway", async () => {
    const result = await client().activateDevice({ kind: "on-site-gateway", deviceName: "Tenovi Scale", gatewayId: "FFFFFFFFFFFF" });
    expect(result.outcome).toBe("unknown-gateway");
    expect(result.device.status).toBe("Unknown Gateway ID");
    expect(isUnknownGateway(result.device)).toBe(true);
    if (result.outcome === "unknown-gateway") expect(result.message).toContain("FFFFFFFFFFFF");
  });

  it("on site, cellular: the IMEI in hardware_uuid, Delivered", async () => {
    const result = await client().activateDevice({ kind: "on-site-cellular", deviceName: "Tenovi Cellular BPM - L", imei: IMEI });
    expect(result.device).toMatchObject({ status: "Delivered", device: { hardware_uuid: IMEI } });
    expect(await lastBody("POST", "/hwi/hwi-devices/")).toEqual({ device: { name: "Tenovi Cellular BPM - L", hardware_uuid: IMEI } });
  });

  it("the clinic ships (client_will_fulfill true): Pending Shipment", async () => {
    const result = await client().activateDevice({ kind: "clinic-ships", deviceName: "Tenovi Scale", shipping: SHIPPING });
    expect(result.device.status).toBe("Pending Shipment");
    expect(await lastBody("POST", "/hwi/hwi-devices/")).toEqual({
      device: {
        name: "Tenovi Scale",
        hardware_uuid: null,
        fulfillment_request: {
          shipping_name: "Test Patient",
          shipping_address: "1 Main St\nApt 2",
          shipping_city: "Springfield",
          shipping_state: "IL",
          shipping_zip_code: "62701",
          require_signature: false,
          notify_emails: "coordinator@example.com,nurse@example.com",
          client_will_fulfill: true,
          ship_gateway_only: false,
        },
      },
    });
  });

  it("Tenovi drop-ships: Dropship Requested", async () => {
    const result = await client().activateDevice({ kind: "tenovi-ships", deviceName: "Tenovi Pulse Ox", shipping: { ...SHIPPING, requireSignature: true } });
    expect(result.device.status).toBe("Dropship Requested");
    const body = await lastBody("POST", "/hwi/hwi-devices/");
    expect(body).toMatchObject({ device: { name: "Tenovi Pulse Ox", hardware_uuid: null, fulfillment_request: { client_will_fulfill: false, ship_gateway_only: false, require_signature: true } } });
  });

  it("gateway only (ship_gateway_only true): Dropship Requested", async () => {
    const result = await client().activateDevice({ kind: "gateway-only", deviceName: "Omron BPM", shipping: SHIPPING });
    expect(result.device.status).toBe("Dropship Requested");
    expect(result.device.device.fulfillment_request?.ship_gateway_only).toBe(true);
    expect(await lastBody("POST", "/hwi/hwi-devices/")).toMatchObject({ device: { hardware_uuid: null, fulfillment_request: { client_will_fulfill: false, ship_gateway_only: true } } });
  });

  it("an additional device for a patient with a gateway: fulfillment_request plus the existing gateway ID", async () => {
    const { externalId } = await onSiteDevice();
    const result = await client().activateDevice({
      kind: "additional-device",
      deviceName: "Tenovi Glucometer",
      existingGatewayId: GATEWAY,
      shipping: SHIPPING,
      patient: { externalId, hasSmsConsent: true },
    });
    expect(result.device).toMatchObject({ status: "Dropship Requested", device: { hardware_uuid: GATEWAY, shared_hardware_uuid: true } });
    expect(await lastBody("POST", "/hwi/hwi-devices/")).toMatchObject({
      patient: { external_id: externalId, sms_opt_in: true },
      device: { name: "Tenovi Glucometer", hardware_uuid: GATEWAY, fulfillment_request: { client_will_fulfill: false, ship_gateway_only: false } },
    });
  });
});

describe("devices", () => {
  it("reads a device, and answers null for an unknown one", async () => {
    const { device } = await onSiteDevice();
    expect((await client().getDevice(device.id))?.id).toBe(device.id);
    expect(await client().getDevice("00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("lists with page always sent and follows next to the end", async () => {
    const externalId = newPatientId();
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await onSiteDevice(externalId)).device.id);
    const mark = seen.length;
    const devices = await client({ pageSize: 2 }).listDevices({ externalId });
    expect(devices.map((d) => d.id)).toEqual(created);
    const requests = requestsSince(mark, (s) => s.url.includes("/hwi/hwi-devices/?"));
    expect(requests.map((s) => new URL(s.url, "http://x").searchParams.get("page"))).toEqual(["1", "2", "3"]);
    expect(requests.every((s) => new URL(s.url, "http://x").searchParams.get("patient__external_id") === externalId)).toBe(true);
  });

  it("follows an absolute next that names another host:port, sending the key there", async () => {
    const externalId = newPatientId();
    for (let i = 0; i < 3; i++) await onSiteDevice(externalId);
    for (const origin of [originB, originB.replace("127.0.0.1", "localhost")]) {
      linkOrigin = origin;
      const mark = seen.length;
      const devices = await client({ pageSize: 1 }).listDevices({ externalId });
      expect(devices).toHaveLength(3);
      const requests = requestsSince(mark, (s) => s.url.includes("/hwi/hwi-devices/?"));
      expect(requests.map((s) => s.server)).toEqual(["A", "B", "B"]);
      expect(requests.every((s) => s.authorization === `Api-Key ${API_KEY}`)).toBe(true);
    }
  });

  it("refuses a next link to a foreign host (the API key would go with it)", async () => {
    const externalId = newPatientId();
    for (let i = 0; i < 2; i++) await onSiteDevice(externalId);
    linkOrigin = "http://tenovi-lookalike.example";
    const error = await caught(client({ pageSize: 1 }).listDevices({ externalId }));
    expect(error.message).toContain("will not send its API key");
  });

  it("updates the patient with PATCH, resending device.name and hardware_uuid", async () => {
    const { device, externalId } = await onSiteDevice();
    const updated = await client().updatePatient(device.id, { externalId, name: "Renamed Patient", email: "renamed@example.com" });
    expect(updated.patient).toMatchObject({ external_id: externalId, name: "Renamed Patient", email: "renamed@example.com", sms_opt_in: false });
    expect(await lastBody("PATCH", `/hwi/hwi-devices/${device.id}/`)).toEqual({
      patient_id: externalId,
      patient: { external_id: externalId, name: "Renamed Patient", email: "renamed@example.com", sms_opt_in: false },
      device: { name: "Tenovi BPM - L", hardware_uuid: GATEWAY },
    });
  });

  it("ASSUMPTION: a clinic's recorded tracking link moves Pending Shipment to Shipped and Tenovi sends the webhook", async () => {
    const { device } = await client().activateDevice({ kind: "clinic-ships", deviceName: "Tenovi Scale", shipping: SHIPPING });
    const shipped = await client().recordClientShipment(device.id, "https://carrier.example/track/123");
    expect(shipped.status).toBe("Shipped");
    expect(shipped.device.fulfillment_request).toMatchObject({ shipping_tracking_link: "https://carrier.example/track/123", fulfilled: true });
    expect(shipped.device.hardware_uuid).toMatch(/^[0-9A-F]{12}$/);
    await sim.settle();
    const webhook = hooks.received.map((r) => tenoviFulfillmentWebhookSchema.safeParse(r.body)).find((p) => p.success && p.data.hwi_device_id === device.id);
    expect(webhook?.data).toMatchObject({ status: "Shipped", tracking_link: "https://carrier.example/track/123" });
  });

  it("deletes an unfulfilled device; a second delete finds nothing", async () => {
    const { device } = await client().activateDevice({ kind: "clinic-ships", deviceName: "Tenovi Scale", shipping: SHIPPING });
    expect(await client().deleteDevice(device.id)).toEqual({ outcome: "deleted" });
    expect(await client().getDevice(device.id)).toBeNull();
    expect(await client().deleteDevice(device.id)).toEqual({ outcome: "not-found" });
  });

  it("ASSUMPTION: deleting a fulfilled device is refused (400), so the caller unlinks the gateway (GET) instead", async () => {
    const { device } = await client().activateDevice({ kind: "tenovi-ships", deviceName: "Tenovi Scale", shipping: SHIPPING });
    await sim.advanceShipment(device.id);
    const result = await client().deleteDevice(device.id);
    expect(result.outcome).toBe("unlink-required");
    if (result.outcome === "unlink-required") expect(result.message).toContain("Unlink");
    const mark = seen.length;
    const unlinked = await client().unlinkGateway(device.id);
    expect(unlinked?.status).toBe("Unlinked");
    expect(unlinked?.unlinked_on).toBeTruthy();
    expect(requestsSince(mark).map((s) => s.method)).toEqual(["GET"]);
  });
});

describe("hwi-patients", () => {
  it("creates, reads, lists, replaces, updates (reaching the patient's devices) and deletes by external_id", async () => {
    const tenovi = client();
    const { device, externalId } = await onSiteDevice();
    await tenovi.deleteHwiPatient(externalId);
    const created = await tenovi.createHwiPatient({
      externalId,
      name: "Test Patient",
      address: { lines: ["1 Main St"], city: "Springfield", state: "IL", zipCode: "62701" },
    });
    expect(created).toMatchObject({ external_id: externalId, sms_opt_in: false, address_status: "Verified" });
    expect(await lastBody("POST", "/hwi/hwi-patients/")).toEqual({
      external_id: externalId,
      name: "Test Patient",
      sms_opt_in: false,
      address: "1 Main St",
      city: "Springfield",
      state: "IL",
      zip_code: "62701",
    });
    expect((await tenovi.getHwiPatient(externalId))?.name).toBe("Test Patient");
    expect((await tenovi.listHwiPatients()).map((p) => p.external_id)).toContain(externalId);
    const replaced = await tenovi.replaceHwiPatient({ externalId, name: "Replaced Name", physician: "Dr. Example" });
    expect(replaced).toMatchObject({ name: "Replaced Name", physician: "Dr. Example", address: null });
    const patched = await tenovi.updateHwiPatient(externalId, { careManager: "Care Manager", hasSmsConsent: true });
    expect(patched).toMatchObject({ name: "Replaced Name", care_manager: "Care Manager", sms_opt_in: true });
    expect((await tenovi.getDevice(device.id))?.patient).toMatchObject({ name: "Replaced Name", care_manager: "Care Manager" });
    expect(await tenovi.deleteHwiPatient(externalId)).toBe("deleted");
    expect(await tenovi.getHwiPatient(externalId)).toBeNull();
  });

  it("rejects a second patient with the same external_id (DRF field error)", async () => {
    const externalId = newPatientId();
    await client().createHwiPatient({ externalId });
    const error = await caught(client().createHwiPatient({ externalId }));
    expect(error.httpStatus).toBe(400);
    expect(error.vendorMessage).toBe("external_id: hwi patient with this external id already exists.");
    expect(error.code).toBe("INVALID_INPUT");
  });
});

describe("measurements for backfill", () => {
  it("reads a device's and a patient's measurements page by page, with timestamp and metric filters", async () => {
    const { device, externalId } = await onSiteDevice();
    const now = new Date();
    await sim.emitDayOfReadings(device.id, now);
    const tenovi = client({ pageSize: 2 });
    const mark = seen.length;
    const all = await tenovi.deviceMeasurements(device.id);
    expect(all).toHaveLength(6);
    expect(requestsSince(mark)).toHaveLength(3);
    expect(all.every((m) => typeof m.value_1 === "number")).toBe(true);
    const since = await tenovi.deviceMeasurements(device.id, { since: new Date(now.getTime() - 13 * 3_600_000) });
    expect(since).toHaveLength(4);
    expect(await tenovi.deviceMeasurements(device.id, { metric: "pulse" })).toHaveLength(3);
    const window = await tenovi.patientMeasurements(externalId, {
      since: new Date(now.getTime() - 24 * 3_600_000),
      until: new Date(now.getTime() - 8 * 3_600_000),
    });
    expect(window.map((m) => m.metric)).toEqual(["blood_pressure", "pulse", "blood_pressure", "pulse"]);
    const patientRequests = requestsSince(mark, (s) => s.url.includes(`/hwi/patients/${externalId}/measurements/`));
    expect(patientRequests).toHaveLength(2);
    const query = new URL(patientRequests[0]?.url ?? "", "http://x").searchParams;
    expect(query.get("timestamp__gte")).toBe(new Date(now.getTime() - 24 * 3_600_000).toISOString());
    expect(query.get("timestamp__lt")).toBe(new Date(now.getTime() - 8 * 3_600_000).toISOString());
    expect(query.get("page")).toBe("1");
  });

  it("recovers readings whose webhooks the simulator dropped", async () => {
    const { device, externalId } = await onSiteDevice();
    const before = new Date(Date.now() - 1_000);
    await sim.dropNextWebhooks(2);
    const report = await sim.emitReadingNow(device.id);
    expect(report.deliveries.filter((d) => d.isDropped)).toHaveLength(2);
    const delivered = hooks.received.flatMap((r) => tenoviMeasurementWebhookSchema.safeParse(r.body).data ?? []).filter((m) => m.hwi_device_id === device.id);
    expect(delivered).toHaveLength(0);
    const backfilled = await client().patientMeasurements(externalId, { since: before });
    expect(backfilled.map((m) => m.metric).sort()).toEqual(["blood_pressure", "pulse"]);
  });
});

describe("replacements and gateways", () => {
  it("requests a gateway replacement; when it ships, every device of the old gateway gets the new ID", async () => {
    const first = await onSiteDevice(newPatientId(), "Tenovi BPM - L", REPLACEMENT_GATEWAY);
    const second = await onSiteDevice(first.externalId, "Tenovi Scale", REPLACEMENT_GATEWAY);
    const replacement = await client().createReplacement({ hwiDeviceId: first.device.id, deviceNames: ["Gateway"], shipping: SHIPPING });
    expect(replacement).toMatchObject({ hwi_device_id: first.device.id, status: "Requested" });
    expect(await lastBody("POST", "/hwi/hwi-replacements/")).toEqual({
      hwi_device_id: first.device.id,
      device_types: [{ name: "Gateway" }],
      shipping_name: "Test Patient",
      shipping_address: "1 Main St\nApt 2",
      shipping_city: "Springfield",
      shipping_state: "IL",
      shipping_zip_code: "62701",
      notify_emails: "coordinator@example.com,nurse@example.com",
    });
    expect((await client({ pageSize: 1 }).listReplacements()).map((r) => r.id)).toContain(replacement.id);
    const shipped = await sim.shipReplacement(replacement.id);
    expect(shipped.delivery?.httpStatus).toBe(200);
    const webhook = hooks.received.map((r) => tenoviFulfillmentWebhookSchema.safeParse(r.body)).find((p) => p.success && p.data.status === "Replaced" && p.data.hwi_device_id === first.device.id);
    expect(webhook?.data?.device_id).toBe(REPLACEMENT_GATEWAY);
    const newGateway = webhook?.data?.hardware_uuid;
    expect(newGateway).toMatch(/^[0-9A-F]{12}$/);
    expect((await client().getDevice(second.device.id))?.device.hardware_uuid).toBe(newGateway);
    expect((await client().listGateways()).map((g) => g.gateway_uuid)).toContain(newGateway);
  });

  it("lists gateways with ordering and isnull filters", async () => {
    const mark = seen.length;
    const gateways = await client().listGateways({ ordering: "-assigned_on", shippedOnIsNull: true });
    expect(gateways.map((g) => g.gateway_uuid)).toContain(GATEWAY);
    expect(gateways.every((g) => g.shipped_on === null || g.shipped_on === undefined)).toBe(true);
    const query = new URL(requestsSince(mark)[0]?.url ?? "", "http://x").searchParams;
    expect(query.get("ordering")).toBe("-assigned_on");
    expect(query.get("shipped_on__isnull")).toBe("true");
  });
});

describe("documented errors", () => {
  it.each(["api-key", "Bearer", "Token", "API-KEY"])("refuses the auth word %s with 401 {detail}", async (word) => {
    const response = await fetch(`${originA}/tenovi/clients/${DOMAIN}/hwi/hwi-device-types/`, { headers: { Authorization: `${word} ${API_KEY}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: "Authentication credentials were not provided." });
  });

  it("refuses a wrong key, naming the Api-Key header and client domain in the message", async () => {
    const error = await caught(client({ apiKey: "wrong-key-000" }).listGateways());
    expect(error.httpStatus).toBe(401);
    expect(error.vendorMessage).toBe("Invalid API key.");
    expect(error.message).toContain("Api-Key");
    expect(error.message).not.toContain("wrong-key-000");
  });

  it("ASSUMPTION: refuses a valid key with another client domain (401)", async () => {
    const error = await caught(new TenoviClient({ baseUrl: `${originA}/tenovi/clients/someone-else`, apiKey: API_KEY, maxAttempts: 1 }).listGateways());
    expect(error.httpStatus).toBe(401);
    expect(error.message).toContain("client domain");
  });

  it("refuses to build a client whose base URL has no client domain", () => {
    expect(() => new TenoviClient({ baseUrl: `${originA}/tenovi`, apiKey: API_KEY })).toThrow(AppError);
  });

  it("answers a path without its trailing slash with 301 (surfaced, not followed); the redirect arrives without the key", async () => {
    const http = new VendorHttpClient({ vendor: "tenovi", baseUrl: `${originA}/tenovi/clients/${DOMAIN}`, headers: () => ({ Authorization: `Api-Key ${API_KEY}` }) });
    const error = await caught(http.request({ operation: "list devices", method: "GET", path: "/hwi/hwi-devices", query: { page: 1 }, response: tenoviMeasurementWebhookSchema }));
    expect(error.httpStatus).toBe(301);
    expect(error.message).toContain("trailing slashes");
    const redirect = await fetch(`${originA}/tenovi/clients/${DOMAIN}/hwi/hwi-devices?page=1`, { redirect: "manual" });
    const location = redirect.headers.get("location") ?? "";
    expect(location).toBe(`${originA}/tenovi/clients/${DOMAIN}/hwi/hwi-devices/?page=1`);
    expect((await fetch(location)).status).toBe(401);
  });

  it("rejects a device name that is not an account device type (the docs' en dash) with a DRF field error", async () => {
    const error = await caught(client().activateDevice({ kind: "on-site-gateway", deviceName: "Tenovi BPM – L", gatewayId: GATEWAY }));
    expect(error.httpStatus).toBe(400);
    expect(error.vendorMessage).toBe("device.name: Object with name=Tenovi BPM – L does not exist.");
    expect(error.message).toContain("hyphen");
  });

  it("rejects a cellular device whose hardware_uuid is not an IMEI", async () => {
    const error = await caught(client().activateDevice({ kind: "on-site-gateway", deviceName: "Tenovi Cellular BPM - L", gatewayId: GATEWAY }));
    expect(error.httpStatus).toBe(400);
    expect(error.vendorMessage).toContain("device.hardware_uuid: Enter a valid IMEI");
  });

  it("rejects a body Tenovi does not accept with DRF field errors (strict simulator)", async () => {
    const response = await fetch(`${originA}/tenovi/clients/${DOMAIN}/hwi/hwi-devices/`, {
      method: "POST",
      headers: { Authorization: `Api-Key ${API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ device: { name: "Tenovi Scale" }, patient: { name: "no id" }, extra: 1 }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      device: { hardware_uuid: ["This field is required."] },
      patient: { external_id: ["This field is required."] },
      extra: ["Unexpected field."],
    });
  });

  it("ASSUMPTION: rate limit (configurable) answers 429 with Retry-After", async () => {
    const limited = createSimulatorServer([
      createTenoviSimulator({ clientDomain: DOMAIN, apiKey: API_KEY, rateLimit: { requests: 2, windowMs: 60_000 }, autoReadings: null }),
    ]);
    const origin = await listen(limited);
    try {
      const tenovi = new TenoviClient({ baseUrl: `${origin}/tenovi/clients/${DOMAIN}`, apiKey: API_KEY, maxAttempts: 1 });
      await tenovi.listGateways();
      await tenovi.listGateways();
      const error = await caught(tenovi.listGateways());
      expect(error.httpStatus).toBe(429);
      expect(error.isRetryable).toBe(true);
      const response = await fetch(`${origin}/tenovi/clients/${DOMAIN}/hwi/hwi-gateways/`, { headers: { Authorization: `Api-Key ${API_KEY}` } });
      expect(response.headers.get("retry-after")).toBe("60");
    } finally {
      await close(limited);
    }
  });

  it("caps an unpaginated list silently, which is why the client always sends page", async () => {
    const capped = createSimulatorServer([createTenoviSimulator({ clientDomain: DOMAIN, apiKey: API_KEY, unpaginatedCap: 2, autoReadings: null })]);
    const origin = await listen(capped);
    try {
      const headers = { Authorization: `Api-Key ${API_KEY}` };
      const bare = (await (await fetch(`${origin}/tenovi/clients/${DOMAIN}/hwi/hwi-devices/`, { headers })).json()) as unknown[];
      expect(Array.isArray(bare) && bare.length).toBe(2);
      const page = (await (await fetch(`${origin}/tenovi/clients/${DOMAIN}/hwi/hwi-devices/?page=1`, { headers })).json()) as { count: number };
      expect(page.count).toBeGreaterThan(2);
      const all = await new TenoviClient({ baseUrl: `${origin}/tenovi/clients/${DOMAIN}`, apiKey: API_KEY, pageSize: 1000 }).listDevices();
      expect(all).toHaveLength(page.count);
    } finally {
      await close(capped);
    }
  });
});

describe("retries and timeouts", () => {
  it("retries an idempotent GET after 5xx answers and then succeeds", async () => {
    const { device } = await onSiteDevice();
    await setFailureSwitch("tenovi", { remaining: 2, mode: "status", status: 503 });
    const mark = seen.length;
    expect((await client().getDevice(device.id))?.id).toBe(device.id);
    expect(requestsSince(mark)).toHaveLength(3);
  });

  it("never retries the activation POST (not idempotent)", async () => {
    await setFailureSwitch("tenovi", { remaining: 1, mode: "status", status: 503 });
    const mark = seen.length;
    const error = await caught(client().activateDevice({ kind: "on-site-gateway", deviceName: "Tenovi Scale", gatewayId: GATEWAY }));
    expect(error.httpStatus).toBe(503);
    expect(requestsSince(mark).map((s) => s.method)).toEqual(["POST"]);
  });

  it("honours Retry-After on 429 (longer than the configured backoff)", async () => {
    const { device } = await onSiteDevice();
    await setFailureSwitch("tenovi", { remaining: 1, mode: "status", status: 429, retryAfterSeconds: 0.3 });
    const started = Date.now();
    expect((await client().getDevice(device.id))?.id).toBe(device.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("does not retry an answer it cannot parse", async () => {
    await setFailureSwitch("tenovi", { remaining: 1, mode: "malformed", status: 200 });
    const mark = seen.length;
    const error = await caught(client().listGateways());
    expect(error.message).toContain("does not understand");
    expect(requestsSince(mark)).toHaveLength(1);
  });

  it("times out against a server that never answers: GET tried maxAttempts times, POST once", async () => {
    const hanging = await startHangingServer();
    try {
      const tenovi = new TenoviClient({ baseUrl: `${hanging.origin}/tenovi/clients/${DOMAIN}`, apiKey: API_KEY, timeoutMs: 100, maxAttempts: 2, baseDelayMs: 1 });
      const error = await caught(tenovi.getDevice("any"));
      expect(error.httpStatus).toBeNull();
      expect(error.isRetryable).toBe(true);
      expect(error.message).toContain("did not answer in time");
      expect(hanging.requests).toHaveLength(2);
      await caught(tenovi.activateDevice({ kind: "on-site-gateway", deviceName: "Tenovi Scale", gatewayId: GATEWAY }));
      expect(hanging.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    } finally {
      await hanging.close();
    }
  });
});

describe("wire hygiene", () => {
  it("every request the client sent used a slashed path and Authorization: Api-Key <key>", () => {
    const fromClients = seen.filter((s) => s.authorization?.startsWith("Api-Key ") && !s.url.includes("/hwi/hwi-devices?"));
    expect(fromClients.length).toBeGreaterThan(30);
    for (const s of fromClients) expect(new URL(s.url, "http://x").pathname.endsWith("/")).toBe(true);
  });
});
