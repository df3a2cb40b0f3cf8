import { randomUUID } from "node:crypto";
import { type z } from "zod";

import { AppError } from "@/lib/errors";
import { json, matchPath, type SimContext, type SimRoute, type VendorSimulator } from "@/lib/vendors/simulator-kit";
import {
  tenoviActivationPayloadSchema,
  tenoviDevicePatchPayloadSchema,
  tenoviHwiPatientPatchPayloadSchema,
  tenoviHwiPatientPayloadSchema,
  tenoviReplacementPayloadSchema,
  type TenoviHwiPatientPayload,
} from "@/lib/vendors/tenovi/schemas";
import { isImei } from "@/lib/vendors/tenovi/device-catalog";
import {
  createTenoviWorld,
  isoMicro,
  resolveTenoviOptions,
  type ReadingReport,
  type ResolvedTenoviOptions,
  type SimDeviceRecord,
  type SimGateway,
  type SimHwiDevice,
  type SimHwiPatient,
  type SimReplacement,
  type TenoviSimulatorOptions,
  type TenoviWorld,
  type WebhookDelivery,
} from "@/lib/vendors/tenovi/simulator-world";

// The settings and the default transition table, for callers that configure the simulator.
export { DEFAULT_TENOVI_TRANSITIONS, type TenoviSimulatorOptions, type TenoviTransition } from "@/lib/vendors/tenovi/simulator-world";

// The Tenovi HWI simulator: the API under /tenovi/clients/<client_domain>/hwi/… with Tenovi's strict request rules,
// and Tenovi's side of the webhooks (measurements, fulfillment, replacements) sent to Pulseboard.

// The simulator the server mounts, plus the controls the admin Simulation page and the tests use.
export type TenoviSimulator = VendorSimulator & {
  options: ResolvedTenoviOptions;
  // Creates a device from an activation payload without HTTP (demo seeding); the answer Tenovi would give.
  activate: (payload: unknown) => Promise<{ status: number; body: unknown }>;
  // Demo seeding: a device activated from `payload` as the POST would, then put straight into a status with that
  // status's side effects (shipping hardware, connected_on) but without webhooks, since Pulseboard seeds its side itself.
  seedDevice: (payload: unknown, state: TenoviSeedState) => Promise<SimHwiDevice>;
  advanceShipment: TenoviWorld["advanceShipment"];
  emitReadingNow: (hwiDeviceId: string, now?: Date) => Promise<ReadingReport>;
  emitDayOfReadings: (hwiDeviceId: string, endingAt?: Date) => Promise<ReadingReport>;
  shipReplacement: TenoviWorld["shipReplacement"];
  dropNextWebhooks: (count: number) => Promise<void>;
  pendingWebhookDrops: () => Promise<number>;
  // One tick's work, with what it did (the `tick` the simulator server calls runs this).
  runTick: TenoviWorld["runTick"];
  // Waits for webhooks sent in the background of HTTP answers.
  settle: () => Promise<void>;
  getDevice: (hwiDeviceId: string) => Promise<SimHwiDevice | null>;
  // Every device the simulated account has (the admin Simulation page picks from these).
  listDevices: () => Promise<SimHwiDevice[]>;
};

// Where a seeded device stands: its status, when it last measured, and whether ticks make it measure on its own.
export type TenoviSeedState = { status: string; lastMeasurementAt?: Date | null; measuresOnItsOwn?: boolean; now?: Date };

type Handler = (ctx: SimContext) => Promise<Response> | Response;
type DrfErrors = { [field: string]: string[] | DrfErrors };

const NOT_FOUND = { detail: "Not found." };

