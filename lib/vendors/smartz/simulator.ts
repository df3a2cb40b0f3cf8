import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { z } from "zod";

import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";
import { json, simulatorStore, type SimContext, type SimRoute, type VendorSimulator } from "@/lib/vendors/simulator-kit";
import { SMARTZ_SEED } from "@/lib/vendors/smartz/fixtures";
import {
  DEFAULT_SMARTZ_TOKEN_REQUEST,
  SMARTZ_PATHS,
  SMARTZ_SUBSCRIPTION_KEY_HEADER,
  tokenRequestFields,
  type SmartzTokenRequestFormat,
} from "@/lib/vendors/smartz/protocol";
import type {
  SmartzAlert,
  SmartzDevice,
  SmartzEvent,
  SmartzEventType,
  SmartzManufacturer,
  SmartzOrganisation,
  SmartzPatient,
  SmartzPatientStatus,
  SmartzProduct,
} from "@/lib/vendors/smartz/schemas";

// Everything below the published surface (x-sub-key, /v1/token, a JWT bearer) is an ASSUMPTION (vendor-notes §3);
// each such behaviour is a named setting here so it can change once a real account shows otherwise.
export type SmartzSimulatorSettings = {
  // Published: a primary and a secondary subscription key, both accepted, neither expiring.
  subscriptionKeys: string[];
  appId: string;
  appKey: string;
  // ASSUMPTION: the token request's encoding and field names.
  tokenRequest: SmartzTokenRequestFormat;
  // ASSUMPTION: how long an access token lives, in seconds.
  tokenLifetimeSeconds: number;
  signingSecret: string;
  // ASSUMPTION: an APIM rate-limit policy per subscription key; null for none.
  rateLimit: { requests: number; windowSeconds: number } | null;
  // ASSUMPTION: how many items one list page holds unless the caller asks for fewer with `limit`.
  pageSize: number;
  // How often a worn pod reports something during ticks, per patient.
  eventsPerPatientPerHour: number;
  now: () => Date;
  random: () => number;
};

// A Smartz simulator plus the handles tests and the Simulation page need.
export type SmartzSimulator = VendorSimulator & {
  settings: SmartzSimulatorSettings;
  configure: (patch: Partial<SmartzSimulatorSettings>) => void;
  tokenRequestCount: () => Promise<number>;
  revokeTokens: () => Promise<void>;
  reset: () => Promise<void>;
};

// ASSUMPTION: Azure API Management's default wording (vendor-notes §3).
export const APIM_MESSAGES = {
  missingKey: "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
  invalidKey: "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.",
  invalidToken: "Unauthorized. Access token is missing or invalid.",
  notFound: "Resource not found",
} as const;

const store = simulatorStore("smartz");
const SEED_VERSION = "v1";
const MAX_PAGE_SIZE = 500;
const WET_SATURATION = 70;
// Residents whose pods report only when told to (the Simulation page), not on ticks.
const QUIET_PATIENT = "quiet-patient";

type PatientState = {
  diaperState: "dry" | "damp" | "wet" | "soiled";
  saturation: number;
  voidsSinceChange: number;
  lastEventAt: string | null;
  lastChangeAt: string | null;
};
type StoredEvent = SmartzEvent & { seq: number };
type StoredAlert = SmartzAlert & { seq: number };
type PlannedEvent = { type: SmartzEventType; severity: string | null; saturation: number };
type Ctx = SimContext & { settings: SmartzSimulatorSettings };

// Default settings: the credentials in SIMULATOR_CREDENTIALS and an hour-long token.
export function defaultSmartzSimulatorSettings(): SmartzSimulatorSettings {
  const sim = SIMULATOR_CREDENTIALS.smartz;
  return {
    subscriptionKeys: [sim.subscriptionKey, `${sim.subscriptionKey}-secondary`],
    appId: sim.appId,
    appKey: sim.appKey,
    tokenRequest: DEFAULT_SMARTZ_TOKEN_REQUEST,
    tokenLifetimeSeconds: 3600,
    signingSecret: "smartz-simulator-signing-secret",
    rateLimit: { requests: 600, windowSeconds: 60 },
    pageSize: 100,
    eventsPerPatientPerHour: 6,
    now: () => new Date(),
    random: Math.random,
  };
}

