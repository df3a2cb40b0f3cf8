import { performance } from "node:perf_hooks";
import pg from "pg";

import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";
import { withClient } from "@/scripts/bench/database";
import { runClosedLoop, type LoadResult } from "@/scripts/bench/closed-loop";
import { postDelivery } from "@/scripts/bench/ingest-post";
import { measureCpu, type cpuSubjects } from "@/scripts/bench/memory";
import type { IngestShapeKey } from "@/scripts/bench/options";
import { seededRandom } from "@/lib/seed/random";
import { createClock, loadSenders, tenoviWebhook, validicBatch, type BaselineRow, type Payload, type Sender } from "@/scripts/bench/payloads";
import { ratio, round, summarize, type LatencySummary } from "@/scripts/bench/stats";

// The ingest benchmark: Validic push batches and Tenovi webhooks through the real routes (token, header check, raw
// store, answer) and the worker (which processes what was stored), at several concurrency levels, each followed by
// the same number of the same reading rows written straight into PostgreSQL with a multi-row INSERT … ON CONFLICT
// DO NOTHING, at the same concurrency and batch size: the ceiling the pipeline is compared with. Throughput counts
// readings stored until the worker has processed every event of the scenario, not until the last answer.

// One vendor shape: how a request body is made and how many records it carries.
export type IngestShape = { key: IngestShapeKey; name: string; vendor: "validic" | "tenovi"; recordsPerRequest: number; make: (index: number) => Payload };

// What one scenario (shape × concurrency) measured.
export type IngestScenarioResult = {
  name: string;
  concurrency: number;
  recordsPerRequest: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  // Events the worker marked failed, and events still unprocessed when the scenario gave up waiting.
  processingFailed: number;
  unprocessed: number;
  readingsStored: number;
  // Until the last answer, and until the worker had processed every event (the throughput's clock).
  ackSeconds: number;
  seconds: number;
  readingsPerSecond: number;
  ackMs: LatencySummary;
  // CPU per 1,000 readings stored: web server, worker and PostgreSQL through HTTP; PostgreSQL for the baseline.
  cpuMsPer1000Readings: { web: number; worker: number; postgres: number };
  baseline: {
    requests: number;
    rows: number;
    seconds: number;
    readingsPerSecond: number;
    insertMs: LatencySummary;
    postgresCpuMsPer1000Readings: number;
    // Why the baseline could not run, when it could not.
    error: string | null;
  };
  // HTTP readings/s over baseline readings/s.
  ratioToBaseline: number;
};

// Scenario bounds and levels.
export type IngestSettings = {
  baseUrl: string;
  databaseUrl: string;
  concurrency: number[];
  seconds: number;
  maxReadings: number;
  cpu: ReturnType<typeof cpuSubjects>;
  // False once the web server has died; the scenarios stop instead of counting refused connections.
  isServerUp: () => boolean;
  shapes: IngestShapeKey[];
};

const INSERT_COLUMNS = [
  "patientId", "deviceId", "vendor", "vendorRecordId", "metric", "value", "value2", "unit", "measuredAt", "utcOffsetSeconds", "origin", "flags",
  "mealContext", "arrival", "updatedAt",
] as const;

// A bearer token from the push token endpoint, with the client credentials the simulator mode accepts.
export async function fetchPushToken(baseUrl: string): Promise<string> {
  const { pushClientId, pushClientSecret } = SIMULATOR_CREDENTIALS.validic;
  const response = await fetch(`${baseUrl}/api/ingest/validic/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${Buffer.from(`${pushClientId}:${pushClientSecret}`).toString("base64")}` },
    body: "grant_type=client_credentials",
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) throw new Error(`token endpoint answered ${response.status}`);
  return body.access_token;
}

// The four shapes of the benchmark over the generated clinic's devices.
export async function ingestShapes(databaseUrl: string, seed: number): Promise<IngestShape[]> {
  const [validic, tenovi] = await withClient(databaseUrl, async (client) => [await loadSenders(client, "validic"), await loadSenders(client, "tenovi")] as const);
  const clock = createClock();
  const random = seededRandom(seed).next;
  // Senders rotate, so consecutive requests come from different patients, as they do in a clinic.
  const bpTenovi = tenovi.filter((sender: Sender) => sender.category === "blood_pressure");
  return [
    { key: "validic100", name: "Validic push ×100", vendor: "validic", recordsPerRequest: 100, make: (index) => validicBatch(validic, 100, index * 100, clock, random) },
    { key: "validic1000", name: "Validic push ×1000", vendor: "validic", recordsPerRequest: 1000, make: (index) => validicBatch(validic, 1000, index * 1000, clock, random) },
    { key: "tenovi-single", name: "Tenovi webhook, single", vendor: "tenovi", recordsPerRequest: 1, make: (index) => tenoviWebhook(tenovi, "single", index, clock, random) },
    // A blood-pressure measurement as post_as_array sends it: blood_pressure and pulse rows together.
    { key: "tenovi-array", name: "Tenovi webhook, array", vendor: "tenovi", recordsPerRequest: 1, make: (index) => tenoviWebhook(bpTenovi.length > 0 ? bpTenovi : tenovi, "array", index, clock, random) },
  ];
}

