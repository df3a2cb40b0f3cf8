import { randomBytes, randomInt, randomUUID } from "node:crypto";

import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { SIMULATOR_CREDENTIALS, publicUrl, tenoviConfig } from "@/lib/vendors/config";
import { simulatorStore } from "@/lib/vendors/simulator-kit";
import { TENOVI_DEVICE_CATALOG, type TenoviCatalogEntry } from "@/lib/vendors/tenovi/device-catalog";
import { plausibleReadings } from "@/lib/vendors/tenovi/readings";
import type { TenoviActivationPayload, TenoviMeasurementWire } from "@/lib/vendors/tenovi/schemas";
import { SHIPPING_STATUS_CODES, type KnownTenoviStatus } from "@/lib/vendors/tenovi/statuses";

// The Tenovi simulator's world: devices, gateways, patients, measurements and replacements kept in the database
// (SimulatorEntity, one namespace per client domain), how shipments advance, and the webhooks Tenovi sends to Pulseboard.

// How a status moves on. "timer": after `afterMs` in the status, on a tick. "manual": only through advanceShipment (or,
// for a clinic's own shipment, its recorded tracking link). "first-reading": when the device first measures.
export type TenoviTransition = { to: string; trigger: "timer" | "manual" | "first-reading"; afterMs?: number };

// Seen in practice: Dropship Requested → Dropshipped (tracking link) → Delivered → Connected after the first reading.
// ASSUMPTION (transitions): every other step, e.g. a clinic's Pending Shipment moves only when the clinic records shipping.
export const DEFAULT_TENOVI_TRANSITIONS: Readonly<Record<string, TenoviTransition>> = {
  "Dropship Requested": { to: "Dropshipped", trigger: "timer", afterMs: 2 * 60_000 },
  Dropshipped: { to: "Delivered", trigger: "timer", afterMs: 5 * 60_000 },
  "Pending Shipment": { to: "Shipped", trigger: "manual" },
  Shipped: { to: "Delivered", trigger: "timer", afterMs: 5 * 60_000 },
  Delivered: { to: "Connected", trigger: "first-reading" },
  Replaced: { to: "Connected", trigger: "first-reading" },
};

// Where and how the simulator posts its webhooks.
export type TenoviWebhookTarget = {
  // Where webhooks go; Pulseboard's ingest route by default.
  url: () => string;
  // Sent as `<authHeader>: <authKey>` (ASSUMPTION: a static header; Tenovi signs nothing).
  authHeader: string;
  authKey: string;
  // One array of coincident measurements per POST instead of one object each.
  postAsArray: boolean;
  timeoutMs: number;
};

// Every simulator setting; the documented behaviour by default, each ASSUMPTION named and switchable.
export type TenoviSimulatorOptions = {
  clientDomain?: string;
  apiKey?: string;
  // Device types on the simulated account.
  deviceTypes?: readonly TenoviCatalogEntry[];
  // Gateway IDs Tenovi knows (on-site activation with any other ID gives "Unknown Gateway ID").
  seedGatewayIds?: string[];
  // ASSUMPTION (wrongDomainStatus): a valid key used with another client domain is refused with 401.
  wrongDomainStatus?: 401 | 404;
  // ASSUMPTION (rateLimit): Tenovi allows 1 request/second per key; null (the default) turns the limit off.
  rateLimit?: { requests: number; windowMs: number } | null;
  // Unpaginated answers are silently capped at this many rows (and measurements at the last N days).
  unpaginatedCap?: number;
  unpaginatedMeasurementDays?: number;
  defaultPageSize?: number;
  maxPageSize?: number;
  // Origin of the absolute `next`/`previous` links (real Tenovi names api.tenovi.com); the request's Host by default.
  linkOrigin?: () => string | undefined;
  // ASSUMPTION (deleteFulfilledStatus): deleting a device whose fulfillment was fulfilled answers 400.
  deleteFulfilledStatus?: number;
  // ASSUMPTION (unlinkAcceptsPost): unlink-gateway answers POST as well as the GET a working client uses.
  unlinkAcceptsPost?: boolean;
  transitions?: Record<string, TenoviTransition>;
  webhook?: Partial<TenoviWebhookTarget>;
  // Devices at the patient measure on their own during ticks; null turns this off.
  autoReadings?: { everyMs: number; maxDevicesPerTick: number } | null;
  // Bounds the work of one tick.
  maxTransitionsPerTick?: number;
  // ASSUMPTION (replacementShipsAfterMs): a replacement ships this long after it was requested.
  replacementShipsAfterMs?: number;
  // Share of measurement values sent as strings, as the docs say they can be.
  stringValueRatio?: number;
  // ASSUMPTION (timezoneOffsetMinutes): timezone_offset is in minutes.
  timezoneOffsetMinutes?: number;
  // Source of randomness for measurement values (seed it in tests).
  random?: () => number;
};