// The Smartz Connect simulator: APIM-style gateway checks, the token endpoint and the read-only Organisation API.
export function createSmartzSimulator(options: Partial<SmartzSimulatorSettings> = {}): SmartzSimulator {
  const settings: SmartzSimulatorSettings = { ...defaultSmartzSimulatorSettings(), ...options };
  const route = (method: string, path: string, kind: "token" | "resource", handler: (ctx: Ctx) => Promise<Response>): SimRoute => ({
    method,
    path,
    handler: async (ctx) => (await gate({ ...ctx, settings }, kind)) ?? handler({ ...ctx, settings }),
  });
  let lastTick: Date | null = null;
  return {
    vendor: "smartz",
    prefix: "/smartz",
    settings,
    routes: [
      route("POST", SMARTZ_PATHS.token, "token", issueToken),
      route("GET", SMARTZ_PATHS.organisation, "resource", async () => json(200, await one<SmartzOrganisation>("organisation"))),
      route("GET", SMARTZ_PATHS.manufacturers, "resource", async (ctx) => page(ctx, await sorted<SmartzManufacturer>("manufacturer"))),
      route("GET", SMARTZ_PATHS.products, "resource", listProducts),
      route("GET", SMARTZ_PATHS.devices, "resource", listDevices),
      route("GET", SMARTZ_PATHS.patients, "resource", async (ctx) => page(ctx, await sorted<SmartzPatient>("patient"))),
      route("GET", SMARTZ_PATHS.patientStatus, "resource", getPatientStatus),
      route("GET", SMARTZ_PATHS.patientEvents, "resource", listPatientEvents),
      route("GET", SMARTZ_PATHS.alerts, "resource", listAlerts),
    ],
    // APIM answers any path or method it has no operation for with its own 404.
    fallback: () => apimError(404, APIM_MESSAGES.notFound),
    tick: async (now) => {
      const elapsedHours = lastTick ? Math.min(1, (now.getTime() - lastTick.getTime()) / 3_600_000) : 0;
      lastTick = now;
      if (elapsedHours <= 0) return;
      await seedSmartzSimulator();
      const chance = 1 - Math.exp(-settings.eventsPerPatientPerHour * elapsedHours);
      const quiet = new Set((await store.list<{ patientId: string }>(QUIET_PATIENT)).map((q) => q.patientId));
      for (const patient of await sorted<SmartzPatient>("patient")) {
        if (patient.podIds.length > 0 && !quiet.has(patient.id) && settings.random() < chance) await emitEventNow(patient.id, { now, random: settings.random });
      }
    },
    configure: (patch) => Object.assign(settings, patch),
    tokenRequestCount: smartzTokenRequestCount,
    revokeTokens: revokeSmartzTokens,
    reset: resetSmartzSimulator,
  };
}

// ─── Gateway ──────────────────────────────────────────────────────────────────

// APIM's checks, in its order: subscription key, rate limit, then (for the Organisation API) the JWT.
async function gate(ctx: Ctx, kind: "token" | "resource"): Promise<Response | null> {
  await seedSmartzSimulator();
  if (kind === "token") await bumpCounter("counter", "token-requests");
  // Only x-sub-key counts; a key in APIM's default Ocp-Apim-Subscription-Key header is treated as missing.
  const key = ctx.request.headers.get(SMARTZ_SUBSCRIPTION_KEY_HEADER);
  if (!key) return apimError(401, APIM_MESSAGES.missingKey);
  const keyIndex = ctx.settings.subscriptionKeys.findIndex((candidate) => safeEqual(candidate, key));
  if (keyIndex < 0) return apimError(401, APIM_MESSAGES.invalidKey);
  const limited = await rateLimit(ctx.settings, keyIndex);
  if (limited) return limited;
  if (kind === "resource" && !(await hasValidBearer(ctx))) return apimError(401, APIM_MESSAGES.invalidToken);
  return null;
}

