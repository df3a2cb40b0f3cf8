import { performance } from "node:perf_hooks";

import { fetchPushToken, ingestShapes, type IngestShape } from "@/scripts/bench/ingest";
import { runClosedLoop } from "@/scripts/bench/closed-loop";
import type { MemorySampler } from "@/scripts/bench/memory";
import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";
import { round, summarize, type LatencySummary } from "@/scripts/bench/stats";

// Sustained ingest for a configurable time (BENCH_SOAK_SECONDS; 600 for the 10-minute memory-flatness check):
// Tenovi webhooks from several senders and Validic batches together, with the web process's RSS sampled each second.

// RSS over the run and what the ingest did meanwhile.
export type SoakResult = {
  seconds: number;
  requests: number;
  errors: number;
  readings: number;
  ackMs: LatencySummary;
  rssMiB: { atSeconds: number; rssMiB: number }[];
  startRssMiB: number;
  endRssMiB: number;
  peakRssMiB: number;
  // Least-squares slope of RSS over the second half of the run; near zero when memory is flat.
  secondHalfSlopeMiBPerMinute: number;
};

function slope(points: { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((s, p) => s + p.x, 0) / points.length;
  const meanY = points.reduce((s, p) => s + p.y, 0) / points.length;
  const num = points.reduce((s, p) => s + (p.x - meanX) * (p.y - meanY), 0);
  const den = points.reduce((s, p) => s + (p.x - meanX) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function post(baseUrl: string, shape: IngestShape, body: string, token: string): Promise<boolean> {
  const authorization = shape.vendor === "validic" ? `Bearer ${token}` : SIMULATOR_CREDENTIALS.tenovi.webhookAuthKey;
  const response = await fetch(`${baseUrl}/api/ingest/${shape.vendor}`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: authorization }, body });
  await response.arrayBuffer();
  return response.ok;
}

// Runs the mixed load for `seconds` while sampling memory every second.
export async function runSoak(settings: { baseUrl: string; databaseUrl: string; seconds: number }, memory: MemorySampler): Promise<SoakResult> {
  const token = await fetchPushToken(settings.baseUrl);
  const [validic100, , tenoviSingle, tenoviArray] = await ingestShapes(settings.databaseUrl, 777);
  if (!validic100 || !tenoviSingle || !tenoviArray) throw new Error("ingest shapes missing");
  const started = performance.now();
  const samples: { atSeconds: number; rssMiB: number }[] = [];
  const timer = setInterval(() => {
    memory.sample();
    const last = memory.samples.at(-1);
    if (last) samples.push({ atSeconds: round((performance.now() - started) / 1000, 1), rssMiB: last.rssMiB });
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
  const rss = samples.map((s) => s.rssMiB);
  const half = samples.filter((s) => s.atSeconds >= settings.seconds / 2);
  return {
    seconds: round((performance.now() - started) / 1000, 1),
    requests: loads.reduce((sum, load) => sum + load.okCount + load.errorCount, 0),
    errors: loads.reduce((sum, load) => sum + load.errorCount, 0),
    readings: loads.reduce((sum, load) => sum + load.units, 0),
    ackMs: summarize(loads.flatMap((load) => load.latenciesMs)),
    rssMiB: samples,
    startRssMiB: rss[0] ?? 0,
    endRssMiB: rss.at(-1) ?? 0,
    peakRssMiB: Math.max(0, ...rss),
    secondHalfSlopeMiBPerMinute: round(slope(half.map((s) => ({ x: s.atSeconds / 60, y: s.rssMiB })))),
  };
}