// Builds the simulator. Every behaviour the docs leave open is an option (see TenoviSimulatorOptions).
export function createTenoviSimulator(options: TenoviSimulatorOptions = {}): TenoviSimulator {
  const opts = resolveTenoviOptions(options);
  const world = createTenoviWorld(opts);
  const takeRateLimit = createRateLimiter(opts.rateLimit);
  const prefix = "/tenovi";

  // Authorization: Api-Key <key> exactly, then the client domain, then the rate limit.
  function guard(handler: Handler): Handler {
    return async (ctx) => {
      const authorization = ctx.request.headers.get("authorization");
      if (authorization === null || !authorization.startsWith("Api-Key ")) {
        return json(401, { detail: "Authentication credentials were not provided." });
      }
      if (authorization !== `Api-Key ${opts.apiKey}`) return json(401, { detail: "Invalid API key." });
      if (ctx.params.domain !== opts.clientDomain) {
        return json(opts.wrongDomainStatus, { detail: "This API key does not belong to this client domain." });
      }
      const waitMs = takeRateLimit(opts.apiKey, Date.now());
      if (waitMs !== null) {
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        return json(429, { detail: `Request was throttled. Expected available in ${seconds} seconds.` }, { "Retry-After": String(seconds) });
      }
      await world.ensureSeeded();
      return handler(ctx);
    };
  }

  function origin(ctx: SimContext): string {
    return opts.linkOrigin?.() ?? `http://${ctx.request.headers.get("host") ?? "127.0.0.1"}`;
  }

  function pageLink(ctx: SimContext, page: number): string {
    const params = new URLSearchParams(ctx.url.searchParams);
    params.set("page", String(page));
    return `${origin(ctx)}${ctx.url.pathname}?${params.toString()}`;
  }

  // No `page`: a bare array, silently capped. `?page=N`: {count, next, previous, results} with absolute links.
  function listResponse(ctx: SimContext, items: unknown[], isPaginated = true): Response {
    const pageParam = ctx.url.searchParams.get("page");
    if (!isPaginated || pageParam === null) return json(200, items.slice(0, opts.unpaginatedCap));
    const page = Number(pageParam);
    const requestedSize = Number(ctx.url.searchParams.get("page_size") ?? opts.defaultPageSize);
    const size = Number.isInteger(requestedSize) && requestedSize > 0 ? Math.min(requestedSize, opts.maxPageSize) : opts.defaultPageSize;
    const start = (page - 1) * size;
    if (!Number.isInteger(page) || page < 1 || (page > 1 && start >= items.length)) return json(404, { detail: "Invalid page." });
    return json(200, {
      count: items.length,
      next: start + size < items.length ? pageLink(ctx, page + 1) : null,
      previous: page > 1 ? pageLink(ctx, page - 1) : null,
      results: items.slice(start, start + size),
    });
  }

  // ---- hwi-device-types ------------------------------------------------------------------------------------------------

  const listDeviceTypes: Handler = (ctx) =>
    listResponse(
      ctx,
      opts.deviceTypes.map((type, i) => ({ id: i + 1, name: type.name, sensor_code: type.sensorCode })),
      // ASSUMPTION: device types are not paginated.
      false,
    );

  // ---- hwi-devices -----------------------------------------------------------------------------------------------------

  async function activate(raw: unknown): Promise<{ status: number; body: unknown }> {
    const parsed = tenoviActivationPayloadSchema.safeParse(withTenoviPatientDefaults(raw));
    if (!parsed.success) return { status: 400, body: drfErrors(parsed.error.issues) };
    const payload = parsed.data;
    const type = world.deviceType(payload.device.name);
    if (!type) return { status: 400, body: { device: { name: [`Object with name=${payload.device.name} does not exist.`] } } };
    const hardwareUuid = payload.device.hardware_uuid;
    if (type.connectivity === "cellular" && hardwareUuid !== null && !isImei(hardwareUuid)) {
      return { status: 400, body: { device: { hardware_uuid: ["Enter a valid IMEI (15 digits) for a cellular device."] } } };
    }
    if (type.connectivity === "cellular" && payload.device.fulfillment_request?.ship_gateway_only) {
      return { status: 400, body: { device: { fulfillment_request: { ship_gateway_only: ["Cellular devices do not use a gateway."] } } } };
    }
    return { status: 201, body: await world.activate(payload, type) };
  }

  async function seedDevice(payload: unknown, state: TenoviSeedState): Promise<SimHwiDevice> {
    await world.ensureSeeded();
    const now = state.now ?? new Date();
    const parsed = tenoviActivationPayloadSchema.safeParse(withTenoviPatientDefaults(payload));
    if (!parsed.success) throw new AppError("INVALID_INPUT", `The Tenovi simulator refused the seeded device: ${JSON.stringify(drfErrors(parsed.error.issues))}`);
    const type = world.deviceType(parsed.data.device.name);
    if (!type) throw new AppError("INVALID_INPUT", `The Tenovi simulator has no device type ${parsed.data.device.name}.`);
    const hardwareUuid = parsed.data.device.hardware_uuid;
    const lastAt = state.lastMeasurementAt ? isoMicro(state.lastMeasurementAt) : null;
    // Tenovi knows the gateways it shipped, so a seeded device's gateway is registered before it is activated.
    if (hardwareUuid !== null && type.connectivity === "gateway") await world.registerGateway(hardwareUuid, { shipped_on: isoMicro(now), last_measurement: lastAt });
    const wire = await world.activate(parsed.data, type, now);
    let record = await world.getDevice(wire.id);
    if (!record) throw new AppError("NOT_FOUND", "The seeded Tenovi device was not stored.");
    if (record.wire.status !== state.status) record = await world.applyStatus(record, state.status, now);
    record.sim.measuresOnItsOwn = state.measuresOnItsOwn ?? true;
    record.sim.lastReadingAt = lastAt === null ? null : new Date(lastAt).toISOString();
    record.wire.last_measurement = lastAt;
    await world.saveDevice(record);
    return record.wire;
  }

  const createDevice: Handler = async (ctx) => {
    const body = readJson(ctx);
    if (!body.ok) return body.response;
    const result = await activate(body.value);
    return json(result.status, result.body);
  };

  const listDevices: Handler = async (ctx) => {
    const q = ctx.url.searchParams;
    const hardware = q.get("device__hardware_uuid");
    const hardwareIexact = q.get("device__hardware_uuid__iexact");
    const externalId = q.get("patient__external_id");
    const search = q.get("search")?.toLowerCase();
    // The simulator keeps no device properties, so a property filter matches nothing.
    const hasPropertyFilter = q.has("properties__key") || q.has("properties__value");
    const devices = (await world.listDevices()).map((r) => r.wire).filter((d) => {
      if (hasPropertyFilter) return false;
      if (hardware !== null && d.device.hardware_uuid !== hardware) return false;
      if (hardwareIexact !== null && d.device.hardware_uuid?.toLowerCase() !== hardwareIexact.toLowerCase()) return false;
      if (externalId !== null && d.patient_id !== externalId) return false;
      if (search && ![d.id, d.device.name, d.device.hardware_uuid, d.patient_id, d.patient?.name].some((v) => v?.toLowerCase().includes(search))) return false;
      return true;
    });
    return listResponse(ctx, devices);
  };

  const getDevice: Handler = async (ctx) => {
    const record = await world.getDevice(ctx.params.id ?? "");
    return record ? json(200, record.wire) : json(404, NOT_FOUND);
  };

  const patchDevice: Handler = async (ctx) => {
    const record = await world.getDevice(ctx.params.id ?? "");
    if (!record) return json(404, NOT_FOUND);
    const body = readJson(ctx);
    if (!body.ok) return body.response;
    const parsed = tenoviDevicePatchPayloadSchema.safeParse(body.value);
    if (!parsed.success) return json(400, drfErrors(parsed.error.issues));
    const patch = parsed.data;
    const invalid = patch.device ? checkDeviceChange(patch.device.name, patch.device.hardware_uuid) : null;
    if (invalid) return json(400, invalid);
    applyPatientPatch(record, patch);
    const link = patch.device?.fulfillment_request?.shipping_tracking_link;
    const statusBefore = record.wire.status;
    if (patch.device) await applyDevicePatch(record, patch.device.name, patch.device.hardware_uuid, link);
    const step = opts.transitions[record.wire.status];
    // ASSUMPTION: the clinic's tracking link is how a Pending Shipment it fulfils moves on ("manual" trigger).
    if (link && record.wire.status === "Pending Shipment" && step) await world.applyStatus(record, step.to, new Date(), link);
    await world.saveDevice(record);
    // Tenovi answers first and sends the fulfillment webhook right after.
    if (record.wire.status !== statusBefore) world.inBackground(world.notifyFulfillment(record.wire));
    return json(200, record.wire);
  };

  function checkDeviceChange(name: string, hardwareUuid: string | null): DrfErrors | null {
    const type = world.deviceType(name);
    if (!type) return { device: { name: [`Object with name=${name} does not exist.`] } };
    if (type.connectivity === "cellular" && hardwareUuid !== null && !isImei(hardwareUuid)) {
      return { device: { hardware_uuid: ["Enter a valid IMEI (15 digits) for a cellular device."] } };
    }
    return null;
  }

  function applyPatientPatch(record: SimDeviceRecord, patch: z.output<typeof tenoviDevicePatchPayloadSchema>): void {
    const wire = record.wire;
    if (patch.patient) {
      const current = wire.patient;
      wire.patient = {
        external_id: patch.patient.external_id,
        name: patch.patient.name ?? current?.name ?? null,
        phone_number: patch.patient.phone_number ?? current?.phone_number ?? null,
        email: patch.patient.email ?? current?.email ?? null,
        physician: patch.patient.physician ?? current?.physician ?? null,
        clinic_name: patch.patient.clinic_name ?? current?.clinic_name ?? null,
        care_manager: patch.patient.care_manager ?? current?.care_manager ?? null,
        sms_opt_in: patch.patient.sms_opt_in ?? current?.sms_opt_in ?? true,
      };
      wire.patient_id = wire.patient.external_id;
    }
    if (patch.patient_id) wire.patient_id = patch.patient_id;
    if (patch.patient_phone_number) wire.patient_phone_number = patch.patient_phone_number;
  }

  async function applyDevicePatch(record: SimDeviceRecord, name: string, hardwareUuid: string | null, link: string | undefined): Promise<void> {
    const wire = record.wire;
    const type = world.deviceType(name);
    if (type) {
      wire.device.name = type.name;
      wire.device.sensor_code = type.sensorCode;
    }
    wire.device.hardware_uuid = hardwareUuid;
    if (link && wire.device.fulfillment_request) wire.device.fulfillment_request.shipping_tracking_link = link;
    // ASSUMPTION: correcting the gateway ID of an "Unknown Gateway ID" device to a known one makes it Delivered.
    if (wire.status === "Unknown Gateway ID" && hardwareUuid !== null && (await world.getGateway(hardwareUuid))) {
      await world.applyStatus(record, "Delivered", new Date());
    }
  }

  const deleteDevice: Handler = async (ctx) => {
    const record = await world.getDevice(ctx.params.id ?? "");
    if (!record) return json(404, NOT_FOUND);
    if (record.wire.device.fulfillment_request?.fulfilled) {
      return json(opts.deleteFulfilledStatus, {
        detail: "HWI Devices attached to a Fulfillment Request that has been fulfilled cannot be deleted. Unlink the Gateway instead.",
      });
    }
    await world.store.remove(world.kinds.device, record.wire.id);
    return new Response(null, { status: 204 });
  };

  const unlinkGateway: Handler = async (ctx) => {
    const record = await world.getDevice(ctx.params.id ?? "");
    if (!record) return json(404, NOT_FOUND);
    if (record.wire.status !== "Unlinked") await world.applyStatus(record, "Unlinked", new Date());
    return json(200, record.wire);
  };

  // ---- measurements ------------------------------------------------------------------------------------------------------

  function filterMeasurements(ctx: SimContext, rows: Awaited<ReturnType<TenoviWorld["listMeasurements"]>>) {
    const q = ctx.url.searchParams;
    const bound = (name: string) => (q.has(name) ? Date.parse(q.get(name) ?? "") : null);
    const gte = bound("timestamp__gte");
    const lte = bound("timestamp__lte");
    const lt = bound("timestamp__lt");
    const metric = q.get("metric__name");
    // Unpaginated answers only reach back this far.
    const floor = q.has("page") ? null : Date.now() - opts.unpaginatedMeasurementDays * 86_400_000;
    return rows.filter((m) => {
      const at = Date.parse(m.timestamp);
      return (
        (gte === null || at >= gte) &&
        (lte === null || at <= lte) &&
        (lt === null || at < lt) &&
        (floor === null || at >= floor) &&
        (metric === null || m.metric === metric)
      );
    });
  }

  const deviceMeasurements: Handler = async (ctx) => {
    const record = await world.getDevice(ctx.params.id ?? "");
    if (!record) return json(404, NOT_FOUND);
    return listResponse(ctx, filterMeasurements(ctx, await world.listMeasurements(record.wire.id)));
  };

  const patientMeasurements: Handler = async (ctx) => {
    const externalId = ctx.params.externalId ?? "";
    const devices = (await world.listDevices()).filter((d) => d.wire.patient_id === externalId);
    const patient = await world.store.get<SimHwiPatient>(world.kinds.patient, externalId);
    if (devices.length === 0 && !patient) return json(404, NOT_FOUND);
    const rows = (await Promise.all(devices.map((d) => world.listMeasurements(d.wire.id)))).flat();
    rows.sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.hwi_device_id.localeCompare(b.hwi_device_id) || a.metric.localeCompare(b.metric));
    return listResponse(ctx, filterMeasurements(ctx, rows));
  };

  // ---- hwi-patients ------------------------------------------------------------------------------------------------------

  const listPatients: Handler = async (ctx) =>
    // ASSUMPTION: hwi-patients is not paginated.
    listResponse(ctx, await world.store.list<SimHwiPatient>(world.kinds.patient), false);

  const createPatient: Handler = async (ctx) => {
    const body = readJson(ctx);
    if (!body.ok) return body.response;
    const parsed = tenoviHwiPatientPayloadSchema.safeParse(withDefaultSmsOptIn(body.value));
    if (!parsed.success) return json(400, drfErrors(parsed.error.issues));
    if (await world.store.get(world.kinds.patient, parsed.data.external_id)) {
      return json(400, { external_id: ["hwi patient with this external id already exists."] });
    }
    return json(201, await savePatient(parsed.data));
  };

  const getPatient: Handler = async (ctx) => {
    const patient = await world.store.get<SimHwiPatient>(world.kinds.patient, ctx.params.externalId ?? "");
    return patient ? json(200, patient) : json(404, NOT_FOUND);
  };

  const putPatient: Handler = async (ctx) => {
    const externalId = ctx.params.externalId ?? "";
    if (!(await world.store.get(world.kinds.patient, externalId))) return json(404, NOT_FOUND);
    const body = readJson(ctx);
    if (!body.ok) return body.response;
    const parsed = tenoviHwiPatientPayloadSchema.safeParse(withDefaultSmsOptIn(body.value));
    if (!parsed.success) return json(400, drfErrors(parsed.error.issues));
    if (parsed.data.external_id !== externalId) return json(400, { external_id: ["external_id cannot be changed."] });
    return json(200, await savePatient(parsed.data));
  };

  const patchPatient: Handler = async (ctx) => {
    const current = await world.store.get<SimHwiPatient>(world.kinds.patient, ctx.params.externalId ?? "");
    if (!current) return json(404, NOT_FOUND);
    const body = readJson(ctx);
    if (!body.ok) return body.response;
    const parsed = tenoviHwiPatientPatchPayloadSchema.safeParse(body.value);
    if (!parsed.success) return json(400, drfErrors(parsed.error.issues));
    if (parsed.data.external_id !== undefined && parsed.data.external_id !== current.external_id) {
      return json(400, { external_id: ["external_id cannot be changed."] });
    }
    return json(200, await savePatient({ ...fromSimPatient(current), ...parsed.data, external_id: current.external_id }));
  };

  const deletePatient: Handler = async (ctx) =>
    (await world.store.remove(world.kinds.patient, ctx.params.externalId ?? "")) ? new Response(null, { status: 204 }) : json(404, NOT_FOUND);

  // Stores a patient and passes the edit on to every device sharing its external_id.
  async function savePatient(p: TenoviHwiPatientPayload): Promise<SimHwiPatient> {
    const patient: SimHwiPatient = {
      external_id: p.external_id,
      name: p.name ?? null,
      address: p.address ?? null,
      city: p.city ?? null,
      state: p.state ?? null,
      zip_code: p.zip_code ?? null,
      phone_number: p.phone_number ?? null,
      email: p.email ?? null,
      physician: p.physician ?? null,
      clinic_name: p.clinic_name ?? null,
      care_manager: p.care_manager ?? null,
      sms_opt_in: p.sms_opt_in,
      confirm_address: p.confirm_address ?? false,
      // ASSUMPTION: a full address with a ZIP verifies; confirm_address skips the check.
      address_status: p.confirm_address || (p.address && p.city && p.state && p.zip_code) ? "Verified" : "Invalid",
      address_verified_by: p.confirm_address ? "client" : null,
    };
    await world.store.put(world.kinds.patient, patient.external_id, patient);
    for (const record of await world.listDevices()) {
      if (record.wire.patient_id !== patient.external_id) continue;
      record.wire.patient = {
        external_id: patient.external_id,
        name: patient.name,
        phone_number: patient.phone_number,
        email: patient.email,
        physician: patient.physician,
        clinic_name: patient.clinic_name,
        care_manager: patient.care_manager,
        sms_opt_in: patient.sms_opt_in,
      };
      await world.saveDevice(record);
    }
    return patient;
  }

  // ---- replacements ------------------------------------------------------------------------------------------------------

  const listReplacements: Handler = async (ctx) => {
    const rows = await world.store.list<SimReplacement>(world.kinds.replacement);
    return listResponse(ctx, rows.sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id)));
  };

  const createReplacement: Handler = async (ctx) => {
    const body = readJson(ctx);
    if (!body.ok) return body.response;
    const parsed = tenoviReplacementPayloadSchema.safeParse(body.value);
    if (!parsed.success) return json(400, drfErrors(parsed.error.issues));
    const r = parsed.data;
    if (!(await world.getDevice(r.hwi_device_id))) return json(400, { hwi_device_id: [`Invalid pk "${r.hwi_device_id}" - object does not exist.`] });
    const unknown = r.device_types.filter((t) => t.name !== "Gateway" && !world.deviceType(t.name)).map((t) => t.name);
    if (unknown.length > 0) return json(400, { device_types: [`Unknown device type: ${unknown.join(", ")}.`] });
    const replacement: SimReplacement = {
      id: randomUUID(),
      hwi_device_id: r.hwi_device_id,
      status: "Requested",
      created: isoMicro(new Date()),
      device_types: r.device_types,
      shipping_name: r.shipping_name,
      shipping_address: r.shipping_address,
      shipping_city: r.shipping_city,
      shipping_state: r.shipping_state,
      shipping_zip_code: r.shipping_zip_code,
      notify_emails: r.notify_emails ?? null,
      tracking_link: null,
    };
    await world.store.put(world.kinds.replacement, replacement.id, replacement);
    return json(201, replacement);
  };

  const deleteReplacement: Handler = async (ctx) => {
    const replacement = await world.store.get<SimReplacement>(world.kinds.replacement, ctx.params.id ?? "");
    if (!replacement) return json(404, NOT_FOUND);
    if (replacement.status !== "Requested") return json(400, { detail: "Only a pending replacement request can be cancelled." });
    await world.store.remove(world.kinds.replacement, replacement.id);
    return new Response(null, { status: 204 });
  };

  // ---- gateways ----------------------------------------------------------------------------------------------------------

  const listGateways: Handler = async (ctx) => {
    const q = ctx.url.searchParams;
    const isNull = (name: string) => (q.has(name) ? q.get(name) === "true" : null);
    const lastMeasurementIsNull = isNull("last_measurement__isnull");
    const shippedOnIsNull = isNull("shipped_on__isnull");
    let gateways = (await world.store.list<SimGateway>(world.kinds.gateway)).filter(
      (g) =>
        (lastMeasurementIsNull === null || (g.last_measurement === null) === lastMeasurementIsNull) &&
        (shippedOnIsNull === null || (g.shipped_on === null) === shippedOnIsNull),
    );
    const ordering = q.get("ordering");
    const field = ordering?.replace(/^-/, "");
    if (field === "assigned_on" || field === "shipped_on" || field === "last_measurement") {
      const direction = ordering?.startsWith("-") ? -1 : 1;
      gateways = gateways.sort((a, b) => direction * (a[field] ?? "").localeCompare(b[field] ?? ""));
    }
    // ASSUMPTION: hwi-gateways is not paginated.
    return listResponse(ctx, gateways, false);
  };

  // ---- routing -----------------------------------------------------------------------------------------------------------

  const base = "/clients/:domain/hwi";
  const route = (method: string, path: string, handler: Handler): SimRoute => ({ method, path: `${base}${path}`, handler: guard(handler) });
  const routes: SimRoute[] = [
    route("GET", "/hwi-device-types/", listDeviceTypes),
    route("GET", "/hwi-devices/", listDevices),
    route("POST", "/hwi-devices/", createDevice),
    route("GET", "/hwi-devices/:id/", getDevice),
    route("PATCH", "/hwi-devices/:id/", patchDevice),
    route("DELETE", "/hwi-devices/:id/", deleteDevice),
    route("GET", "/hwi-devices/:id/measurements/", deviceMeasurements),
    route("GET", "/unlink-gateway/:id/", unlinkGateway),
    ...(opts.unlinkAcceptsPost ? [route("POST", "/unlink-gateway/:id/", unlinkGateway)] : []),
    route("GET", "/patients/:externalId/measurements/", patientMeasurements),
    route("GET", "/hwi-patients/", listPatients),
    route("POST", "/hwi-patients/", createPatient),
    route("GET", "/hwi-patients/:externalId/", getPatient),
    route("PUT", "/hwi-patients/:externalId/", putPatient),
    route("PATCH", "/hwi-patients/:externalId/", patchPatient),
    route("DELETE", "/hwi-patients/:externalId/", deletePatient),
    route("GET", "/hwi-replacements/", listReplacements),
    route("POST", "/hwi-replacements/", createReplacement),
    route("DELETE", "/hwi-replacements/:id/", deleteReplacement),
    route("GET", "/hwi-gateways/", listGateways),
  ];

  // Without the trailing slash Tenovi redirects (and the redirected request arrives without Authorization).
  function fallback(ctx: SimContext): Response | null {
    const relative = ctx.url.pathname.slice(prefix.length);
    if (relative.endsWith("/") || !routes.some((r) => matchPath(r.path, `${relative}/`))) return null;
    return new Response(null, { status: 301, headers: { Location: `${origin(ctx)}${ctx.url.pathname}/${ctx.url.search}` } });
  }

  return {
    vendor: "tenovi",
    prefix,
    routes,
    fallback,
    tick: async (now) => {
      await world.runTick(now);
    },
    options: opts,
    activate: async (payload) => {
      await world.ensureSeeded();
      return activate(payload);
    },
    seedDevice,
    advanceShipment: world.advanceShipment,
    emitReadingNow: world.emitReadingNow,
    emitDayOfReadings: world.emitDayOfReadings,
    shipReplacement: world.shipReplacement,
    dropNextWebhooks: world.dropNextWebhooks,
    pendingWebhookDrops: world.pendingWebhookDrops,
    runTick: world.runTick,
    settle: world.settle,
    getDevice: async (hwiDeviceId) => (await world.getDevice(hwiDeviceId))?.wire ?? null,
    listDevices: async () => (await world.listDevices()).map((r) => r.wire),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Request parsing and DRF-shaped errors

function readJson(ctx: SimContext): { ok: true; value: unknown } | { ok: false; response: Response } {
  const contentType = ctx.request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) {
    return { ok: false, response: json(415, { detail: `Unsupported media type "${contentType}" in request.` }) };
  }
  try {
    return { ok: true, value: JSON.parse(ctx.bodyText) as unknown };
  } catch (error) {
    return { ok: false, response: json(400, { detail: `JSON parse error - ${error instanceof Error ? error.message : "invalid JSON"}` }) };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Tenovi's default: sms_opt_in is true unless the request says otherwise.
function withDefaultSmsOptIn(value: unknown): unknown {
  return isRecord(value) && value.sms_opt_in === undefined ? { ...value, sms_opt_in: true } : value;
}

function withTenoviPatientDefaults(value: unknown): unknown {
  if (!isRecord(value) || !isRecord(value.patient)) return value;
  return { ...value, patient: withDefaultSmsOptIn(value.patient) };
}

// Zod issues as Django REST Framework writes validation errors: {"device": {"name": ["This field is required."]}}.
function drfErrors(issues: z.ZodError["issues"]): DrfErrors {
  const errors: DrfErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) addDrfError(errors, [...path, key], "Unexpected field.");
      continue;
    }
    const message = issue.code === "invalid_type" && issue.message.endsWith("received undefined") ? "This field is required." : issue.message;
    addDrfError(errors, path.length > 0 ? path : ["non_field_errors"], message);
  }
  return errors;
}