async function rateLimit(settings: SmartzSimulatorSettings, keyIndex: number): Promise<Response | null> {
  if (!settings.rateLimit) return null;
  const windowMs = settings.rateLimit.windowSeconds * 1000;
  const nowMs = settings.now().getTime();
  const window = Math.floor(nowMs / windowMs);
  const count = await bumpCounter("rate-limit", `key-${keyIndex}`, window);
  if (count <= settings.rateLimit.requests) return null;
  const retryAfter = Math.max(1, Math.ceil(((window + 1) * windowMs - nowMs) / 1000));
  return apimError(429, `Rate limit is exceeded. Try again in ${retryAfter} seconds.`, { "Retry-After": String(retryAfter) });
}

function apimError(statusCode: number, message: string, headers?: Record<string, string>): Response {
  return json(statusCode, { statusCode, message }, headers);
}

function oauthError(status: number, error: string, description: string): Response {
  return json(status, { error, error_description: description });
}

// ─── Tokens ───────────────────────────────────────────────────────────────────

const jwtPayloadSchema = z.object({ sub: z.string(), exp: z.number(), gen: z.number() });

// POST /v1/token
async function issueToken(ctx: Ctx): Promise<Response> {
  const { tokenRequest, appId, appKey } = ctx.settings;
  const body = readTokenBody(ctx, tokenRequest.encoding);
  const encodingName = tokenRequest.encoding === "form" ? "an application/x-www-form-urlencoded" : "a JSON";
  const expected = tokenRequestFields(tokenRequest, appId, appKey);
  if (!body) return oauthError(400, "invalid_request", `Send ${encodingName} body with ${Object.keys(expected).join(", ")}.`);
  const missing = Object.keys(expected).filter((field) => !body[field]);
  if (missing.length > 0) return oauthError(400, "invalid_request", `Missing ${missing.join(", ")}.`);
  if (body[tokenRequest.fields.grantType] !== "client_credentials") return oauthError(400, "unsupported_grant_type", "Only client_credentials is supported.");
  const isClient = safeEqual(body[tokenRequest.fields.clientId] ?? "", appId) && safeEqual(body[tokenRequest.fields.clientSecret] ?? "", appKey);
  if (!isClient) return oauthError(401, "invalid_client", "Client authentication failed.");
  const issuedAt = Math.floor(ctx.settings.now().getTime() / 1000);
  const generation = await tokenGeneration();
  const payload = {
    iss: "smartz-simulator",
    aud: "smartz-connect-api",
    sub: appId,
    org: SMARTZ_SEED.organisation.id,
    iat: issuedAt,
    exp: issuedAt + ctx.settings.tokenLifetimeSeconds,
    jti: randomUUID(),
    gen: generation,
  };
  const accessToken = signJwt(payload, ctx.settings.signingSecret);
  return json(200, { access_token: accessToken, token_type: "Bearer", expires_in: ctx.settings.tokenLifetimeSeconds });
}

function readTokenBody(ctx: Ctx, encoding: SmartzTokenRequestFormat["encoding"]): Record<string, string> | null {
  const contentType = ctx.request.headers.get("content-type") ?? "";
  if (encoding === "form") {
    if (!contentType.startsWith("application/x-www-form-urlencoded")) return null;
    return Object.fromEntries(new URLSearchParams(ctx.bodyText));
  }
  if (!contentType.startsWith("application/json")) return null;
  try {
    const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(ctx.bodyText));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function hasValidBearer(ctx: Ctx): Promise<boolean> {
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.request.headers.get("authorization") ?? "");
  const payload = match?.[1] ? verifyJwt(match[1], ctx.settings.signingSecret) : null;
  if (!payload || payload.sub !== ctx.settings.appId) return false;
  if (payload.exp * 1000 <= ctx.settings.now().getTime()) return false;
  return payload.gen === (await tokenGeneration());
}

function signJwt(payload: Record<string, unknown>, secret: string): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(payload));
  return `${header}.${body}.${hmac(`${header}.${body}`, secret)}`;
}

