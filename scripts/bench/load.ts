import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";

import { seededRandom } from "@/lib/seed/random";
import { withClient } from "@/scripts/bench/database";
import { BENCH_ADMIN } from "@/scripts/bench/generate";
import { fetchPushToken, ingestShapes, type IngestShape } from "@/scripts/bench/ingest";
import { postDelivery } from "@/scripts/bench/ingest-post";
import type { IngestShapeKey, LoadOptions } from "@/scripts/bench/options";
import { measureCpu, type cpuSubjects } from "@/scripts/bench/memory";
import { activePatients, fetchPage, signIn, type CookieJar } from "@/scripts/bench/pages";
import type { BaselineRow } from "@/scripts/bench/payloads";
import { ratio, round, summarize, type LatencySummary } from "@/scripts/bench/stats";

// The load phase (issue #8): open-loop ingest at a sustained rate (Validic pushes through the real token flow,
// Tenovi webhooks single and as arrays, each sent at its planned time whether or not earlier ones were answered)
// while signed-in clinicians browse the dashboard with think time; then a bounded wait until every reading of every
// acknowledged (2xx) delivery is in PostgreSQL. Passes with no errors and no acknowledged reading lost. Loopback
// only, and bounded: sending stops after `seconds`, requests time out, the drain has its own limit.

// The request kinds of the load and the share of the readings each carries.
export const LOAD_MIX: { key: IngestShapeKey; share: number }[] = [
  { key: "validic100", share: 0.5 },
  { key: "tenovi-single", share: 0.25 },
  { key: "tenovi-array", share: 0.25 },
];

// The pages a clinician goes through, in turn (`patientId` is a patient with active devices).
export const LOAD_PAGES: { name: string; path: (patientId: string) => string }[] = [
  { name: "Patient list", path: () => "/patients" },
  { name: "Patient record", path: (patientId) => `/patients/${patientId}` },
  { name: "Vitals", path: (patientId) => `/patients/${patientId}/vitals` },
  { name: "Readings feed", path: () => "/readings" },
  { name: "Alert worklist", path: () => "/alerts" },
];

// Past this many unanswered deliveries the server is not keeping up: further sends are counted as errors instead
// of piling up sockets without bound.
const MAX_IN_FLIGHT = 256;
const REQUEST_TIMEOUT_MS = 30_000;
// A fresh push token well inside its lifetime, as Validic's Push Service requests one before each run of pushes.
const TOKEN_REFRESH_MS = 5 * 60_000;
const DRAIN_POLL_MS = 500;
const PROGRESS_EVERY_MS = 10_000;
const LOOKUP_CHUNK = 5_000;
const SEED = 20261108;
// Sender rotation offset of the warm-up deliveries, apart from the measured ones'.
const WARM_UP_INDEX = 800_000_000;

// One planned request: when (ms after the start), of which kind, and its number within the kind.
export type PlannedSend = { atMs: number; key: IngestShapeKey; index: number };

// The open-loop schedule for `seconds`: each kind evenly spaced at the request rate that makes its share of
// `readingsPerSecond` (given its readings per request); all kinds merged in time order.
export function pacingSchedule(options: {
  readingsPerSecond: number;
  seconds: number;
  kinds: { key: IngestShapeKey; share: number; readingsPerRequest: number }[];
}): PlannedSend[] {
  const durationMs = options.seconds * 1000;
  const sends: PlannedSend[] = [];
  for (const kind of options.kinds) {
    const requestsPerSecond = (options.readingsPerSecond * kind.share) / kind.readingsPerRequest;
    if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) continue;
    const intervalMs = 1000 / requestsPerSecond;
    // Half an interval in: the kinds do not all fire at 0, and the count over the window is rate × seconds.
    for (let index = 0; (index + 0.5) * intervalMs < durationMs; index++) sends.push({ atMs: (index + 0.5) * intervalMs, key: kind.key, index });
  }
  return sends.sort((a, b) => a.atMs - b.atMs);
}

// A reading as PostgreSQL identifies it: (vendor, vendorRecordId, metric) is Reading's unique key.
export type ReadingKey = { vendor: "validic" | "tenovi"; vendorRecordId: string; metric: string };

