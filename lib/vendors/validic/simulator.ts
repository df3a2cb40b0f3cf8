import { randomBytes } from "node:crypto";

import { AppError } from "@/lib/errors";
import { SIMULATOR_CREDENTIALS, simulatorUrl } from "@/lib/vendors/config";
import { json, simulatorStore, type SimContext, type SimRoute, type VendorSimulator } from "@/lib/vendors/simulator-kit";
import { createValidicPushSender, type PushTransmitEvent, type ValidicPushSenderOptions } from "@/lib/vendors/validic/push-sender";
import {
  buildSmartMeterRecord,
  dayOfReadingTimes,
  DEFAULT_SMART_METER_MODELS,
  type MealRelationship,
  type ValidicRecordWire,
} from "@/lib/vendors/validic/record-factory";
import { SMART_METER_DEVICE_TYPES, SMART_METER_SOURCE, type SmartMeterDeviceType } from "@/lib/vendors/validic/schemas";

// A strict stand-in for Validic Inform v2: the REST users API (prefix /validic), Smart Meter Direct Connection on the
// marketplace host (prefix /validic-marketplace), and the Push Service delivering records to Pulseboard.

// Simulator settings; each ASSUMPTION about Validic is one of them, so it can change once a real account shows otherwise.
export type ValidicSimulatorOptions = {
  orgId?: string;
  orgToken?: string;
  // Where user.marketplace.url points (syncmydevice.com in production).
  marketplaceUrl?: string;
  // ASSUMPTION: a deleted uid answers 409 to provisioning for 5 minutes.
  deletedUidHoldMs?: number;
  // ASSUMPTION: Direct Connection completes asynchronously; the device joins the user's sources after this many ticks (0: at once).
  connectCompletionTicks?: number;
  // How often a connected device takes a reading on its own (0: never; the admin page can still emit readings).
  measureEveryMs?: number;
  glucoseOutOfBoundsRate?: number;
  // ASSUMPTION: model strings other than the pulse oximeter's `smc-ox`.
  deviceModels?: Partial<Record<SmartMeterDeviceType, string>>;
  // An organization without the Push Service licence keeps records for the REST API only.
  pushEnabled?: boolean;
  push?: ValidicPushSenderOptions;
  random?: () => number;
};

type WireUser = {
  id: string;
  uid: string;
  marketplace: { token: string; url: string };
  mobile: { token: string };
  location: { timezone?: string; country_code?: string } | null;
  sources: { type: string; connected_at: string }[];
  created_at: string;
  updated_at: string;
  last_processed_at: string | null;
};
type SimUser = { wire: WireUser; suspended: boolean };
type SimConnection = {
  imei: string;
  uid: string;
  device_type: SmartMeterDeviceType;
  device_name: string | null;
  created_at: string;
  status: "pending" | "active";
  ticks_remaining: number;
  activated_at: string | null;
  last_measured_at: string | null;
  // false keeps the device out of the ticks' automatic readings (absent means it measures).
  measures_on_its_own?: boolean;
};

const USER = "user";
const TOKEN_INDEX = "marketplace-token";
const DELETED_UID = "deleted-uid";
const CONNECTION = "connection";
const recordKind = (uid: string) => `record:${uid}`;

const NOT_AUTHORIZED = "Token is not authorized to access organization";
const DISCONNECT_REASON = "User disconnected from Direct Endpoint";
const DEVICE_ID = /^\d{15}$/;
// The REST record resources; only measurements come from Smart Meter.
const RECORD_RESOURCES = new Set(["measurements", "summaries", "nutrition", "sleep", "workouts", "intraday"]);

// The whole Validic simulator: two HTTP surfaces, the push sender, and the helpers the Simulation page calls.
export type ValidicSimulator = ReturnType<typeof createValidicSimulator>;