function addDrfError(node: DrfErrors, path: string[], message: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const existing = node[head];
  if (rest.length === 0) {
    if (Array.isArray(existing)) existing.push(message);
    else if (existing) addDrfError(existing, ["non_field_errors"], message);
    else node[head] = [message];
    return;
  }
  const child: DrfErrors = existing === undefined ? {} : Array.isArray(existing) ? { non_field_errors: existing } : existing;
  node[head] = child;
  addDrfError(child, rest, message);
}

// ASSUMPTION (rateLimit): a fixed window per key; answers how long to wait, or null when the request may pass.
function createRateLimiter(limit: ResolvedTenoviOptions["rateLimit"]) {
  const windows = new Map<string, { start: number; count: number }>();
  return (key: string, nowMs: number): number | null => {
    if (!limit) return null;
    const window = windows.get(key);
    if (!window || nowMs - window.start >= limit.windowMs) {
      windows.set(key, { start: nowMs, count: 1 });
      return null;
    }
    if (window.count < limit.requests) {
      window.count++;
      return null;
    }
    return limit.windowMs - (nowMs - window.start);
  };
}

function fromSimPatient(p: SimHwiPatient): TenoviHwiPatientPayload {
  const optional = <T>(value: T | null) => value ?? undefined;
  return {
    external_id: p.external_id,
    name: optional(p.name),
    phone_number: optional(p.phone_number),
    email: optional(p.email),
    physician: optional(p.physician),
    clinic_name: optional(p.clinic_name),
    care_manager: optional(p.care_manager),
    sms_opt_in: p.sms_opt_in,
    address: optional(p.address),
    city: optional(p.city),
    state: optional(p.state),
    zip_code: optional(p.zip_code),
    confirm_address: p.confirm_address,
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// The process's default simulator, for the admin Simulation page

let defaultSimulator: TenoviSimulator | null = null;

// The simulator for the configured demo account (created on first use).
export function tenoviSimulator(): TenoviSimulator {
  defaultSimulator ??= createTenoviSimulator();
  return defaultSimulator;
}

// Admin: moves a device's shipment one step and sends the fulfillment webhook.
export function advanceShipment(hwiDeviceId: string): ReturnType<TenoviSimulator["advanceShipment"]> {
  return tenoviSimulator().advanceShipment(hwiDeviceId);
}

// Admin: the device measures now and Tenovi sends the measurement webhook(s).
export function emitReadingNow(hwiDeviceId: string): Promise<ReadingReport> {
  return tenoviSimulator().emitReadingNow(hwiDeviceId);
}

// Admin: three readings over the last 24 hours, each with its webhook(s).
export function emitDayOfReadings(hwiDeviceId: string): Promise<ReadingReport> {
  return tenoviSimulator().emitDayOfReadings(hwiDeviceId);
}

// Admin: the next `count` webhook deliveries are dropped, as when Pulseboard is down (the backfill recovers them).
export function dropNextWebhooks(count: number): Promise<void> {
  return tenoviSimulator().dropNextWebhooks(count);
}

// What the admin controls report.
export type { ReadingReport, SimHwiDevice, WebhookDelivery };