function keyText(key: ReadingKey): string {
  return `${key.vendor}\u0000${key.vendorRecordId}\u0000${key.metric}`;
}

// The accounting of a run: the readings of acknowledged deliveries, and which of them the database holds.
export function createLedger() {
  const acknowledged = new Set<string>();
  const outstanding = new Map<string, ReadingKey>();
  // The ingest event that holds each outstanding reading's delivery (from the acknowledgement), when it said.
  const eventOf = new Map<string, string>();
  let stored = 0;
  return {
    // The readings of one acknowledged delivery; a reading acknowledged twice counts once.
    acknowledge(keys: ReadingKey[], eventId?: string): void {
      for (const key of keys) {
        const text = keyText(key);
        if (acknowledged.has(text)) continue;
        acknowledged.add(text);
        outstanding.set(text, key);
        if (eventId) eventOf.set(text, eventId);
      }
    },
    // Readings found in the database; any that were never acknowledged are not this ledger's concern.
    markStored(keys: ReadingKey[]): void {
      for (const key of keys) if (outstanding.delete(keyText(key))) stored += 1;
    },
    outstanding: (): ReadingKey[] => [...outstanding.values()],
    // The ingest events still owing readings, each once.
    outstandingEventIds: (): string[] => [...new Set([...outstanding.keys()].flatMap((text) => eventOf.get(text) ?? []))],
    summary(): { acknowledged: number; stored: number; lost: number; lostSamples: string[] } {
      const lostSamples = [...outstanding.values()].slice(0, 5).map((key) => `${key.vendor} ${key.vendorRecordId} ${key.metric}`);
      return { acknowledged: acknowledged.size, stored, lost: outstanding.size, lostSamples };
    },
  };
}

// Errors counted by label ("validic100 503", "page 500", "tenovi-single timeout"), with a few details kept.
export function createErrorTally() {
  const byLabel: Record<string, number> = {};
  const samples: string[] = [];
  return {
    add(label: string, detail?: string): void {
      byLabel[label] = (byLabel[label] ?? 0) + 1;
      if (samples.length < 10) samples.push(detail ? `${label}: ${detail}` : label);
    },
    total: (): number => Object.values(byLabel).reduce((sum, count) => sum + count, 0),
    byLabel,
    samples,
  };
}

// The verdict: no errors, nothing acknowledged missing, and something acknowledged at all.
export function loadVerdict(counts: { errors: number; lost: number; acknowledged: number }): { isPassed: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (counts.errors > 0) reasons.push(`${counts.errors} errors`);
  if (counts.lost > 0) reasons.push(`${counts.lost} acknowledged readings not in the database`);
  if (counts.acknowledged === 0) reasons.push("no delivery was acknowledged");
  return { isPassed: reasons.length === 0, reasons };
}

// Refuses any target but this machine's loopback interface: the load phase never sends to another host.
export function assertLoopback(baseUrl: string): void {
  const host = new URL(baseUrl).hostname;
  const isLoopback = host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (!isLoopback) throw new Error(`the load phase only targets loopback; refusing ${host}`);
}

// What the load phase measured.
export type LoadPhaseResult = {
  target: { readingsPerSecond: number; seconds: number; clinicians: number };
  sendSeconds: number;
  // Readings of acknowledged deliveries per second of sending, and that over the target.
  achievedReadingsPerSecond: number;
  ratioToTarget: number;
  // How late the sender started its latest request (the bench process itself falling behind).
  maxSendLagMs: number;
  // CPU the web server used while sending, and that as a share of one core: on a shared machine, whether the
  // server was busy or starved.
  webCpuSeconds: number;
  webCores: number;
  ingest: { name: string; planned: number; sent: number; acknowledged: number; ackMs: LatencySummary }[];
  // What the acknowledgements said about processing (processed, queued, duplicate, …).
  processing: Record<string, number>;
  pages: { name: string; views: number; pageMs: LatencySummary }[];
  errors: { total: number; byLabel: Record<string, number>; samples: string[] };
  // `storedBefore`: acknowledged readings the database already had before the run (the same vendor id sent by an
  // earlier phase); in the database, so not lost, but not written by this run.
  readings: { acknowledged: number; stored: number; storedBefore: number; lost: number; lostSamples: string[] };
  // Status of the ingest events whose readings were lost (received or failed: the sweep may still process them,
  // after the drain limit; the issue counts them lost all the same).
  lostEvents: Record<string, number>;
  drain: { seconds: number; isTimedOut: boolean };
  // Ingest events of the run by status, after the drain.
  ingestEvents: Record<string, number>;
  isPassed: boolean;
  verdict: string;
};