// Builds the Validic simulator; mount `simulators` (REST and marketplace) on the simulator server.
export function createValidicSimulator(options: ValidicSimulatorOptions = {}) {
  const store = simulatorStore("validic");
  const orgId = options.orgId ?? SIMULATOR_CREDENTIALS.validic.orgId;
  const orgToken = options.orgToken ?? SIMULATOR_CREDENTIALS.validic.orgToken;
  const holdMs = options.deletedUidHoldMs ?? 5 * 60_000;
  const completionTicks = options.connectCompletionTicks ?? 0;
  const measureEveryMs = options.measureEveryMs ?? 6 * 3_600_000;
  const isPushEnabled = options.pushEnabled ?? true;
  const random = options.random ?? Math.random;
  const models = { ...DEFAULT_SMART_METER_MODELS, ...options.deviceModels };
  const push = createValidicPushSender(options.push);
  const marketplaceBase = () => options.marketplaceUrl ?? `${simulatorUrl()}/validic-marketplace`;

  async function createUser(uid: string, location: WireUser["location"], now: Date): Promise<WireUser> {
    const token = randomBytes(32).toString("hex");
    const wire: WireUser = {
      id: randomBytes(12).toString("hex"),
      uid,
      marketplace: { token, url: `${marketplaceBase()}?token=${token}` },
      mobile: { token: randomBytes(16).toString("hex") },
      location,
      sources: [],
      created_at: isoSeconds(now),
      updated_at: isoSeconds(now),
      last_processed_at: null,
    };
    await store.put<SimUser>(USER, uid, { wire, suspended: false });
    await store.put(TOKEN_INDEX, token, { uid });
    return wire;
  }

  async function isHeld(uid: string, now: Date): Promise<boolean> {
    const hold = await store.get<{ deleted_at: string }>(DELETED_UID, uid);
    if (!hold) return false;
    if (now.getTime() - Date.parse(hold.deleted_at) < holdMs) return true;
    await store.remove(DELETED_UID, uid);
    return false;
  }

  async function userByMarketplaceToken(token: string | null): Promise<SimUser | null> {
    if (!token) return null;
    const entry = await store.get<{ uid: string }>(TOKEN_INDEX, token);
    return entry ? store.get<SimUser>(USER, entry.uid) : null;
  }

  async function connectionsOf(uid: string): Promise<SimConnection[]> {
    return (await store.list<SimConnection>(CONNECTION)).filter((c) => c.uid === uid);
  }

  // Keeps the user's `sources` in step with their active Smart Meter connections.
  async function refreshSources(uid: string, now: Date): Promise<void> {
    const user = await store.get<SimUser>(USER, uid);
    if (!user) return;
    const active = (await connectionsOf(uid)).filter((c) => c.status === "active");
    const others = user.wire.sources.filter((s) => s.type !== SMART_METER_SOURCE);
    const current = user.wire.sources.find((s) => s.type === SMART_METER_SOURCE);
    const firstActivation = active.map((c) => c.activated_at ?? c.created_at).sort()[0];
    const sources = firstActivation ? [...others, { type: SMART_METER_SOURCE, connected_at: current?.connected_at ?? firstActivation }] : others;
    if (JSON.stringify(sources) === JSON.stringify(user.wire.sources)) return;
    await store.put<SimUser>(USER, uid, { ...user, wire: { ...user.wire, sources, updated_at: isoSeconds(now) } });
  }

  async function activate(connection: SimConnection, now: Date): Promise<void> {
    await store.put<SimConnection>(CONNECTION, connection.imei, { ...connection, status: "active", ticks_remaining: 0, activated_at: isoSeconds(now) });
    await refreshSources(connection.uid, now);
  }

  function authorizeOrg(ctx: SimContext): Response | null {
    const isAuthorized = ctx.params.org === orgId && ctx.url.searchParams.get("token") === orgToken;
    return isAuthorized ? null : json(401, { message: NOT_AUTHORIZED });
  }


  const apiRoutes: SimRoute[] = [
    {
      method: "POST",
      path: "/organizations/:org/users",
      handler: async (ctx) => {
        const denied = authorizeOrg(ctx);
        if (denied) return denied;
        const body = readBody(ctx);
        if (body instanceof Response) return body;
        const input = provisionInput(body);
        if (input instanceof Response) return input;
        const now = new Date();
        if ((await store.get<SimUser>(USER, input.uid)) || (await isHeld(input.uid, now))) {
          // ASSUMPTION: the 409 body; Validic publishes no error contract.
          return json(409, { message: "uid has already been taken" });
        }
        return json(201, await createUser(input.uid, input.location, now));
      },
    },
    {
      method: "GET",
      path: "/organizations/:org/users",
      handler: async (ctx) => {
        const denied = authorizeOrg(ctx);
        if (denied) return denied;
        const query = listQuery(ctx.url);
        if (query instanceof Response) return query;
        const users = (await store.list<SimUser>(USER))
          .filter((u) => query.status === null || (query.status === "suspended") === u.suspended)
          .filter((u) => query.uid === null || u.wire.uid === query.uid)
          .sort((a, b) => a.wire.created_at.localeCompare(b.wire.created_at) * query.direction)
          .slice(0, query.limit);
        // ASSUMPTION: the list is wrapped as {data: [...]}.
        return json(200, { data: users.map((u) => u.wire) });
      },
    },
    {
      method: "GET",
      path: "/organizations/:org/users/:uid",
      handler: async (ctx) => {
        const denied = authorizeOrg(ctx);
        if (denied) return denied;
        const user = await store.get<SimUser>(USER, ctx.params.uid ?? "");
        return user ? json(200, user.wire) : json(404, { message: "User not found" });
      },
    },
    {
      // ASSUMPTION (v1 only): DELETE removes the user, disconnects their devices and holds the uid.
      method: "DELETE",
      path: "/organizations/:org/users/:uid",
      handler: async (ctx) => {
        const denied = authorizeOrg(ctx);
        if (denied) return denied;
        const uid = ctx.params.uid ?? "";
        const user = await store.get<SimUser>(USER, uid);
        if (!user) return json(404, { message: "User not found" });
        await Promise.all((await connectionsOf(uid)).map((c) => store.remove(CONNECTION, c.imei)));
        await store.remove(TOKEN_INDEX, user.wire.marketplace.token);
        await store.remove(USER, uid);
        await store.put(DELETED_UID, uid, { deleted_at: new Date().toISOString() });
        return json(200, user.wire);
      },
    },
    {
      // ASSUMPTION (v1 only): PUT with suspend "1" suspends, "0" resumes.
      method: "PUT",
      path: "/organizations/:org/users/:uid",
      handler: async (ctx) => {
        const denied = authorizeOrg(ctx);
        if (denied) return denied;
        const user = await store.get<SimUser>(USER, ctx.params.uid ?? "");
        if (!user) return json(404, { message: "User not found" });
        const body = readBody(ctx);
        if (body instanceof Response) return body;
        const suspend = body.suspend;
        if (suspend !== "1" && suspend !== "0") return json(422, { message: 'suspend must be "1" or "0"' });
        const wire = { ...user.wire, updated_at: isoSeconds(new Date()) };
        await store.put<SimUser>(USER, wire.uid, { wire, suspended: suspend === "1" });
        return json(200, wire);
      },
    },
    {
      // ASSUMPTION: GET …/users/{uid}/{resource}?start_date=&end_date= answers {summary, data}.
      method: "GET",
      path: "/organizations/:org/users/:uid/:resource",
      handler: async (ctx) => {
        const denied = authorizeOrg(ctx);
        if (denied) return denied;
        const resource = ctx.params.resource ?? "";
        if (!RECORD_RESOURCES.has(resource)) return json(404, { message: "Not found" });
        const user = await store.get<SimUser>(USER, ctx.params.uid ?? "");
        if (!user) return json(404, { message: "User not found" });
        const range = dateRange(ctx.url);
        if (range instanceof Response) return range;
        const records = resource !== "measurements" ? [] : (await store.list<ValidicRecordWire>(recordKind(user.wire.uid))).filter((r) => {
          const at = Date.parse(r.start_time);
          return at >= range.start && at < range.end;
        });
        const summary = { status: 200, message: "Ok", results: records.length, start_date: range.startText, end_date: range.endText, offset: 0, previous: null, next: null };
        return json(200, { summary, data: records });
      },
    },
  ];


  const marketplaceRoutes: SimRoute[] = [
    {
      method: "POST",
      path: "/direct/auth/smart_meter/connect",
      handler: async (ctx) => {
        if (!isJson(ctx)) return json(415, { message: "Content-Type must be application/json" });
        const body = parseObject(ctx.bodyText);
        if (!body) return json(400, { message: "Body must be a JSON object" });
        const unexpected = Object.keys(body).filter((k) => !["token", "device_id", "device_type"].includes(k));
        if (unexpected.length > 0) return json(422, { message: `Unexpected field(s): ${unexpected.join(", ")}` });
        const { token, device_id: imei, device_type: deviceType } = body;
        if (typeof token !== "string" || typeof imei !== "string" || typeof deviceType !== "string") {
          return json(422, { message: "token, device_id and device_type must be strings" });
        }
        // ASSUMPTION: the error contract (404 unknown token, 422 bad IMEI or type, 409 IMEI taken), body {message}.
        const user = await userByMarketplaceToken(token);
        if (!user) return json(404, { message: "Marketplace token not found" });
        if (!DEVICE_ID.test(imei)) return json(422, { message: "device_id must be a 15-digit IMEI" });
        if (!isDeviceType(deviceType)) return json(422, { message: `device_type must be one of ${SMART_METER_DEVICE_TYPES.join("|")}` });
        const existing = await store.get<SimConnection>(CONNECTION, imei);
        if (existing && existing.uid !== user.wire.uid) return json(409, { message: "Device is already connected to another user" });
        const now = new Date();
        // Connecting the same device to the same user again keeps the connection and takes the new type.
        const connection: SimConnection = existing
          ? { ...existing, device_type: deviceType }
          : { imei, uid: user.wire.uid, device_type: deviceType, device_name: null, created_at: isoSeconds(now), status: "pending", ticks_remaining: completionTicks, activated_at: null, last_measured_at: null };
        await store.put<SimConnection>(CONNECTION, imei, connection);
        if (connection.status === "pending" && completionTicks <= 0) await activate(connection, now);
        return json(202, connectionBody(connection));
      },
    },
    {
      method: "POST",
      path: "/direct/auth/smart_meter/disconnect_all",
      handler: async (ctx) => {
        const user = await userByMarketplaceToken(ctx.url.searchParams.get("token"));
        if (!user) return json(404, { message: "Marketplace token not found" });
        const now = new Date();
        const connections = await connectionsOf(user.wire.uid);
        await Promise.all(connections.map((c) => store.remove(CONNECTION, c.imei)));
        await refreshSources(user.wire.uid, now);
        return json(200, { meta: { total: connections.length }, connections: connections.map((c) => deletedBody(c, now)) });
      },
    },
    {
      method: "POST",
      path: "/direct/auth/smart_meter/disconnect/:imei",
      handler: async (ctx) => {
        const user = await userByMarketplaceToken(ctx.url.searchParams.get("token"));
        if (!user) return json(404, { message: "Marketplace token not found" });
        const imei = ctx.params.imei ?? "";
        if (!DEVICE_ID.test(imei)) return json(422, { message: "IMEI must be 15 digits" });
        const connection = await store.get<SimConnection>(CONNECTION, imei);
        if (!connection || connection.uid !== user.wire.uid) return json(404, { message: "Device is not connected to this user" });
        const now = new Date();
        await store.remove(CONNECTION, imei);
        await refreshSources(user.wire.uid, now);
        return json(200, deletedBody(connection, now));
      },
    },
  ];


  async function emitReading(imei: string, takenAt: Date, now: Date, meal?: MealRelationship): Promise<ValidicRecordWire> {
    const connection = await store.get<SimConnection>(CONNECTION, imei);
    if (!connection) throw new AppError("NOT_FOUND", `No Smart Meter device with IMEI ${imei} is connected in the Validic simulator.`);
    if (connection.status !== "active") throw new AppError("CONFLICT", "This device's connection has not completed yet.");
    const user = await store.get<SimUser>(USER, connection.uid);
    if (!user) throw new AppError("NOT_FOUND", "The device's Validic user no longer exists in the simulator.");
    const record = buildSmartMeterRecord({
      imei,
      deviceType: connection.device_type,
      model: models[connection.device_type],
      user: { organization_id: orgId, user_id: user.wire.id, uid: user.wire.uid },
      timezone: user.wire.location?.timezone ?? null,
      takenAt,
      createdAt: now,
      glucoseOutOfBoundsRate: options.glucoseOutOfBoundsRate ?? 0.05,
      mealRelationship: meal,
      random,
    });
    await store.put(recordKind(user.wire.uid), record.id, record);
    await store.put<SimUser>(USER, user.wire.uid, { ...user, wire: { ...user.wire, last_processed_at: now.toISOString() } });
    await store.put<SimConnection>(CONNECTION, imei, { ...connection, last_measured_at: now.toISOString() });
    if (isPushEnabled) await push.enqueue([record], now);
    return record;
  }

  async function advanceConnections(now: Date): Promise<void> {
    for (const connection of await store.list<SimConnection>(CONNECTION)) {
      if (connection.status !== "pending") continue;
      const remaining = connection.ticks_remaining - 1;
      if (remaining <= 0) await activate(connection, now);
      else await store.put<SimConnection>(CONNECTION, connection.imei, { ...connection, ticks_remaining: remaining });
    }
  }

  async function measureDue(now: Date): Promise<ValidicRecordWire[]> {
    if (measureEveryMs <= 0) return [];
    const records: ValidicRecordWire[] = [];
    for (const connection of await store.list<SimConnection>(CONNECTION)) {
      if (connection.status !== "active" || connection.measures_on_its_own === false) continue;
      const last = Date.parse(connection.last_measured_at ?? connection.activated_at ?? connection.created_at);
      if (now.getTime() - last < measureEveryMs) continue;
      const user = await store.get<SimUser>(USER, connection.uid);
      if (!user || user.suspended) continue;
      records.push(await emitReading(connection.imei, now, now));
    }
    return records;
  }

  const api: VendorSimulator = {
    vendor: "validic",
    prefix: "/validic",
    routes: apiRoutes,
    // Connections complete, devices measure, the Push Service delivers.
    tick: async (now) => {
      await advanceConnections(now);
      await measureDue(now);
      if (isPushEnabled) await push.deliverDue(now);
    },
  };
  const marketplace: VendorSimulator = { vendor: "validic", prefix: "/validic-marketplace", routes: marketplaceRoutes };

  return {
    api,
    marketplace,
    // Both surfaces, ready for createSimulatorServer.
    simulators: [api, marketplace],
    push,
    advanceConnections,
    measureDue,
    // Creates a Validic user directly (seed data, tests), as provisioning would.
    async seedUser(uid: string, location: WireUser["location"] = null): Promise<WireUser> {
      const existing = await store.get<SimUser>(USER, uid);
      return existing ? existing.wire : createUser(uid, location, new Date());
    },
    // Connects a device to a seeded user directly, already completed; optionally as last measured at a given time, or
    // as a device that measures only when told to (demo seeding).
    async seedConnection(uid: string, imei: string, deviceType: SmartMeterDeviceType, state: { lastMeasuredAt?: Date | null; measuresOnItsOwn?: boolean } = {}): Promise<void> {
      const existing = await store.get<SimConnection>(CONNECTION, imei);
      if (existing && existing.uid !== uid) throw new AppError("CONFLICT", "This IMEI is already connected to another Validic user.");
      const now = new Date();
      const connection: SimConnection = {
        imei,
        uid,
        device_type: deviceType,
        device_name: null,
        created_at: isoSeconds(now),
        status: "pending",
        ticks_remaining: 0,
        activated_at: null,
        last_measured_at: state.lastMeasuredAt ? state.lastMeasuredAt.toISOString() : null,
        ...(state.measuresOnItsOwn === undefined ? {} : { measures_on_its_own: state.measuresOnItsOwn }),
      };
      await activate(connection, now);
    },
    // Simulation page: the device takes a reading now.
    emitReadingNow: (imei: string): Promise<ValidicRecordWire> => {
      const now = new Date();
      return emitReading(imei, now, now);
    },
    // Simulation page: a plausible day of readings for the device, over the past 24 hours.
    async emitDayOfReadings(imei: string): Promise<ValidicRecordWire[]> {
      const connection = await store.get<SimConnection>(CONNECTION, imei);
      if (!connection) throw new AppError("NOT_FOUND", `No Smart Meter device with IMEI ${imei} is connected in the Validic simulator.`);
      const now = new Date();
      const records: ValidicRecordWire[] = [];
      for (const slot of dayOfReadingTimes(connection.device_type, now, random)) records.push(await emitReading(imei, slot.at, now, slot.meal));
      return records;
    },
    // Simulation page: the Smart Meter devices connected in the simulator, to pick one from.
    async listConnections(): Promise<{ imei: string; uid: string; deviceType: SmartMeterDeviceType; isActive: boolean }[]> {
      const connections = await store.list<SimConnection>(CONNECTION);
      return connections.map((c) => ({ imei: c.imei, uid: c.uid, deviceType: c.device_type, isActive: c.status === "active" }));
    },
    // Simulation page: batch every queued record and attempt every unfinished batch now.
    flushPush: (): Promise<PushTransmitEvent[]> => push.flush(),
  };
}