// The settings with defaults filled in.
export type ResolvedTenoviOptions = Required<Omit<TenoviSimulatorOptions, "linkOrigin" | "webhook" | "rateLimit" | "autoReadings">> & {
  linkOrigin?: () => string | undefined;
  webhook: TenoviWebhookTarget;
  rateLimit: { requests: number; windowMs: number } | null;
  autoReadings: { everyMs: number; maxDevicesPerTick: number } | null;
};

// Fills in the defaults: the simulator credentials, Pulseboard's ingest route and Tenovi's documented limits.
export function resolveTenoviOptions(options: TenoviSimulatorOptions = {}): ResolvedTenoviOptions {
  const sim = SIMULATOR_CREDENTIALS.tenovi;
  return {
    clientDomain: options.clientDomain ?? sim.clientDomain,
    apiKey: options.apiKey ?? sim.apiKey,
    deviceTypes: options.deviceTypes ?? TENOVI_DEVICE_CATALOG,
    seedGatewayIds: options.seedGatewayIds ?? ["A1B2C3D4E5F6", "0C4DE9A1B7F2", "5E2A6C0D9B8F4A1E3C7D2B6F0A9E8C1D"],
    wrongDomainStatus: options.wrongDomainStatus ?? 401,
    rateLimit: options.rateLimit ?? null,
    unpaginatedCap: options.unpaginatedCap ?? 1000,
    unpaginatedMeasurementDays: options.unpaginatedMeasurementDays ?? 30,
    defaultPageSize: options.defaultPageSize ?? 100,
    maxPageSize: options.maxPageSize ?? 1000,
    linkOrigin: options.linkOrigin,
    deleteFulfilledStatus: options.deleteFulfilledStatus ?? 400,
    unlinkAcceptsPost: options.unlinkAcceptsPost ?? true,
    transitions: options.transitions ?? { ...DEFAULT_TENOVI_TRANSITIONS },
    webhook: {
      url: options.webhook?.url ?? (() => `${publicUrl()}/api/ingest/tenovi`),
      authHeader: options.webhook?.authHeader ?? tenoviConfig().webhookAuthHeader,
      authKey: options.webhook?.authKey ?? tenoviConfig().webhookAuthKey,
      postAsArray: options.webhook?.postAsArray ?? false,
      timeoutMs: options.webhook?.timeoutMs ?? 5_000,
    },
    autoReadings: options.autoReadings === undefined ? { everyMs: 15 * 60_000, maxDevicesPerTick: 3 } : options.autoReadings,
    maxTransitionsPerTick: options.maxTransitionsPerTick ?? 20,
    replacementShipsAfterMs: options.replacementShipsAfterMs ?? 5 * 60_000,
    stringValueRatio: options.stringValueRatio ?? 0.3,
    timezoneOffsetMinutes: options.timezoneOffsetMinutes ?? -300,
    random: options.random ?? Math.random,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Wire records as the simulator keeps and serves them

// The fulfillment request the simulator serves (documented fields plus the ASSUMPTION ones).
export type SimFulfillmentRequest = {
  id: string;
  created: string;
  shipping_name: string;
  shipping_address: string;
  shipping_city: string;
  shipping_state: string;
  shipping_zip_code: string;
  shipped_on_behalf_of: string | null;
  shipping_tracking_link: string | null;
  require_signature: boolean;
  client_notes: string | null;
  notify_emails: string | null;
  client_will_fulfill: boolean;
  flagged_by_client: boolean | null;
  ship_gateway_only: boolean;
  shipping_status: string | null;
  shipped_on: string | null;
  delivered_on: string | null;
  fulfilled: boolean;
  invalid_address: boolean;
  duplicate_device_at_address: boolean;
};

// The patient nested in a device.
export type SimPatient = {
  external_id: string;
  name: string | null;
  phone_number: string | null;
  email: string | null;
  physician: string | null;
  clinic_name: string | null;
  care_manager: string | null;
  sms_opt_in: boolean;
};

// The HWI Device object exactly as the simulator serves it.
export type SimHwiDevice = {
  id: string;
  status: string;
  patient_id: string | null;
  patient_phone_number: string | null;
  patient: SimPatient | null;
  device: {
    id: string;
    created: string;
    name: string;
    sensor_code: string;
    hardware_uuid: string | null;
    shared_hardware_uuid: boolean;
    meta_data: null;
    fulfillment_request: SimFulfillmentRequest | null;
  };
  connected_on: string | null;
  unlinked_on: string | null;
  last_measurement: string | null;
};

// An hwi-patients record.
export type SimHwiPatient = SimPatient & {
  address: string | null;
  city: string | null;
  state: string | null;
  zip_code: string | null;
  confirm_address: boolean;
  address_status: "Verified" | "Invalid";
  address_verified_by: string | null;
};

// An hwi-gateways item.
export type SimGateway = {
  gateway_uuid: string;
  last_signal_strength: number | null;
  last_measurement: string | null;
  shipped_on: string | null;
  assigned_on: string | null;
};

// An hwi-replacements item.
export type SimReplacement = {
  id: string;
  hwi_device_id: string;
  // ASSUMPTION: "Requested" until it ships, then "Shipped".
  status: "Requested" | "Shipped";
  created: string;
  device_types: { name: string }[];
  shipping_name: string;
  shipping_address: string;
  shipping_city: string;
  shipping_state: string;
  shipping_zip_code: string;
  notify_emails: string | null;
  tracking_link: string | null;
};

// A device plus what only the simulator knows about it.
export type SimDeviceRecord = {
  wire: SimHwiDevice;
  // measuresOnItsOwn: false keeps the device out of the ticks' automatic readings (absent means it measures).
  sim: { statusChangedAt: string; measurementIndex: number; lastReadingAt: string | null; measuresOnItsOwn?: boolean };
};

// How one webhook POST went (dropped on purpose, answered, or unreachable).
export type WebhookDelivery = { event: "measurement" | "fulfillment"; httpStatus: number | null; isDropped: boolean; error?: string };

// What one emitted reading (or day of readings) produced and how its webhooks went.
export type ReadingReport = { measurements: TenoviMeasurementWire[]; deliveries: WebhookDelivery[]; device: SimHwiDevice };

// A fulfillment (or replacement) webhook body.
export type FulfillmentWebhookBody = {
  hwi_device_id: string;
  patient_id: string | null;
  hardware_uuid: string | null;
  sensor_code: string;
  device_name: string;
  status: string;
  tracking_link: string | null;
  device_id?: string | null;
};

// Statuses in which a device is with the patient and measures.
const MEASURING_STATUSES = new Set<string>(["Delivered", "Connected", "Replaced"] satisfies KnownTenoviStatus[]);

// ---------------------------------------------------------------------------------------------------------------------
// Small helpers

// "UTC, microseconds", as Tenovi writes `created`.
export function isoMicro(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

// Gateway IDs compare without case or hyphens (gateway-info takes them without hyphens).
function gatewayKey(id: string): string {
  return id.replace(/-/g, "").toLowerCase();
}

function newGatewayId(): string {
  return randomBytes(6).toString("hex").toUpperCase();
}

function newImei(): string {
  return `35${String(randomInt(0, 10 ** 6)).padStart(6, "0")}${String(randomInt(0, 10 ** 7)).padStart(7, "0")}`;
}

function trackingLink(): string {
  return `https://tools.usps.com/go/TrackConfirmAction?tLabels=9400${String(randomInt(0, 10 ** 9)).padStart(9, "0")}${String(randomInt(0, 10 ** 9)).padStart(9, "0")}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// The world

// The functions of one simulated account.
export type TenoviWorld = ReturnType<typeof createTenoviWorld>;

// The simulator's state and behaviour for one client domain.
export function createTenoviWorld(opts: ResolvedTenoviOptions) {
  const store = simulatorStore("tenovi");
  const ns = opts.clientDomain;
  const kinds = {
    device: `${ns}:device`,
    gateway: `${ns}:gateway`,
    patient: `${ns}:patient`,
    replacement: `${ns}:replacement`,
    settings: `${ns}:settings`,
    measurements: (hwiDeviceId: string) => `${ns}:measurement:${hwiDeviceId}`,
  };
  const inFlight = new Set<Promise<unknown>>();
  let seeding: Promise<void> | null = null;

  function deviceType(name: string): TenoviCatalogEntry | undefined {
    return opts.deviceTypes.find((t) => t.name === name);
  }

  async function seed(): Promise<void> {
    for (const id of opts.seedGatewayIds) {
      if (await store.get(kinds.gateway, gatewayKey(id))) continue;
      await store.put<SimGateway>(kinds.gateway, gatewayKey(id), {
        gateway_uuid: id,
        last_signal_strength: -61,
        last_measurement: null,
        shipped_on: null,
        assigned_on: null,
      });
    }
  }

  // Creates the seed gateways once per process.
  function ensureSeeded(): Promise<void> {
    seeding ??= seed().catch((error: unknown) => {
      seeding = null;
      throw error;
    });
    return seeding;
  }

  async function listDevices(): Promise<SimDeviceRecord[]> {
    const records = await store.list<SimDeviceRecord>(kinds.device);
    return records.sort((a, b) => a.wire.device.created.localeCompare(b.wire.device.created) || a.wire.id.localeCompare(b.wire.id));
  }

  const getDevice = (id: string) => store.get<SimDeviceRecord>(kinds.device, id);
  const saveDevice = (record: SimDeviceRecord) => store.put(kinds.device, record.wire.id, record);
  const getGateway = (id: string) => store.get<SimGateway>(kinds.gateway, gatewayKey(id));
  const saveGateway = (gateway: SimGateway) => store.put(kinds.gateway, gatewayKey(gateway.gateway_uuid), gateway);

  async function registerGateway(id: string, changes: Partial<SimGateway>): Promise<void> {
    const existing = await getGateway(id);
    const base: SimGateway = existing ?? { gateway_uuid: id, last_signal_strength: -67, last_measurement: null, shipped_on: null, assigned_on: null };
    await saveGateway({ ...base, ...changes });
  }

  // ---- webhooks ------------------------------------------------------------------------------------------------------

  // Counts down the "drop the next N deliveries" setting atomically; true when this delivery is to be dropped.
  async function takeDrop(): Promise<boolean> {
    const rows = await db.$queryRaw<{ ok: number }[]>`
      UPDATE "SimulatorEntity"
         SET data = jsonb_set(data, '{dropNextWebhooks}', to_jsonb((data->>'dropNextWebhooks')::int - 1)), "updatedAt" = now()
       WHERE vendor = 'tenovi'::"Vendor" AND kind = ${kinds.settings} AND key = 'current'
         AND (data->>'dropNextWebhooks')::int > 0
       RETURNING 1 AS ok`;
    return rows.length > 0;
  }

  // Posts one webhook as Tenovi does: once, no retry, the static auth header if configured.
  async function deliver(event: WebhookDelivery["event"], body: unknown): Promise<WebhookDelivery> {
    if (await takeDrop()) {
      logger.info("tenovi simulator dropped a webhook on purpose", { event });
      return { event, httpStatus: null, isDropped: true };
    }
    const { url, authHeader, authKey, timeoutMs } = opts.webhook;
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (authHeader && authKey) headers[authHeader] = authKey;
    try {
      const response = await fetch(url(), { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
      await response.arrayBuffer();
      if (!response.ok) logger.warn("tenovi simulator webhook was refused", { event, status: response.status });
      return { event, httpStatus: response.status, isDropped: false };
    } catch (error) {
      logger.warn("tenovi simulator webhook could not be delivered", { event, error: String(error) });
      return { event, httpStatus: null, isDropped: false, error: "unreachable" };
    }
  }

  function fulfillmentBody(wire: SimHwiDevice): FulfillmentWebhookBody {
    return {
      hwi_device_id: wire.id,
      patient_id: wire.patient_id,
      hardware_uuid: wire.device.hardware_uuid,
      sensor_code: wire.device.sensor_code,
      device_name: wire.device.name,
      status: wire.status,
      tracking_link: wire.device.fulfillment_request?.shipping_tracking_link ?? null,
    };
  }

  // Runs a delivery in the background of an HTTP answer; settle() waits for all of them.
  function inBackground(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => logger.warn("tenovi simulator background work failed", { error: String(error) }));
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  }

  async function settle(): Promise<void> {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  }

  // ---- statuses ------------------------------------------------------------------------------------------------------

  // Moves a device to a status with the side effects Tenovi shows (shipping dates, tracking link, a gateway once shipped).
  async function applyStatus(record: SimDeviceRecord, to: string, now: Date, link?: string): Promise<SimDeviceRecord> {
    const wire = record.wire;
    const fulfillment = wire.device.fulfillment_request;
    wire.status = to;
    record.sim.statusChangedAt = now.toISOString();
    if (fulfillment) fulfillment.shipping_status = SHIPPING_STATUS_CODES[to as KnownTenoviStatus] ?? fulfillment.shipping_status;
    if ((to === "Shipped" || to === "Dropshipped") && fulfillment) {
      fulfillment.fulfilled = true;
      fulfillment.shipped_on = isoMicro(now);
      fulfillment.shipping_tracking_link = link ?? fulfillment.shipping_tracking_link ?? trackingLink();
      if (wire.device.hardware_uuid === null) wire.device.hardware_uuid = await shipHardware(wire.device.name, now);
    }
    if (to === "Delivered" && fulfillment) fulfillment.delivered_on = isoMicro(now);
    if (to === "Connected") wire.connected_on = isoMicro(now);
    if (to === "Unlinked") wire.unlinked_on = isoMicro(now);
    await saveDevice(record);
    return record;
  }

  // The hardware that goes in the box: an IMEI for a cellular device, otherwise a new gateway Tenovi now knows.
  async function shipHardware(deviceName: string, now: Date): Promise<string> {
    if (deviceType(deviceName)?.connectivity === "cellular") return newImei();
    const id = newGatewayId();
    await registerGateway(id, { shipped_on: isoMicro(now), assigned_on: isoMicro(now) });
    return id;
  }

  // Sends the fulfillment webhook for the device's current status.
  function notifyFulfillment(wire: SimHwiDevice): Promise<WebhookDelivery> {
    return deliver("fulfillment", fulfillmentBody(wire));
  }

  // Applies a transition and sends the fulfillment webhook for it.
  async function transition(record: SimDeviceRecord, to: string, now: Date, link?: string): Promise<{ record: SimDeviceRecord; delivery: WebhookDelivery }> {
    const updated = await applyStatus(record, to, now, link);
    const delivery = await deliver("fulfillment", fulfillmentBody(updated.wire));
    return { record: updated, delivery };
  }

  // Advances a shipment one step, whatever its trigger (except "first-reading", which only a reading fulfils).
  async function advanceShipment(hwiDeviceId: string, now = new Date()): Promise<{ device: SimHwiDevice; changedTo: string | null; delivery?: WebhookDelivery }> {
    const record = await getDevice(hwiDeviceId);
    if (!record) throw new AppError("NOT_FOUND", "The Tenovi simulator has no device with this ID.");
    const step = opts.transitions[record.wire.status];
    if (!step || step.trigger === "first-reading") return { device: record.wire, changedTo: null };
    const { record: updated, delivery } = await transition(record, step.to, now);
    return { device: updated.wire, changedTo: step.to, delivery };
  }

  // ---- readings ------------------------------------------------------------------------------------------------------

  function wireValue(value: number): string | number {
    return opts.random() < opts.stringValueRatio ? String(value) : value;
  }

  function measurementsFor(record: SimDeviceRecord, at: Date, index: number): TenoviMeasurementWire[] {
    const kind = deviceType(record.wire.device.name)?.kind ?? "bpm";
    // Tenovi's server receives the reading shortly after the device takes it.
    const created = isoMicro(new Date(Math.min(Date.now(), at.getTime() + 20_000)));
    return plausibleReadings(kind, opts.random).map((reading) => ({
      metric: reading.metric,
      device_name: record.wire.device.name,
      hwi_device_id: record.wire.id,
      patient_id: record.wire.patient_id,
      hardware_uuid: record.wire.device.hardware_uuid,
      sensor_code: record.wire.device.sensor_code,
      value_1: wireValue(reading.value1),
      value_2: reading.value2 === null ? null : wireValue(reading.value2),
      created,
      timestamp: isoSeconds(at),
      timezone_offset: opts.timezoneOffsetMinutes,
      estimated_timestamp: false,
      filter_params: { measurement_index: index },
    }));
  }

  // One use of the device at `at`: stores the measurements (the backfill endpoints read them) and sends the webhooks.
  async function takeReading(record: SimDeviceRecord, at: Date, now: Date): Promise<ReadingReport> {
    if (!MEASURING_STATUSES.has(record.wire.status)) {
      throw new AppError("CONFLICT", `This device is "${record.wire.status}"; only a delivered device sends readings.`);
    }
    const index = record.sim.measurementIndex + 1;
    const measurements = measurementsFor(record, at, index);
    for (const m of measurements) await store.put(kinds.measurements(record.wire.id), `${m.timestamp}|${m.metric}|${index}`, m);
    record.sim.measurementIndex = index;
    if (measurements.length > 0) {
      record.sim.lastReadingAt = now.toISOString();
      if (!record.wire.last_measurement || record.wire.last_measurement < isoMicro(at)) record.wire.last_measurement = isoMicro(at);
    }
    await saveDevice(record);
    const deliveries = await deliverMeasurements(measurements);
    const step = opts.transitions[record.wire.status];
    if (measurements.length > 0 && step?.trigger === "first-reading") deliveries.push((await transition(record, step.to, now)).delivery);
    if (record.wire.device.hardware_uuid && deviceType(record.wire.device.name)?.connectivity === "gateway") {
      await registerGateway(record.wire.device.hardware_uuid, { last_measurement: isoMicro(at) });
    }
    return { measurements, deliveries, device: record.wire };
  }

  async function deliverMeasurements(measurements: TenoviMeasurementWire[]): Promise<WebhookDelivery[]> {
    if (measurements.length === 0) return [];
    if (opts.webhook.postAsArray) return [await deliver("measurement", measurements)];
    const deliveries: WebhookDelivery[] = [];
    for (const m of measurements) deliveries.push(await deliver("measurement", m));
    return deliveries;
  }

  async function requireDevice(hwiDeviceId: string): Promise<SimDeviceRecord> {
    const record = await getDevice(hwiDeviceId);
    if (!record) throw new AppError("NOT_FOUND", "The Tenovi simulator has no device with this ID.");
    return record;
  }

  // The device measures now (admin "emit reading").
  async function emitReadingNow(hwiDeviceId: string, now = new Date()): Promise<ReadingReport> {
    return takeReading(await requireDevice(hwiDeviceId), now, now);
  }

  // Three readings spread over the 24 hours before `endingAt` (morning, midday, evening of a patient's day).
  async function emitDayOfReadings(hwiDeviceId: string, endingAt = new Date()): Promise<ReadingReport> {
    let record = await requireDevice(hwiDeviceId);
    const reports: ReadingReport[] = [];
    for (const hoursAgo of [20, 12, 4]) {
      const report = await takeReading(record, new Date(endingAt.getTime() - hoursAgo * 3_600_000), endingAt);
      reports.push(report);
      record = await requireDevice(hwiDeviceId);
    }
    return { measurements: reports.flatMap((r) => r.measurements), deliveries: reports.flatMap((r) => r.deliveries), device: record.wire };
  }

  async function listMeasurements(hwiDeviceId: string): Promise<TenoviMeasurementWire[]> {
    const rows = await store.list<TenoviMeasurementWire>(kinds.measurements(hwiDeviceId));
    return rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.metric.localeCompare(b.metric));
  }

  // ---- activation ----------------------------------------------------------------------------------------------------

  // The status an activation gets: vendor-docs gives one per use case.
  async function statusForActivation(payload: TenoviActivationPayload, type: TenoviCatalogEntry): Promise<KnownTenoviStatus> {
    const fulfillment = payload.device.fulfillment_request;
    if (fulfillment) return fulfillment.client_will_fulfill ? "Pending Shipment" : "Dropship Requested";
    if (type.connectivity === "cellular") return "Delivered";
    const hardwareUuid = payload.device.hardware_uuid;
    return hardwareUuid !== null && (await getGateway(hardwareUuid)) ? "Delivered" : "Unknown Gateway ID";
  }

  // Creates the device of a validated activation payload (the POST handler and demo seeding use this).
  async function activate(payload: TenoviActivationPayload, type: TenoviCatalogEntry, now = new Date()): Promise<SimHwiDevice> {
    const status = await statusForActivation(payload, type);
    const hardwareUuid = payload.device.hardware_uuid;
    const others = hardwareUuid === null ? [] : (await listDevices()).filter((d) => d.wire.device.hardware_uuid && gatewayKey(d.wire.device.hardware_uuid) === gatewayKey(hardwareUuid));
    const patient = payload.patient ? toSimPatient(payload.patient) : null;
    if (patient) await ensureHwiPatient(patient);
    if (status === "Delivered" && hardwareUuid !== null && type.connectivity === "gateway") await registerGateway(hardwareUuid, { assigned_on: isoMicro(now) });
    const wire: SimHwiDevice = {
      id: randomUUID(),
      status,
      patient_id: payload.patient_id ?? patient?.external_id ?? null,
      patient_phone_number: payload.patient_phone_number ?? patient?.phone_number ?? null,
      patient,
      device: {
        id: randomUUID(),
        created: isoMicro(now),
        name: type.name,
        sensor_code: type.sensorCode,
        hardware_uuid: hardwareUuid,
        shared_hardware_uuid: others.length > 0,
        meta_data: null,
        fulfillment_request: payload.device.fulfillment_request ? toSimFulfillment(payload.device.fulfillment_request, status, now) : null,
      },
      connected_on: null,
      unlinked_on: null,
      last_measurement: null,
    };
    await saveDevice({ wire, sim: { statusChangedAt: now.toISOString(), measurementIndex: 0, lastReadingAt: null } });
    return wire;
  }

  // ASSUMPTION: an activation with a new external_id also creates the hwi-patient; an existing one is left as it is.
  async function ensureHwiPatient(patient: SimPatient): Promise<void> {
    if (await store.get(kinds.patient, patient.external_id)) return;
    await store.put<SimHwiPatient>(kinds.patient, patient.external_id, {
      ...patient,
      address: null,
      city: null,
      state: null,
      zip_code: null,
      confirm_address: false,
      address_status: "Invalid",
      address_verified_by: null,
    });
  }

  // ---- replacements --------------------------------------------------------------------------------------------------

  // Ships a replacement: a new gateway (or a cellular device's new IMEI) rewrites hardware_uuid on every device that
  // shared the old one, and the requesting device's webhook says "Replaced" with the NEW id in hardware_uuid and the OLD
  // in device_id.
  async function shipReplacement(replacementId: string, now = new Date()): Promise<{ replacement: SimReplacement; delivery: WebhookDelivery | null }> {
    const replacement = await store.get<SimReplacement>(kinds.replacement, replacementId);
    if (!replacement) throw new AppError("NOT_FOUND", "The Tenovi simulator has no replacement with this ID.");
    if (replacement.status !== "Requested") return { replacement, delivery: null };
    const record = await requireDevice(replacement.hwi_device_id);
    const oldId = record.wire.device.hardware_uuid;
    const isCellular = deviceType(record.wire.device.name)?.connectivity === "cellular";
    const needsNewId = isCellular || replacement.device_types.some((t) => t.name === "Gateway");
    const newId = needsNewId ? (isCellular ? newImei() : newGatewayId()) : oldId;
    if (needsNewId && newId !== null) {
      if (!isCellular) await registerGateway(newId, { shipped_on: isoMicro(now), assigned_on: isoMicro(now) });
      if (oldId !== null) await rewriteHardwareUuid(oldId, newId, record.wire.id);
      record.wire.device.hardware_uuid = newId;
    }
    replacement.status = "Shipped";
    replacement.tracking_link = trackingLink();
    await store.put(kinds.replacement, replacement.id, replacement);
    const updated = await applyStatus(record, "Replaced", now);
    const body: FulfillmentWebhookBody = { ...fulfillmentBody(updated.wire), status: "Replaced", tracking_link: replacement.tracking_link, device_id: oldId };
    return { replacement, delivery: await deliver("fulfillment", body) };
  }

  async function rewriteHardwareUuid(oldId: string, newId: string, exceptDeviceId: string): Promise<void> {
    for (const other of await listDevices()) {
      const current = other.wire.device.hardware_uuid;
      if (other.wire.id === exceptDeviceId || current === null || gatewayKey(current) !== gatewayKey(oldId)) continue;
      other.wire.device.hardware_uuid = newId;
      await saveDevice(other);
    }
  }

  // ---- settings and tick ---------------------------------------------------------------------------------------------

  // Drops the next `count` webhook deliveries (to prove that the backfill job recovers them).
  async function dropNextWebhooks(count: number): Promise<void> {
    await store.put(kinds.settings, "current", { dropNextWebhooks: Math.max(0, Math.floor(count)) });
  }

  async function pendingWebhookDrops(): Promise<number> {
    return (await store.get<{ dropNextWebhooks: number }>(kinds.settings, "current"))?.dropNextWebhooks ?? 0;
  }

  // One bounded round of background work: timed shipment steps, due replacements, automatic readings.
  async function runTick(now: Date): Promise<{ transitions: number; replacements: number; readings: number }> {
    await ensureSeeded();
    const devices = await listDevices();
    let transitions = 0;
    for (const record of devices) {
      if (transitions >= opts.maxTransitionsPerTick) break;
      const step = opts.transitions[record.wire.status];
      if (step?.trigger !== "timer" || now.getTime() - Date.parse(record.sim.statusChangedAt) < (step.afterMs ?? 0)) continue;
      await transition(record, step.to, now);
      transitions++;
    }
    let replacements = 0;
    for (const replacement of await store.list<SimReplacement>(kinds.replacement)) {
      if (replacements >= opts.maxTransitionsPerTick) break;
      if (replacement.status !== "Requested" || now.getTime() - Date.parse(replacement.created) < opts.replacementShipsAfterMs) continue;
      await shipReplacement(replacement.id, now);
      replacements++;
    }
    return { transitions, replacements, readings: await autoReadings(devices, now) };
  }

  async function autoReadings(devices: SimDeviceRecord[], now: Date): Promise<number> {
    if (!opts.autoReadings) return 0;
    const { everyMs, maxDevicesPerTick } = opts.autoReadings;
    const due = devices.filter((d) => {
      const since = Date.parse(d.sim.lastReadingAt ?? d.sim.statusChangedAt);
      return d.sim.measuresOnItsOwn !== false && MEASURING_STATUSES.has(d.wire.status) && now.getTime() - since >= everyMs;
    });
    for (const record of due.slice(0, maxDevicesPerTick)) {
      const fresh = await getDevice(record.wire.id);
      if (fresh && MEASURING_STATUSES.has(fresh.wire.status)) await takeReading(fresh, now, now);
    }
    return Math.min(due.length, maxDevicesPerTick);
  }

  return {
    opts,
    kinds,
    store,
    ensureSeeded,
    deviceType,
    listDevices,
    getDevice,
    saveDevice,
    getGateway,
    registerGateway,
    activate,
    applyStatus,
    notifyFulfillment,
    advanceShipment,
    emitReadingNow,
    emitDayOfReadings,
    listMeasurements,
    shipReplacement,
    dropNextWebhooks,
    pendingWebhookDrops,
    inBackground,
    settle,
    runTick,
  };
}

function toSimPatient(p: NonNullable<TenoviActivationPayload["patient"]>): SimPatient {
  return {
    external_id: p.external_id,
    name: p.name ?? null,
    phone_number: p.phone_number ?? null,
    email: p.email ?? null,
    physician: p.physician ?? null,
    clinic_name: p.clinic_name ?? null,
    care_manager: p.care_manager ?? null,
    sms_opt_in: p.sms_opt_in,
  };
}

function toSimFulfillment(
  fr: NonNullable<TenoviActivationPayload["device"]["fulfillment_request"]>,
  status: KnownTenoviStatus,
  now: Date,
): SimFulfillmentRequest {
  return {
    id: randomUUID(),
    created: isoMicro(now),
    shipping_name: fr.shipping_name,
    shipping_address: fr.shipping_address,
    shipping_city: fr.shipping_city,
    shipping_state: fr.shipping_state,
    shipping_zip_code: fr.shipping_zip_code,
    shipped_on_behalf_of: fr.shipped_on_behalf_of ?? null,
    shipping_tracking_link: fr.shipping_tracking_link ?? null,
    require_signature: fr.require_signature ?? false,
    client_notes: fr.client_notes ?? null,
    notify_emails: fr.notify_emails ?? null,
    client_will_fulfill: fr.client_will_fulfill,
    flagged_by_client: fr.flagged_by_client ?? null,
    ship_gateway_only: fr.ship_gateway_only ?? false,
    shipping_status: SHIPPING_STATUS_CODES[status] ?? null,
    shipped_on: null,
    delivered_on: null,
    fulfilled: false,
    invalid_address: false,
    duplicate_device_at_address: false,
  };
}