// Where and how the load runs.
export type LoadSettings = LoadOptions & { baseUrl: string; databaseUrl: string; isServerUp: () => boolean; cpu: ReturnType<typeof cpuSubjects> };

// Runs `call` with a signal that aborts after REQUEST_TIMEOUT_MS. A timer of our own rather than
// AbortSignal.timeout(): in one run a fetch given that signal never settled, which held the phase open.
async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutError()), REQUEST_TIMEOUT_MS);
  try {
    return await call(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

class TimeoutError extends Error {
  constructor() {
    super(`no answer within ${REQUEST_TIMEOUT_MS} ms`);
    this.name = "TimeoutError";
  }
}

function failureLabel(error: unknown): string {
  return error instanceof Error && error.name === "TimeoutError" ? "timeout" : "network";
}

function readingKeys(rows: BaselineRow[]): ReadingKey[] {
  return rows.map((row) => ({ vendor: row.vendor, vendorRecordId: row.vendorRecordId, metric: row.metric }));
}

async function clinicianAccounts(databaseUrl: string): Promise<{ email: string; password: string }[]> {
  const rows = await withClient(databaseUrl, (client) =>
    client.query<{ email: string }>(`SELECT email FROM "User" WHERE role = 'clinician' AND email LIKE '%@bench.pulseboard.local' ORDER BY email`),
  );
  // The generated staff share the bench admin's password (generate.ts hashes it once for all of them).
  return rows.rows.length > 0 ? rows.rows.map((row) => ({ email: row.email, password: BENCH_ADMIN.password })) : [BENCH_ADMIN];
}

async function highWaterMarks(databaseUrl: string): Promise<{ reading: string; ingestEvent: string }> {
  return withClient(databaseUrl, async (client) => {
    const row = await client.query<{ reading: string; event: string }>(
      `SELECT (SELECT coalesce(max(id), 0) FROM "Reading")::text AS reading, (SELECT coalesce(max(id), 0) FROM "IngestEvent")::text AS event`,
    );
    return { reading: row.rows[0]?.reading ?? "0", ingestEvent: row.rows[0]?.event ?? "0" };
  });
}

// The outstanding readings PostgreSQL now has, with whether each was there before the run.
async function findStored(client: pg.Client, keys: ReadingKey[], readingMark: string): Promise<{ keys: ReadingKey[]; before: number }> {
  const found: ReadingKey[] = [];
  let before = 0;
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
    const chunk = keys.slice(i, i + LOOKUP_CHUNK);
    const rows = await client.query<ReadingKey & { isBefore: boolean }>(
      `SELECT r.vendor::text AS vendor, r."vendorRecordId", r.metric, r.id <= $4::bigint AS "isBefore"
         FROM unnest($1::"Vendor"[], $2::text[], $3::text[]) AS k(vendor, "vendorRecordId", metric)
         JOIN "Reading" r ON r.vendor = k.vendor AND r."vendorRecordId" = k."vendorRecordId" AND r.metric = k.metric`,
      [chunk.map((key) => key.vendor), chunk.map((key) => key.vendorRecordId), chunk.map((key) => key.metric), readingMark],
    );
    for (const row of rows.rows) {
      found.push({ vendor: row.vendor, vendorRecordId: row.vendorRecordId, metric: row.metric });
      if (row.isBefore) before += 1;
    }
  }
  return { keys: found, before };
}

// Polls until every acknowledged reading is stored or `drainSeconds` pass.
async function drain(settings: LoadSettings, ledger: ReturnType<typeof createLedger>, readingMark: string): Promise<{ seconds: number; isTimedOut: boolean; storedBefore: number }> {
  const started = performance.now();
  const deadline = started + settings.drainSeconds * 1000;
  let storedBefore = 0;
  return withClient(settings.databaseUrl, async (client) => {
    for (;;) {
      const found = await findStored(client, ledger.outstanding(), readingMark);
      ledger.markStored(found.keys);
      storedBefore += found.before;
      const isDone = ledger.outstanding().length === 0;
      if (isDone || performance.now() >= deadline) return { seconds: round((performance.now() - started) / 1000, 1), isTimedOut: !isDone, storedBefore };
      await sleep(DRAIN_POLL_MS);
    }
  });
}

async function ingestEventsSince(databaseUrl: string, mark: string): Promise<Record<string, number>> {
  return withClient(databaseUrl, async (client) => {
    const rows = await client.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "IngestEvent" WHERE id > $1::bigint GROUP BY 1 ORDER BY 1`, [mark]);
    return Object.fromEntries(rows.rows.map((row) => [row.status, row.n]));
  });
}

async function eventStatuses(databaseUrl: string, ids: string[]): Promise<Record<string, number>> {
  if (ids.length === 0) return {};
  return withClient(databaseUrl, async (client) => {
    const rows = await client.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "IngestEvent" WHERE id = ANY($1::bigint[]) GROUP BY 1 ORDER BY 1`, [ids]);
    return Object.fromEntries(rows.rows.map((row) => [row.status, row.n]));
  });
}