async function maxReadingId(databaseUrl: string): Promise<bigint> {
  return withClient(databaseUrl, async (client) => BigInt((await client.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM "Reading"`)).rows[0]?.id ?? "0"));
}

async function readingsSince(databaseUrl: string, id: bigint): Promise<number> {
  return withClient(databaseUrl, async (client) => Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "Reading" WHERE id > $1`, [String(id)])).rows[0]?.n ?? 0));
}

// Starts a new checkpoint cycle, so the pipeline and its baseline each begin with every page due a full-page image
// in the WAL on its first change (PostgreSQL logs one per page touched after a checkpoint). Run back to back without
// it, the baseline wrote into index pages the pipeline had just paid those images for: ~1.3 KB of WAL per reading
// against the pipeline's ~3.4 KB. Needs superuser or pg_checkpoint (the bench's own cluster has it); a server that
// refuses runs both back to back, as before.
async function startCheckpointCycle(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, (client) => client.query("CHECKPOINT")).catch(() => undefined);
}

// The newest ingest event's id (0 when there is none): what a phase's events come after.
export async function maxEventId(databaseUrl: string): Promise<bigint> {
  return withClient(databaseUrl, async (client) => BigInt((await client.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM "IngestEvent"`)).rows[0]?.id ?? "0"));
}

// Waits until the worker has processed every event stored after `afterId` (or `timeoutMs` passed); returns how many
// are still pending and how many it marked failed.
export async function waitForProcessing(databaseUrl: string, afterId: bigint, timeoutMs: number, pollMs = 20): Promise<{ pending: number; failed: number }> {
  const deadline = performance.now() + timeoutMs;
  return withClient(databaseUrl, async (client) => {
    for (;;) {
      const row = (
        await client.query<{ pending: string; failed: string }>(
          `SELECT count(*) FILTER (WHERE status = 'received')::text AS pending, count(*) FILTER (WHERE status = 'failed')::text AS failed FROM "IngestEvent" WHERE id > $1`,
          [String(afterId)],
        )
      ).rows[0];
      const pending = Number(row?.pending ?? 0);
      if (pending === 0 || performance.now() > deadline) return { pending, failed: Number(row?.failed ?? 0) };
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  });
}

async function sendOne(settings: IngestSettings, shape: IngestShape, payload: Payload, token: string): Promise<{ ok: boolean; detail?: string }> {
  const { status, body } = await postDelivery(settings.baseUrl, shape.vendor, payload.body, token);
  const ok = status === 200 && body.status === "accepted";
  return { ok, detail: ok ? undefined : `${status} ${body.error ?? body.status ?? ""}` };
}

function insertStatement(rows: BaselineRow[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const fields = [
      row.patientId, row.deviceId, row.vendor, row.vendorRecordId, row.metric, row.value, row.value2, row.unit, row.measuredAt, row.utcOffsetSeconds,
      row.origin, row.flags, row.mealContext, row.arrival, new Date(),
    ];
    const placeholders = fields.map((field) => {
      values.push(field);
      return `$${values.length}`;
    });
    return `(${placeholders.join(", ")})`;
  });
  const columns = INSERT_COLUMNS.map((column) => `"${column}"`).join(", ");
  return { text: `INSERT INTO "Reading" (${columns}) VALUES ${tuples.join(", ")} ON CONFLICT DO NOTHING`, values };
}

async function runBaseline(settings: IngestSettings, shape: IngestShape, concurrency: number, requests: number): Promise<{ load: LoadResult; stored: number; postgresCpuMs: number }> {
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: concurrency });
  try {
    // Connections are opened before the clock starts, as the app's pool already has them.
    await Promise.all(Array.from({ length: concurrency }, async () => (await pool.connect()).release()));
    await startCheckpointCycle(settings.databaseUrl);
    const before = await maxReadingId(settings.databaseUrl);
    const run = await measureCpu(settings.cpu, () =>
      runClosedLoop({
        concurrency,
        maxItems: requests,
        seconds: settings.seconds * 4,
        call: async (index) => {
          const payload = shape.make(1_000_000 + index);
          const result = await pool.query(insertStatement(payload.rows));
          return { ok: true, units: result.rowCount ?? 0 };
        },
      }),
    );
    return { load: run.result, stored: await readingsSince(settings.databaseUrl, before), postgresCpuMs: run.postgresCpuMs };
  } finally {
    await pool.end();
  }
}

const per1000 = (ms: number, readings: number) => round((ms * 1000) / Math.max(1, readings), 0);

// How long a scenario waits for the worker to catch up after the last answer.
const PROCESSING_TIMEOUT_MS = 180_000;

// Runs one shape at one concurrency through HTTP (and the worker, until it has processed everything), then its
// baseline.
export async function runIngestScenario(settings: IngestSettings, shape: IngestShape, concurrency: number, token: string): Promise<IngestScenarioResult> {
  const before = await maxReadingId(settings.databaseUrl);
  const firstEvent = await maxEventId(settings.databaseUrl);
  let baselineError: string | null = null;
  await startCheckpointCycle(settings.databaseUrl);
  const readingsPerRequest = Math.max(1, shape.make(0).rows.length);
  const started = performance.now();
  let ackElapsedMs = 0;
  const run = await measureCpu(settings.cpu, async () => {
    const load = await runClosedLoop({
      concurrency,
      maxItems: Math.max(concurrency, Math.ceil(settings.maxReadings / readingsPerRequest)),
      seconds: settings.seconds,
      call: async (index) => {
        const payload = shape.make(index + 1);
        const sent = await sendOne(settings, shape, payload, token);
        return { ok: sent.ok, units: payload.rows.length, detail: sent.detail };
      },
    });
    ackElapsedMs = performance.now() - started;
    const processing = await waitForProcessing(settings.databaseUrl, firstEvent, PROCESSING_TIMEOUT_MS);
    return { load, processing };
  });
  const processedElapsedMs = performance.now() - started;
  const { load, processing } = run.result;
  const stored = await readingsSince(settings.databaseUrl, before);
  const requests = load.okCount + load.errorCount;
  // A baseline that cannot run (a shared server out of connections) leaves the scenario's own figures standing.
  const baseline = await runBaseline(settings, shape, concurrency, requests).catch((error: unknown) => {
    baselineError = error instanceof Error ? error.message : String(error);
    return { load: { latenciesMs: [], okCount: 0, errorCount: 0, units: 0, elapsedMs: 1, errors: [] }, stored: 0, postgresCpuMs: 0 };
  });
  const pipelineRate = stored / (processedElapsedMs / 1000);
  const baselineRate = baseline.stored / (baseline.load.elapsedMs / 1000);
  return {
    name: shape.name,
    concurrency,
    recordsPerRequest: shape.recordsPerRequest,
    requests,
    errors: load.errorCount,
    errorSamples: load.errors,
    processingFailed: processing.failed,
    unprocessed: processing.pending,
    readingsStored: stored,
    ackSeconds: round(ackElapsedMs / 1000),
    seconds: round(processedElapsedMs / 1000),
    readingsPerSecond: round(pipelineRate, 0),
    ackMs: summarize(load.latenciesMs),
    cpuMsPer1000Readings: { web: per1000(run.webCpuMs, stored), worker: per1000(run.workerCpuMs, stored), postgres: per1000(run.postgresCpuMs, stored) },
    baseline: {
      requests: baseline.load.okCount,
      rows: baseline.stored,
      seconds: round(baseline.load.elapsedMs / 1000),
      readingsPerSecond: round(baselineRate, 0),
      insertMs: summarize(baseline.load.latenciesMs),
      postgresCpuMsPer1000Readings: per1000(baseline.postgresCpuMs, baseline.stored),
      error: baselineError,
    },
    ratioToBaseline: baselineError ? 0 : ratio(pipelineRate, baselineRate),
  };
}

// Runs every shape at every concurrency level, handing each result to `onResult` as it is measured.
export async function runIngestBenchmark(
  settings: IngestSettings,
  log: (message: string) => void,
  onResult: (result: IngestScenarioResult) => void = () => undefined,
): Promise<IngestScenarioResult[]> {
  const token = await fetchPushToken(settings.baseUrl);
  const shapes = (await ingestShapes(settings.databaseUrl, 20261122)).filter((shape) => settings.shapes.includes(shape.key));
  const results: IngestScenarioResult[] = [];
  for (const shape of shapes) {
    for (const concurrency of settings.concurrency) {
      const started = performance.now();
      const result = await runIngestScenario(settings, shape, concurrency, token);
      if (!settings.isServerUp()) throw new Error(`the web server died during ${shape.name} × ${concurrency}`);
      results.push(result);
      onResult(result);
      log(
        `  ${shape.name} × ${concurrency}: ${result.readingsPerSecond} readings/s (baseline ${result.baseline.readingsPerSecond}, ratio ${result.ratioToBaseline}), ` +
          `ack p50 ${result.ackMs.p50} ms p95 ${result.ackMs.p95} ms p99 ${result.ackMs.p99} ms, ${result.requests} requests, ${result.errors} errors, ` +
          `answered in ${result.ackSeconds} s, processed in ${result.seconds} s (${result.processingFailed} failed, ${result.unprocessed} unprocessed); ` +
          `CPU ms per 1,000 readings: web ${result.cpuMsPer1000Readings.web}, worker ${result.cpuMsPer1000Readings.worker}, PostgreSQL ${result.cpuMsPer1000Readings.postgres} (baseline ${result.baseline.postgresCpuMsPer1000Readings}) ` +
          `(${round((performance.now() - started) / 1000, 1)} s)`,
      );
    }
  }
  return results;
}