function verifyJwt(token: string, secret: string): z.infer<typeof jwtPayloadSchema> | null {
  const [header, body, signature, ...rest] = token.split(".");
  if (!header || !body || !signature || rest.length > 0) return null;
  if (!safeEqual(signature, hmac(`${header}.${body}`, secret))) return null;
  try {
    const parsed = jwtPayloadSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

function hmac(data: string, secret: string): string {
  return createHmac("sha256", secret).update(data).digest("base64url");
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// Tokens carry the generation they were issued in; revoking bumps it, so every earlier token stops working.
async function tokenGeneration(): Promise<number> {
  return (await store.get<{ generation: number }>("meta", "token-generation"))?.generation ?? 0;
}

// Revokes every token issued so far (tests: a token Smartz stopped honouring before it expired).
export async function revokeSmartzTokens(): Promise<void> {
  await store.put("meta", "token-generation", { generation: (await tokenGeneration()) + 1 });
}

// How many requests reached POST /v1/token since the last reset, whatever their outcome.
export async function smartzTokenRequestCount(): Promise<number> {
  return (await store.get<{ count: number }>("counter", "token-requests"))?.count ?? 0;
}

// ─── Organisation API ─────────────────────────────────────────────────────────

// GET /v1/products?manufacturerId=
async function listProducts(ctx: Ctx): Promise<Response> {
  const manufacturerId = ctx.url.searchParams.get("manufacturerId");
  const products = await sorted<SmartzProduct>("product");
  return page(ctx, manufacturerId ? products.filter((p) => p.manufacturerId === manufacturerId) : products);
}

// GET /v1/devices?type=pod|node
async function listDevices(ctx: Ctx): Promise<Response> {
  const type = ctx.url.searchParams.get("type");
  if (type !== null && type !== "pod" && type !== "node") return apimError(400, "type must be pod or node.");
  const devices = await sorted<SmartzDevice>("device");
  return page(ctx, type ? devices.filter((d) => d.type === type) : devices);
}

// GET /v1/patients/{patientId}/status
async function getPatientStatus(ctx: Ctx): Promise<Response> {
  const patient = await store.get<SmartzPatient>("patient", ctx.params.patientId ?? "");
  if (!patient) return apimError(404, "Patient not found.");
  return json(200, await patientStatus(patient, ctx.settings.now()));
}

// GET /v1/patients/{patientId}/events?since=<cursor>&limit=
async function listPatientEvents(ctx: Ctx): Promise<Response> {
  const patientId = ctx.params.patientId ?? "";
  if (!(await store.get<SmartzPatient>("patient", patientId))) return apimError(404, "Patient not found.");
  const since = ctx.url.searchParams.get("since");
  const afterSeq = since === null ? 0 : parseEventCursor(since);
  if (afterSeq === null) return apimError(400, "since is not a cursor this API issued.");
  const limit = pageLimit(ctx);
  if (limit === null) return apimError(400, `limit must be between 1 and ${MAX_PAGE_SIZE}.`);
  const newer = (await store.list<StoredEvent>(eventKind(patientId))).filter((e) => e.seq > afterSeq).sort((a, b) => a.seq - b.seq);
  const events = newer.slice(0, limit);
  const last = events.at(-1);
  const nextCursor = last ? eventCursor(last.seq) : since;
  return json(200, { data: events.map(stripSeq), nextCursor, hasMore: newer.length > events.length });
}

// GET /v1/alerts?status=open|resolved
async function listAlerts(ctx: Ctx): Promise<Response> {
  const status = ctx.url.searchParams.get("status");
  if (status !== null && status !== "open" && status !== "resolved") return apimError(400, "status must be open or resolved.");
  const alerts = (await store.list<StoredAlert>("alert")).sort((a, b) => a.seq - b.seq);
  return page(ctx, (status ? alerts.filter((a) => a.status === status) : alerts).map(stripSeq));
}

// ASSUMPTION: offset cursors in `{data, nextCursor, hasMore}` pages, `cursor` and `limit` query parameters.
function page<T>(ctx: Ctx, items: T[]): Response {
  const cursor = ctx.url.searchParams.get("cursor");
  const offset = cursor === null ? 0 : Number(/^o:(\d+)$/.exec(cursor)?.[1] ?? Number.NaN);
  if (!Number.isInteger(offset)) return apimError(400, "cursor is not a cursor this API issued.");
  const limit = pageLimit(ctx, ctx.settings.pageSize);
  if (limit === null) return apimError(400, `limit must be between 1 and ${MAX_PAGE_SIZE}.`);
  const end = offset + limit;
  const hasMore = end < items.length;
  return json(200, { data: items.slice(offset, end), nextCursor: hasMore ? `o:${end}` : null, hasMore });
}

function pageLimit(ctx: Ctx, fallback = 100): number | null {
  const raw = ctx.url.searchParams.get("limit");
  if (raw === null) return Math.min(fallback, MAX_PAGE_SIZE);
  const limit = Number(raw);
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE ? limit : null;
}

function eventCursor(seq: number): string {
  return `evt:${seq}`;
}

function parseEventCursor(cursor: string): number | null {
  const seq = /^evt:(\d+)$/.exec(cursor)?.[1];
  return seq === undefined ? null : Number(seq);
}

function eventKind(patientId: string): string {
  return `event:${patientId}`;
}

function stripSeq<T extends { seq: number }>(item: T): Omit<T, "seq"> {
  const { seq: _seq, ...rest } = item;
  return rest;
}

async function patientStatus(patient: SmartzPatient, now: Date): Promise<SmartzPatientStatus> {
  const podId = patient.podIds[0] ?? null;
  const pod = podId ? await store.get<SmartzDevice>("device", podId) : null;
  const state = await store.get<PatientState>("patient-state", patient.id);
  return {
    patientId: patient.id,
    // Without a linked pod Smartz has no real-time status for the patient.
    diaperState: pod ? (state?.diaperState ?? "dry") : "unknown",
    saturation: pod ? (state?.saturation ?? 0) : null,
    voidsSinceChange: pod ? (state?.voidsSinceChange ?? 0) : null,
    podId,
    podConnected: pod?.status === "active",
    batteryLevel: pod?.batteryLevel ?? null,
    lastEventAt: state?.lastEventAt ?? null,
    lastChangeAt: state?.lastChangeAt ?? null,
    updatedAt: now.toISOString(),
  };
}

// ─── Events (ticks and the Simulation page) ───────────────────────────────────

type EmitOptions = { now?: Date; random?: () => number };

// Makes the patient's pod report now: a void (maybe crossing the wet threshold), a bowel movement or a change.
export async function emitEventNow(patientId: string, options: EmitOptions = {}): Promise<SmartzEvent[]> {
  const podId = await wornPod(patientId);
  const random = options.random ?? Math.random;
  const state = await currentState(patientId);
  const planned = planEvents(state, random);
  return recordEvents(patientId, podId, state, planned.map((event) => ({ event, at: options.now ?? new Date() })));
}

// Backfills a plausible last 24 hours for the patient: voids every couple of hours, the odd bowel movement, changes.
export async function emitDayOfEvents(patientId: string, options: EmitOptions = {}): Promise<SmartzEvent[]> {
  const podId = await wornPod(patientId);
  const random = options.random ?? Math.random;
  const end = (options.now ?? new Date()).getTime();
  let state = await currentState(patientId);
  const timeline: Array<{ event: PlannedEvent; at: Date }> = [];
  for (let at = end - 24 * 3_600_000 + 30 * 60_000; at <= end; at += (60 + random() * 90) * 60_000) {
    for (const event of planEvents(state, random)) {
      timeline.push({ event, at: new Date(at) });
      state = applyEvent(state, event, new Date(at));
    }
  }
  return recordEvents(patientId, podId, await currentState(patientId), timeline);
}

async function wornPod(patientId: string): Promise<string> {
  await seedSmartzSimulator();
  const patient = await store.get<SmartzPatient>("patient", patientId);
  if (!patient) throw new AppError("NOT_FOUND", `The Smartz simulator has no patient ${patientId}.`);
  const podId = patient.podIds[0];
  if (!podId) throw new AppError("INVALID_INPUT", `Smartz patient ${patientId} has no linked pod, so it reports no events.`);
  return podId;
}

async function currentState(patientId: string): Promise<PatientState> {
  return (
    (await store.get<PatientState>("patient-state", patientId)) ?? { diaperState: "dry", saturation: 0, voidsSinceChange: 0, lastEventAt: null, lastChangeAt: null }
  );
}

// What the pod reports next given the diaper's state: a full or soiled diaper usually gets changed.
function planEvents(state: PatientState, random: () => number): PlannedEvent[] {
  const isDueForChange = state.diaperState === "soiled" || state.saturation >= WET_SATURATION;
  if (isDueForChange && random() < 0.6) return [{ type: "change", severity: null, saturation: 0 }];
  if (random() < 0.12) return [{ type: "bowel", severity: "high", saturation: state.saturation }];
  const saturation = Math.min(100, state.saturation + 20 + Math.round(random() * 20));
  const voided: PlannedEvent = { type: "void", severity: saturation >= 50 ? "medium" : "low", saturation };
  const crossedWet = state.saturation < WET_SATURATION && saturation >= WET_SATURATION;
  return crossedWet ? [voided, { type: "wet", severity: "high", saturation }] : [voided];
}

function applyEvent(state: PatientState, event: PlannedEvent, at: Date): PatientState {
  const lastEventAt = at.toISOString();
  if (event.type === "change") return { diaperState: "dry", saturation: 0, voidsSinceChange: 0, lastEventAt, lastChangeAt: lastEventAt };
  if (event.type === "bowel") return { ...state, diaperState: "soiled", lastEventAt };
  if (event.type === "wet") return { ...state, diaperState: state.diaperState === "soiled" ? "soiled" : "wet", lastEventAt };
  const diaperState = state.diaperState === "soiled" ? "soiled" : event.saturation >= WET_SATURATION ? "wet" : "damp";
  return { ...state, diaperState, saturation: event.saturation, voidsSinceChange: state.voidsSinceChange + 1, lastEventAt };
}

async function recordEvents(
  patientId: string,
  podId: string,
  initial: PatientState,
  timeline: Array<{ event: PlannedEvent; at: Date }>,
): Promise<SmartzEvent[]> {
  let state = initial;
  const recorded: SmartzEvent[] = [];
  for (const { event, at } of timeline) {
    const seq = await bumpCounter("counter", "sequence");
    const stored: StoredEvent = {
      id: `evt-${String(seq).padStart(8, "0")}`,
      patientId,
      deviceId: podId,
      type: event.type,
      severity: event.severity,
      saturation: event.saturation,
      occurredAt: at.toISOString(),
      seq,
    };
    await store.put(eventKind(patientId), stored.id, stored);
    await updateAlerts(stored, at);
    state = applyEvent(state, event, at);
    recorded.push(stripSeq(stored));
  }
  await store.put("patient-state", patientId, state);
  const pod = await store.get<SmartzDevice>("device", podId);
  const lastAt = timeline.at(-1)?.at;
  if (pod && lastAt) await store.put("device", podId, { ...pod, lastSeenAt: lastAt.toISOString() });
  return recorded;
}

// Wet and bowel events raise an alert; a change resolves the patient's open ones.
async function updateAlerts(event: StoredEvent, at: Date) {
  if (event.type === "change") {
    const open = (await store.list<StoredAlert>("alert")).filter((a) => a.patientId === event.patientId && a.status === "open");
    await Promise.all(open.map((a) => store.put("alert", a.id, { ...a, status: "resolved", resolvedAt: at.toISOString() })));
    return;
  }
  if (event.type !== "wet" && event.type !== "bowel") return;
  const seq = await bumpCounter("counter", "sequence");
  const alert: StoredAlert = {
    id: `alr-${String(seq).padStart(8, "0")}`,
    patientId: event.patientId,
    deviceId: event.deviceId,
    type: event.type,
    severity: "high",
    status: "open",
    message: event.type === "wet" ? "Diaper saturated; change needed." : "Bowel movement detected; change needed.",
    raisedAt: at.toISOString(),
    resolvedAt: null,
    seq,
  };
  await store.put("alert", alert.id, alert);
}

// ─── State ────────────────────────────────────────────────────────────────────

// Loads the seed (organisation, manufacturer, products, nodes, pods, patients) once; safe to call from any process.
export async function seedSmartzSimulator(): Promise<void> {
  if (await store.get("meta", "seed")) return;
  const rows = [
    { kind: "organisation", key: SMARTZ_SEED.organisation.id, data: SMARTZ_SEED.organisation },
    ...SMARTZ_SEED.manufacturers.map((m) => ({ kind: "manufacturer", key: m.id, data: m })),
    ...SMARTZ_SEED.products.map((p) => ({ kind: "product", key: p.id, data: p })),
    ...SMARTZ_SEED.devices.map((d) => ({ kind: "device", key: d.id, data: d })),
    ...SMARTZ_SEED.patients.map((p) => ({ kind: "patient", key: p.id, data: p })),
    { kind: "meta", key: "seed", data: { version: SEED_VERSION } },
  ];
  // One insert that skips existing rows, so concurrent first requests (or processes) cannot collide.
  await db.simulatorEntity.createMany({
    data: rows.map((row) => ({ vendor: "smartz" as const, kind: row.kind, key: row.key, data: row.data as Prisma.InputJsonValue })),
    skipDuplicates: true,
  });
}

// A resident the care home registered in the Smartz portal (the Connect API is read-only), wearing a new pod on the
// first node; for demo seeding. `reportsOnItsOwn: false` keeps the pod quiet on ticks.
export type SmartzResident = {
  id: string;
  firstName: string;
  lastName: string;
  externalId: string;
  dateOfBirth: string;
  pod: { id: string; serialNumber: string };
  reportsOnItsOwn?: boolean;
};

// Registers a resident and their pod in the simulator (demo seeding); registering the same ids again changes nothing.
export async function registerSmartzResident(resident: SmartzResident): Promise<SmartzPatient> {
  await seedSmartzSimulator();
  const existing = await store.get<SmartzPatient>("patient", resident.id);
  if (existing) return existing;
  const node = SMARTZ_SEED.devices.find((d) => d.type === "node");
  const productId = SMARTZ_SEED.products[0]?.id ?? null;
  const pod: SmartzDevice = {
    id: resident.pod.id,
    type: "pod",
    serialNumber: resident.pod.serialNumber,
    status: "active",
    firmwareVersion: "1.8.0",
    patientId: resident.id,
    nodeId: node?.id ?? null,
    batteryLevel: 90,
    location: null,
    lastSeenAt: null,
  };
  const patient: SmartzPatient = {
    id: resident.id,
    firstName: resident.firstName,
    lastName: resident.lastName,
    externalId: resident.externalId,
    dateOfBirth: resident.dateOfBirth,
    manufacturerId: productId ? (SMARTZ_SEED.manufacturers[0]?.id ?? null) : null,
    productId,
    podIds: [pod.id],
    createdAt: new Date().toISOString(),
  };
  await store.put("device", pod.id, pod);
  await store.put("patient", patient.id, patient);
  if (resident.reportsOnItsOwn === false) await store.put(QUIET_PATIENT, patient.id, { patientId: patient.id });
  return patient;
}

// Every resident the simulator holds, seeded and registered (the Simulation page picks from these).
export async function listSmartzPatients(): Promise<SmartzPatient[]> {
  await seedSmartzSimulator();
  return sorted<SmartzPatient>("patient");
}

// Forgets everything (tokens, counters, events, alerts); the seed comes back on the next request.
export async function resetSmartzSimulator(): Promise<void> {
  await db.simulatorEntity.deleteMany({ where: { vendor: "smartz" } });
}

async function one<T>(kind: string): Promise<T | null> {
  return (await store.list<T>(kind))[0] ?? null;
}

async function sorted<T extends { id: string }>(kind: string): Promise<T[]> {
  return (await store.list<T>(kind)).sort((a, b) => a.id.localeCompare(b.id));
}

// Adds one to a counter atomically and returns the new value; a different `window` starts the count again.
async function bumpCounter(kind: string, key: string, window = 0): Promise<number> {
  const rows = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "SimulatorEntity" (id, vendor, kind, key, data, "createdAt", "updatedAt")
    VALUES (${randomUUID()}, 'smartz'::"Vendor", ${kind}, ${key}, jsonb_build_object('window', ${window}::bigint, 'count', 1), now(), now())
    ON CONFLICT (vendor, kind, key) DO UPDATE SET
      data = CASE WHEN ("SimulatorEntity".data->>'window')::bigint = ${window}::bigint
                  THEN jsonb_set("SimulatorEntity".data, '{count}', to_jsonb(("SimulatorEntity".data->>'count')::int + 1))
                  ELSE jsonb_build_object('window', ${window}::bigint, 'count', 1) END,
      "updatedAt" = now()
    RETURNING (data->>'count')::int AS count`;
  return rows[0]?.count ?? 0;
}