// A Validic bearer token, renewed every TOKEN_REFRESH_MS until stopped.
async function pushTokens(baseUrl: string, errors: ReturnType<typeof createErrorTally>): Promise<{ current: () => string; stop: () => void }> {
  let token = await fetchPushToken(baseUrl);
  const timer = setInterval(() => {
    fetchPushToken(baseUrl).then(
      (fresh) => (token = fresh),
      (error: unknown) => errors.add("validic token", error instanceof Error ? error.message : undefined),
    );
  }, TOKEN_REFRESH_MS);
  timer.unref();
  return { current: () => token, stop: () => clearInterval(timer) };
}

type Recorder = {
  ledger: ReturnType<typeof createLedger>;
  errors: ReturnType<typeof createErrorTally>;
  ackMs: Map<IngestShapeKey, number[]>;
  // Per kind: deliveries sent and acknowledged, and the readings those acknowledged carried.
  counts: Map<IngestShapeKey, { sent: number; acknowledged: number; readings: number }>;
  processing: Record<string, number>;
  inFlight: number;
};

// Sends one planned delivery; its latency runs from the planned time, so a sender that fell behind is not hidden.
async function deliver(settings: LoadSettings, shape: IngestShape, plannedAt: number, index: number, token: string, record: Recorder): Promise<void> {
  const payload = shape.make(index + 1);
  const counts = record.counts.get(shape.key) ?? { sent: 0, acknowledged: 0, readings: 0 };
  record.counts.set(shape.key, counts);
  counts.sent += 1;
  try {
    const { status, body } = await withTimeout((signal) => postDelivery(settings.baseUrl, shape.vendor, payload.body, token, signal));
    if (status < 200 || status >= 300) {
      record.errors.add(`${shape.key} ${status}`, body.error);
      return;
    }
    record.ledger.acknowledge(readingKeys(payload.rows), body.eventId);
    counts.acknowledged += 1;
    counts.readings += payload.rows.length;
    record.ackMs.get(shape.key)?.push(performance.now() - plannedAt);
    const processing = body.processing ?? "(not said)";
    record.processing[processing] = (record.processing[processing] ?? 0) + 1;
  } catch (error) {
    record.errors.add(`${shape.key} ${failureLabel(error)}`, error instanceof Error ? error.message : undefined);
  }
}