function connectionBody(c: SimConnection) {
  return { credentials: { device_id: c.imei, device_type: c.device_type, device_name: c.device_name }, type: SMART_METER_SOURCE, created_at: c.created_at };
}

function deletedBody(c: SimConnection, now: Date) {
  return { ...connectionBody(c), deleted_at: isoSeconds(now), deleted_reason: DISCONNECT_REASON };
}

function isDeviceType(value: string): value is SmartMeterDeviceType {
  return (SMART_METER_DEVICE_TYPES as readonly string[]).includes(value);
}

function isJson(ctx: SimContext): boolean {
  return (ctx.request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json");
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// A JSON or form-encoded body as one flat-or-nested object. ASSUMPTION: the vendor-docs sample sends a JSON body
// under a form Content-Type, so a form body that is a JSON object is read as JSON.
function readBody(ctx: SimContext): Record<string, unknown> | Response {
  const type = (ctx.request.headers.get("content-type") ?? "").toLowerCase();
  const isForm = type.startsWith("application/x-www-form-urlencoded");
  if (!isJson(ctx) && !isForm) return json(415, { message: "Content-Type must be application/json or application/x-www-form-urlencoded" });
  if (!isForm || ctx.bodyText.trim().startsWith("{")) {
    return parseObject(ctx.bodyText) ?? json(400, { message: "Body must be a JSON object" });
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(ctx.bodyText)) {
    const nested = /^(\w+)\[(\w+)\]$/.exec(key);
    if (!nested) body[key] = value;
    else {
      const [, parent = "", child = ""] = nested;
      const current = body[parent];
      body[parent] = { ...(typeof current === "object" && current !== null ? current : {}), [child]: value };
    }
  }
  return body;
}

function provisionInput(body: Record<string, unknown>): { uid: string; location: WireUser["location"] } | Response {
  const { uid, location } = body;
  if (typeof uid !== "string" || uid.trim() === "") return json(422, { message: "uid is required" });
  if (location === undefined || location === null) return { uid, location: null };
  if (typeof location !== "object" || Array.isArray(location)) return json(422, { message: "location must be an object" });
  const { timezone, country_code: countryCode } = location as Record<string, unknown>;
  if (timezone !== undefined && (typeof timezone !== "string" || !isTimeZone(timezone))) return json(422, { message: "location.timezone is not a known time zone" });
  if (countryCode !== undefined && (typeof countryCode !== "string" || !/^[A-Za-z]{2}$/.test(countryCode))) {
    return json(422, { message: "location.country_code must be a two-letter country code" });
  }
  return { uid, location: { ...(timezone === undefined ? {} : { timezone }), ...(countryCode === undefined ? {} : { country_code: countryCode }) } };
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function listQuery(url: URL): { status: "active" | "suspended" | null; uid: string | null; direction: 1 | -1; limit: number } | Response {
  let status: "active" | "suspended" | null = null;
  let uid: string | null = null;
  for (const filter of url.searchParams.getAll("q[]")) {
    const separator = filter.indexOf("=");
    const [field, value] = separator < 0 ? ["", ""] : [filter.slice(0, separator), filter.slice(separator + 1)];
    if (field === "status" && (value === "active" || value === "suspended")) status = value;
    else if (field === "uid" && value !== "") uid = value;
    else return json(400, { message: `Unsupported filter: ${filter}` });
  }
  const sort = url.searchParams.getAll("sort[]");
  if (sort.some((s) => s !== "created_at" && s !== "-created_at")) return json(400, { message: "Unsupported sort" });
  const limitText = url.searchParams.get("limit");
  const limit = limitText === null ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return json(400, { message: "limit must be an integer from 1 to 1000" });
  return { status, uid, direction: sort.includes("-created_at") ? -1 : 1, limit };
}

function dateRange(url: URL): { start: number; end: number; startText: string; endText: string } | Response {
  const startText = url.searchParams.get("start_date");
  const endText = url.searchParams.get("end_date");
  if (!startText || !endText) return json(400, { message: "start_date and end_date are required" });
  const start = Date.parse(startText);
  // A bare date as end_date includes that whole day.
  const end = Date.parse(endText) + (/^\d{4}-\d{2}-\d{2}$/.test(endText) ? 86_400_000 : 0);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return json(400, { message: "start_date and end_date must be dates, start first" });
  return { start, end, startText, endText };
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
