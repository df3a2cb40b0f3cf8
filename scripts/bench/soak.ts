import { performance } from "node:perf_hooks";

import { fetchPushToken, ingestShapes, maxEventId, waitForProcessing, type IngestShape } from "@/scripts/bench/ingest";
import { runClosedLoop } from "@/scripts/bench/closed-loop";
import { postDelivery } from "@/scripts/bench/ingest-post";
import type { MemorySampler } from "@/scripts/bench/memory";
import { round, summarize, type LatencySummary } from "@/scripts/bench/stats";

// Sustained ingest for a configurable time (BENCH_SOAK_SECONDS; 600 for the 10-minute memory-flatness check):
// Tenovi webhooks from several senders and Validic batches together, with the RSS of the web process and of the
// worker (which processes it all) sampled each second.

// One process's RSS over the run.
export type RssTrack = {
  samples: { atSeconds: number; rssMiB: number }[];
  startRssMiB: number;
  endRssMiB: number;
  peakRssMiB: number;
  // The highest RSS of each half of the run: a leak raises the second above the first, while the sawtooth of
  // garbage collection (hundreds of MiB up and down every minute or two) does not.
  firstHalfPeakRssMiB: number;
  secondHalfPeakRssMiB: number;
  // Least-squares slope of RSS over the second half; informative only, since a collection near either end of the
  // half tilts it.
  secondHalfSlopeMiBPerMinute: number;
};

// RSS over the run and what the ingest did meanwhile.
export type SoakResult = {
  seconds: number;
  requests: number;
  errors: number;
  readings: number;
  ackMs: LatencySummary;
  web: RssTrack;
  worker: RssTrack | null;
  // The worker's lag: deliveries still unprocessed when sending stopped, and how long it then took to process them
  // (null: not within DRAIN_TIMEOUT_MS). Closed-loop senders go as fast as acknowledgements allow, which can be
  // faster than processing; the wait also keeps the backlog out of the next phase.
  processing: { pendingAtEnd: number; drainedInSeconds: number | null };
};

const DRAIN_TIMEOUT_MS = 600_000;

// Memory counts as flat when the second half's peak RSS is at most this much above the first half's.
const FLAT_MEMORY_PEAK_GROWTH = 0.05;

// Whether a process's memory stayed flat over the run (FLAT_MEMORY_PEAK_GROWTH).
export function isFlat(track: RssTrack): boolean {
  return track.secondHalfPeakRssMiB <= track.firstHalfPeakRssMiB * (1 + FLAT_MEMORY_PEAK_GROWTH);
}

function slope(points: { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((s, p) => s + p.x, 0) / points.length;
  const meanY = points.reduce((s, p) => s + p.y, 0) / points.length;
  const num = points.reduce((s, p) => s + (p.x - meanX) * (p.y - meanY), 0);
  const den = points.reduce((s, p) => s + (p.x - meanX) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function post(baseUrl: string, shape: IngestShape, body: string, token: string): Promise<boolean> {
  const answer = await postDelivery(baseUrl, shape.vendor, body, token);
  return answer.status >= 200 && answer.status < 300;
}

function track(samples: { atSeconds: number; rssMiB: number }[], seconds: number): RssTrack {
  const rss = samples.map((sample) => sample.rssMiB);
  const half = samples.filter((sample) => sample.atSeconds >= seconds / 2);
  const firstHalf = samples.filter((sample) => sample.atSeconds < seconds / 2);
  return {
    samples,
    startRssMiB: rss[0] ?? 0,
    endRssMiB: rss.at(-1) ?? 0,
    peakRssMiB: Math.max(0, ...rss),
    firstHalfPeakRssMiB: Math.max(0, ...firstHalf.map((sample) => sample.rssMiB)),
    secondHalfPeakRssMiB: Math.max(0, ...half.map((sample) => sample.rssMiB)),
    secondHalfSlopeMiBPerMinute: round(slope(half.map((sample) => ({ x: sample.atSeconds / 60, y: sample.rssMiB })))),
  };
}

// Runs the mixed load for `seconds` while sampling the web server's (and the worker's) memory every second.
export async function runSoak(
  settings: { baseUrl: string; databaseUrl: string; seconds: number },
  memory: { web: MemorySampler; worker: MemorySampler | null },
): Promise<SoakResult> {
  const token = await fetchPushToken(settings.baseUrl);
  const [validic100, , tenoviSingle, tenoviArray] = await ingestShapes(settings.databaseUrl, 777);
  if (!validic100 || !tenoviSingle || !tenoviArray) throw new Error("ingest shapes missing");
  const firstEvent = await maxEventId(settings.databaseUrl);
  const started = performance.now();
  const samples = { web: [] as RssTrack["samples"], worker: [] as RssTrack["samples"] };
  const record = (sampler: MemorySampler, into: RssTrack["samples"]) => {
    sampler.sample();
    const last = sampler.samples.at(-1);
    if (last) into.push({ atSeconds: round((performance.now() - started) / 1000, 1), rssMiB: last.rssMiB });
  };
  const timer = setInterval(() => {
    record(memory.web, samples.web);
    if (memory.worker) record(memory.worker, samples.worker);
  }, 1000);
  const sender = (shape: IngestShape, concurrency: number, offset: number) =>
    runClosedLoop({
      concurrency,
      maxItems: Number.MAX_SAFE_INTEGER,
      seconds: settings.seconds,
      call: async (index) => {
        const payload = shape.make(offset + index);
        return { ok: await post(settings.baseUrl, shape, payload.body, token), units: payload.rows.length };
      },
    });
  const loads = await Promise.all([sender(tenoviSingle, 4, 5_000_000), sender(tenoviArray, 4, 6_000_000), sender(validic100, 1, 7_000_000)]);
  clearInterval(timer);
  const seconds = round((performance.now() - started) / 1000, 1);
  const pendingAtEnd = (await waitForProcessing(settings.databaseUrl, firstEvent, 0)).pending;
  const drainStarted = performance.now();
  const drained = await waitForProcessing(settings.databaseUrl, firstEvent, DRAIN_TIMEOUT_MS, 1_000);
  return {
    seconds,
    requests: loads.reduce((sum, load) => sum + load.okCount + load.errorCount, 0),
    errors: loads.reduce((sum, load) => sum + load.errorCount, 0),
    readings: loads.reduce((sum, load) => sum + load.units, 0),
    ackMs: summarize(loads.flatMap((load) => load.latenciesMs)),
    web: track(samples.web, settings.seconds),
    worker: memory.worker ? track(samples.worker, settings.seconds) : null,
    processing: { pendingAtEnd, drainedInSeconds: drained.pending === 0 ? round((performance.now() - drainStarted) / 1000, 1) : null },
  };
}