// Sends the schedule open-loop; returns how long sending took and the sender's worst lag.
async function sendSchedule(
  settings: LoadSettings,
  shapes: Map<IngestShapeKey, IngestShape>,
  schedule: PlannedSend[],
  token: () => string,
  record: Recorder,
  started: number,
): Promise<{ sendMs: number; maxLagMs: number }> {
  const inFlight = new Set<Promise<void>>();
  const settle = (sending: Promise<void>) => {
    inFlight.delete(sending);
    record.inFlight = inFlight.size;
  };
  let maxLagMs = 0;
  for (const send of schedule) {
    if (!settings.isServerUp()) break;
    const plannedAt = started + send.atMs;
    const wait = plannedAt - performance.now();
    if (wait > 1) await sleep(wait);
    maxLagMs = Math.max(maxLagMs, performance.now() - plannedAt);
    const shape = shapes.get(send.key);
    if (!shape) continue;
    if (inFlight.size >= MAX_IN_FLIGHT) {
      record.errors.add(`${send.key} not sent (${MAX_IN_FLIGHT} in flight)`);
      continue;
    }
    const sending: Promise<void> = deliver(settings, shape, plannedAt, send.index, token(), record).finally(() => settle(sending));
    inFlight.add(sending);
    record.inFlight = inFlight.size;
  }
  const sendMs = performance.now() - started;
  // Every delivery times out by itself; the bound here only makes sure the phase ends even if one never settles.
  const bound = new AbortController();
  await Promise.race([Promise.all(inFlight), sleep(REQUEST_TIMEOUT_MS + 5_000, undefined, { signal: bound.signal }).catch(() => undefined)]);
  bound.abort();
  for (const _ of inFlight) record.errors.add("unsettled delivery");
  return { sendMs, maxLagMs };
}

// One clinician until `deadline`: the pages in turn (starting at a different one each), a random active patient,
// a pause of 0.5–1.5 × thinkMs between pages. Each starts at a random moment of the first thinkMs: started together,
// all clinicians' first pages queued behind each other (~0.5 s, the run's slowest views), which people never do.
async function browse(
  settings: LoadSettings,
  cookies: CookieJar,
  first: number,
  patientIds: string[],
  random: () => number,
  deadline: number,
  pageMs: Map<string, number[]>,
  errors: ReturnType<typeof createErrorTally>,
): Promise<void> {
  await sleep(settings.thinkMs * random());
  for (let step = first; performance.now() < deadline && settings.isServerUp(); step++) {
    const page = LOAD_PAGES[step % LOAD_PAGES.length];
    const patientId = patientIds[Math.floor(random() * patientIds.length)] ?? "";
    if (!page) return;
    const sent = performance.now();
    try {
      const result = await withTimeout((signal) => fetchPage(settings.baseUrl, page.path(patientId), cookies, signal));
      if (result.ok) pageMs.get(page.name)?.push(performance.now() - sent);
      else errors.add(`page ${result.status}`, result.detail);
    } catch (error) {
      errors.add(`page ${failureLabel(error)}`, `${page.name}: ${error instanceof Error ? error.message : "failed"}`);
    }
    const pause = Math.min(settings.thinkMs * (0.5 + random()), deadline - performance.now());
    if (pause > 0) await sleep(pause);
  }
}

async function signInClinicians(settings: LoadSettings, errors: ReturnType<typeof createErrorTally>): Promise<CookieJar[]> {
  const accounts = await clinicianAccounts(settings.databaseUrl);
  const cookies = await Promise.all(
    Array.from({ length: settings.clinicians }, async (_, i) => {
      const account = accounts[i % accounts.length] ?? BENCH_ADMIN;
      try {
        return await signIn(settings.baseUrl, account);
      } catch (error) {
        errors.add("sign-in", error instanceof Error ? error.message : undefined);
        return null;
      }
    }),
  );
  return cookies.filter((jar): jar is CookieJar => jar !== null);
}

// One delivery of each kind and one view of each page before the clock starts (route code loaded, connection pools
// open), as a server that has been up a while would be. Their readings are accounted for and their errors count;
// their latencies are not measured.
async function warmUp(settings: LoadSettings, shapes: IngestShape[], token: string, cookies: CookieJar | undefined, patientId: string, record: Recorder): Promise<void> {
  const unmeasured: Recorder = { ...record, ackMs: new Map(), counts: new Map(), processing: {} };
  for (const [i, shape] of shapes.entries()) await deliver(settings, shape, performance.now(), WARM_UP_INDEX + i, token, unmeasured);
  if (!cookies) return;
  for (const page of LOAD_PAGES) {
    const result = await withTimeout((signal) => fetchPage(settings.baseUrl, page.path(patientId), cookies, signal)).catch((error: unknown) => ({
      ok: false,
      status: 0,
      detail: error instanceof Error ? error.message : "failed",
    }));
    if (!result.ok) record.errors.add(`page ${result.status || "network"}`, result.detail);
  }
}

// Readings per request of each kind, from a sample of its payloads (they vary with the senders' device types).
function readingsPerRequest(shape: IngestShape): number {
  const sample = Array.from({ length: 50 }, (_, i) => shape.make(900_000_000 + i).rows.length);
  return Math.max(1, sample.reduce((sum, n) => sum + n, 0) / sample.length);
}

// Runs the load phase: sign-ins, then ingest and browsing together for `seconds`, then the drain and the check.
export async function runLoadPhase(settings: LoadSettings, log: (message: string) => void): Promise<LoadPhaseResult> {
  assertLoopback(settings.baseUrl);
  const errors = createErrorTally();
  const record: Recorder = { ledger: createLedger(), errors, ackMs: new Map(), counts: new Map(), processing: {}, inFlight: 0 };
  const all = await ingestShapes(settings.databaseUrl, SEED);
  const shapes = new Map(all.filter((shape) => LOAD_MIX.some((kind) => kind.key === shape.key)).map((shape) => [shape.key, shape]));
  const kinds = LOAD_MIX.flatMap((kind) => {
    const shape = shapes.get(kind.key);
    return shape ? [{ ...kind, readingsPerRequest: readingsPerRequest(shape) }] : [];
  });
  const schedule = pacingSchedule({ readingsPerSecond: settings.readingsPerSecond, seconds: settings.seconds, kinds });
  for (const kind of kinds) record.ackMs.set(kind.key, []);
  const patientIds = await activePatients(settings.databaseUrl);
  const cookies = await signInClinicians(settings, errors);
  const marks = await highWaterMarks(settings.databaseUrl);
  const tokens = await pushTokens(settings.baseUrl, errors);
  await warmUp(settings, [...shapes.values()], tokens.current(), cookies[0], patientIds[0] ?? "", record);
  const pageMs = new Map(LOAD_PAGES.map((page) => [page.name, [] as number[]]));
  log(`  ${schedule.length} deliveries planned over ${settings.seconds} s (${settings.readingsPerSecond} readings/s), ${cookies.length} clinicians browsing`);

  const started = performance.now();
  const deadline = started + settings.seconds * 1000;
  const random = seededRandom(SEED).next;
  const progress = setInterval(() => logProgress(record, pageMs, started, log), PROGRESS_EVERY_MS);
  const run = await measureCpu(settings.cpu, () =>
    Promise.all([
      sendSchedule(settings, shapes, schedule, tokens.current, record, started),
      ...cookies.map((jar, i) => browse(settings, jar, i, patientIds, random, deadline, pageMs, errors)),
    ]),
  ).finally(() => {
    clearInterval(progress);
    tokens.stop();
  });
  const runMs = performance.now() - started;
  const [sending] = run.result;
  if (!settings.isServerUp()) throw new Error("the web server or worker died during the load phase");

  const drained = await drain(settings, record.ledger, marks.reading);
  const ingestEvents = await ingestEventsSince(settings.databaseUrl, marks.ingestEvent);
  const lostEvents = await eventStatuses(settings.databaseUrl, record.ledger.outstandingEventIds());
  const readings = { ...record.ledger.summary(), storedBefore: drained.storedBefore };
  const verdict = loadVerdict({ errors: errors.total(), lost: readings.lost, acknowledged: readings.acknowledged });
  const sendSeconds = sending.sendMs / 1000;
  // The warm-up's readings are in the ledger (they must be stored too) but not in the rate.
  const measuredReadings = [...record.counts.values()].reduce((sum, count) => sum + count.readings, 0);
  const achieved = measuredReadings / Math.max(0.001, sendSeconds);
  const result: LoadPhaseResult = {
    target: { readingsPerSecond: settings.readingsPerSecond, seconds: settings.seconds, clinicians: settings.clinicians },
    sendSeconds: round(sendSeconds, 1),
    achievedReadingsPerSecond: round(achieved, 0),
    ratioToTarget: ratio(achieved, settings.readingsPerSecond),
    maxSendLagMs: round(sending.maxLagMs, 0),
    webCpuSeconds: round(run.webCpuMs / 1000, 1),
    webCores: round(run.webCpuMs / Math.max(1, runMs)),
    ingest: kinds.map((kind) => ({
      name: shapes.get(kind.key)?.name ?? kind.key,
      planned: schedule.filter((send) => send.key === kind.key).length,
      sent: record.counts.get(kind.key)?.sent ?? 0,
      acknowledged: record.counts.get(kind.key)?.acknowledged ?? 0,
      ackMs: summarize(record.ackMs.get(kind.key) ?? []),
    })),
    processing: record.processing,
    pages: LOAD_PAGES.map((page) => ({ name: page.name, views: pageMs.get(page.name)?.length ?? 0, pageMs: summarize(pageMs.get(page.name) ?? []) })),
    errors: { total: errors.total(), byLabel: errors.byLabel, samples: errors.samples },
    readings,
    lostEvents,
    drain: { seconds: drained.seconds, isTimedOut: drained.isTimedOut },
    ingestEvents,
    isPassed: verdict.isPassed,
    verdict: verdict.isPassed ? "PASS (errors 0, lost 0)" : `FAIL: ${verdict.reasons.join(", ")}`,
  };
  logLoadResult(result, log);
  return result;
}

function logProgress(record: Recorder, pageMs: Map<string, number[]>, started: number, log: (message: string) => void): void {
  const counts = [...record.counts.values()];
  const sent = counts.reduce((sum, count) => sum + count.sent, 0);
  const acknowledged = counts.reduce((sum, count) => sum + count.acknowledged, 0);
  const views = [...pageMs.values()].reduce((sum, samples) => sum + samples.length, 0);
  const seconds = Math.round((performance.now() - started) / 1000);
  log(`  ${seconds} s: ${sent} deliveries sent, ${acknowledged} acknowledged, ${record.inFlight} in flight, ${views} page views, ${record.errors.total()} errors`);
}

function logLoadResult(result: LoadPhaseResult, log: (message: string) => void): void {
  log(`  sent for ${result.sendSeconds} s: ${result.achievedReadingsPerSecond} acknowledged readings/s of ${result.target.readingsPerSecond} (${result.ratioToTarget}), sender lag max ${result.maxSendLagMs} ms`);
  log(`  web server CPU ${result.webCpuSeconds} s (${result.webCores} of one core over the run)`);
  for (const kind of result.ingest) {
    log(`  ${kind.name}: ${kind.acknowledged}/${kind.sent} acknowledged (${kind.planned} planned), ack p50 ${kind.ackMs.p50} ms p95 ${kind.ackMs.p95} ms p99 ${kind.ackMs.p99} ms`);
  }
  for (const page of result.pages) log(`  ${page.name}: ${page.views} views, p50 ${page.pageMs.p50} ms p95 ${page.pageMs.p95} ms p99 ${page.pageMs.p99} ms`);
  const r = result.readings;
  log(`  readings: ${r.acknowledged} acknowledged, ${r.stored} in the database (${r.storedBefore} from before the run), ${r.lost} lost; drain ${result.drain.seconds} s${result.drain.isTimedOut ? " (timed out)" : ""}`);
  if (r.lost > 0) log(`  the ingest events holding lost readings: ${JSON.stringify(result.lostEvents)}; e.g. ${r.lostSamples.slice(0, 2).join(" | ")}`);
  log(`  ingest events: ${JSON.stringify(result.ingestEvents)}; acknowledgements said processing ${JSON.stringify(result.processing)}`);
  if (result.errors.total > 0) log(`  errors: ${JSON.stringify(result.errors.byLabel)}; e.g. ${result.errors.samples.slice(0, 3).join(" | ")}`);
  log(`load: ${result.verdict}`);
}
