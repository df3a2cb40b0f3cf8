import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import type { BrowserViewResult } from "@/scripts/bench/browser-views";
import type { ExplainedQuery } from "@/scripts/bench/explain";
import type { DatasetMarker } from "@/scripts/bench/generate";
import type { IngestScenarioResult } from "@/scripts/bench/ingest";
import type { LoadPhaseResult } from "@/scripts/bench/load";
import type { PageResult } from "@/scripts/bench/pages";
import { isFlat, type RssTrack, type SoakResult } from "@/scripts/bench/soak";

// The benchmark's output: terminal tables, a JSON file with every number, and the same tables in Markdown (for the
// README) under bench-results/ (git-ignored).

// Everything one run measured.
export type BenchReport = {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; os: string; node: string; postgres: string; database: string; loadAverageAtStart: number[] };
  dataset: DatasetMarker;
  ingest: IngestScenarioResult[];
  pages: PageResult[];
  views: BrowserViewResult[];
  memory: {
    webPeakRssMiB: number;
    webPeakHwmMiB: number;
    byPhase: Record<string, { peakRssMiB: number; lastRssMiB: number }>;
    workerPeakRssMiB: number;
    workerPeakHwmMiB: number;
  };
  soak: SoakResult | null;
  load: LoadPhaseResult | null;
  plans: ExplainedQuery[];
  // What went wrong (a phase that could not finish), in words.
  errors: string[];
  targets: TargetCheck[];
};

// One target of the issue and whether this run met it.
export type TargetCheck = { target: string; measured: string; isMet: boolean };

// The machine, for the figures' provenance.
export function describeMachine(postgres: string, database: string): BenchReport["machine"] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    database,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

// RSS start → end (peak) and the second-half slope of the web server and the worker over a soak.
export function describeSoakMemory(soak: SoakResult): string {
  const describe = (name: string, track: RssTrack) =>
    `${name} RSS ${track.startRssMiB} → ${track.endRssMiB} MiB, peak ${track.firstHalfPeakRssMiB} in the first half and ${track.secondHalfPeakRssMiB} in the second (slope ${track.secondHalfSlopeMiBPerMinute} MiB/min)`;
  return [describe("web", soak.web), ...(soak.worker ? [describe("worker", soak.worker)] : [])].join("; ");
}

// Checks the issues' targets against the results (2-core machine figures).
export function checkTargets(ingest: IngestScenarioResult[], pages: PageResult[], load: LoadPhaseResult | null = null, soak: SoakResult | null = null): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const thousand = ingest.filter((result) => result.recordsPerRequest === 1000);
  if (thousand.length > 0) {
    const best = thousand.reduce((a, b) => (b.readingsPerSecond > a.readingsPerSecond ? b : a));
    checks.push({ target: "ingest ≥ 5,000 readings/s with 1,000-record batches", measured: `${best.readingsPerSecond}/s (${best.concurrency} senders)`, isMet: best.readingsPerSecond >= 5000 });
    checks.push({ target: "1,000-record batches ≥ 50% of the raw-INSERT baseline", measured: `${Math.round(best.ratioToBaseline * 100)}%`, isMet: best.ratioToBaseline >= 0.5 });
  }
  for (const result of ingest.filter((r) => r.name.startsWith("Tenovi") && r.concurrency === 64)) {
    checks.push({ target: `${result.name}: ack p95 < 50 ms at 64 senders`, measured: `${result.ackMs.p95} ms`, isMet: result.ackMs.p95 < 50 });
  }
  for (const result of pages.filter((r) => r.concurrency === 16)) {
    checks.push({ target: `${result.name}: p95 < 100 ms at 16 users`, measured: `${result.pageMs.p95} ms`, isMet: result.pageMs.p95 < 100 });
    checks.push({ target: `${result.name}: within 3× its SQL (p95)`, measured: `${result.ratioP95}×`, isMet: result.ratioP95 <= 3 });
  }
  if (soak) {
    const tracks = [soak.web, soak.worker].filter((track): track is RssTrack => track !== null);
    const measured = tracks.map((track) => `${track === soak.web ? "web" : "worker"} ${track.firstHalfPeakRssMiB} → ${track.secondHalfPeakRssMiB} MiB`).join(", ");
    checks.push({ target: "memory flat over a 10-minute ingest run (peak RSS, first half → second half)", measured: `${measured} (${soak.seconds} s)`, isMet: soak.seconds >= 600 && tracks.every(isFlat) });
  }
  if (load) {
    checks.push({ target: "load: no errors", measured: `${load.errors.total}`, isMet: load.errors.total === 0 });
    checks.push({ target: "load: no acknowledged reading lost", measured: `${load.readings.lost} of ${load.readings.acknowledged}`, isMet: load.readings.lost === 0 && load.readings.acknowledged > 0 });
  }
  return checks;
}

function table(headers: string[], rows: (string | number)[][]): string[] {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(" | ")} |`;
  return [line(headers), `|${widths.map((w, i) => (i === 0 ? `-${"-".repeat(w)}-` : `-${"-".repeat(w - 1)}:-`)).join("|")}|`, ...cells.slice(1).map(line)];
}

// The report as Markdown tables (printed to the terminal and saved beside the JSON).
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const d = report.dataset;
  const lines = [
    `Run ${report.startedAt}: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, ${m.postgres} (${m.database}); load average at start ${m.loadAverageAtStart.join(" / ")}.`,
    `Dataset: ${d.patients.toLocaleString("en-US")} patients, ${d.devices.toLocaleString("en-US")} devices, ${d.readings.toLocaleString("en-US")} readings (generated in ${d.seconds} s).`,
    "",
  ];
  if (report.ingest.length > 0) {
    lines.push(
      "Ingest (through HTTP, answered once stored; readings/s counted until the worker processed every event) vs raw multi-row INSERT … ON CONFLICT DO NOTHING (CPU: ms of web server + worker + PostgreSQL per 1,000 readings):",
      "",
    );
    lines.push(
      ...table(
        ["Scenario", "Senders", "Requests", "Readings/s", "Baseline/s", "Ratio", "Ack p50 ms", "Ack p95 ms", "Ack p99 ms", "Errors", "Failed/unprocessed", "CPU ms/1k web+worker+PG", "Baseline PG"],
        report.ingest.map((r) => [
          r.name, r.concurrency, r.requests, r.readingsPerSecond, r.baseline.readingsPerSecond, r.ratioToBaseline, r.ackMs.p50, r.ackMs.p95, r.ackMs.p99, r.errors,
          `${r.processingFailed}/${r.unprocessed}`, `${r.cpuMsPer1000Readings.web}+${r.cpuMsPer1000Readings.worker}+${r.cpuMsPer1000Readings.postgres}`, r.baseline.postgresCpuMsPer1000Readings,
        ]),
      ),
      "",
    );
  }
  if (report.pages.length > 0) {
    lines.push("Pages (full server-rendered HTML, signed in) vs the hand-written SQL for the same data (CPU: ms of web server + PostgreSQL per request):", "");
    lines.push(
      ...table(
        ["Page", "Users", "Page p50 ms", "Page p95 ms", "SQL p50 ms", "SQL p95 ms", "Ratio p95", "CPU ms/req web+PG", "SQL PG CPU ms"],
        report.pages.map((r) => [
          r.name, r.concurrency, r.pageMs.p50, r.pageMs.p95, r.sqlMs.p50, r.sqlMs.p95, r.ratioP95, `${r.cpuMsPerRequest.web}+${r.cpuMsPerRequest.postgres}`, r.cpuMsPerRequest.sqlPostgres,
        ]),
      ),
      "",
    );
  }
  if (report.views.length > 0) {
    lines.push("Views in Chromium (each page with everything it fetches by itself: prefetches, polls; static files cached) vs its HTML fetched alone (web CPU per view):", "");
    lines.push(
      ...table(
        ["Page", "Views", "Requests/view", "Prefetches/view", "Web CPU ms/view", "HTML alone ms", "Ratio"],
        report.views.map((r) => [r.name, r.views, r.requestsPerView, r.prefetchesPerView, r.webCpuMsPerView, r.htmlWebCpuMs, r.ratioToHtml]),
      ),
      "",
    );
  }
  lines.push(
    `Web process memory: peak RSS ${report.memory.webPeakRssMiB} MiB (VmHWM ${report.memory.webPeakHwmMiB} MiB); ` +
      `worker: peak RSS ${report.memory.workerPeakRssMiB} MiB (VmHWM ${report.memory.workerPeakHwmMiB} MiB).`,
  );
  if (report.soak) {
    const s = report.soak;
    const lag = s.processing.drainedInSeconds === null ? "not processed within 10 minutes" : `processed ${s.processing.drainedInSeconds} s after the last send`;
    lines.push(
      `Sustained ingest ${s.seconds} s: ${s.requests} requests, ${s.readings} readings, ack p95 ${s.ackMs.p95} ms; ${s.processing.pendingAtEnd} deliveries ` +
        `still unprocessed when sending stopped, ${lag}; ${describeSoakMemory(s)}.`,
    );
  }
  if (report.load) lines.push("", ...renderLoad(report.load));
  for (const error of report.errors) lines.push(`Error: ${error}`);
  lines.push("", "Targets:", "", ...table(["Target", "Measured", "Met"], report.targets.map((t) => [t.target, t.measured, t.isMet ? "yes" : "NO"])));
  return lines.join("\n");
}

function renderLoad(load: LoadPhaseResult): string[] {
  const r = load.readings;
  return [
    `Load: ${load.target.readingsPerSecond} readings/s for ${load.target.seconds} s (open loop) with ${load.target.clinicians} clinicians browsing; ` +
      `achieved ${load.achievedReadingsPerSecond}/s (${load.ratioToTarget} of target), sender lag max ${load.maxSendLagMs} ms, web server CPU ${load.webCores} of a core. ` +
      `${r.acknowledged} readings acknowledged, ${r.stored} in the database, ${r.lost} lost` +
      `${r.lost > 0 ? ` (their ingest events: ${JSON.stringify(load.lostEvents)})` : ""} (drain ${load.drain.seconds} s); ${load.errors.total} errors` +
      `${load.errors.total > 0 ? ` ${JSON.stringify(load.errors.byLabel)}` : ""}. ${load.verdict}.`,
    "",
    ...table(
      ["Ingest (ack from planned send)", "Planned", "Sent", "Acked", "p50 ms", "p95 ms", "p99 ms"],
      load.ingest.map((k) => [k.name, k.planned, k.sent, k.acknowledged, k.ackMs.p50, k.ackMs.p95, k.ackMs.p99]),
    ),
    "",
    ...table(["Page (during the load)", "Views", "p50 ms", "p95 ms", "p99 ms"], load.pages.map((p) => [p.name, p.views, p.pageMs.p50, p.pageMs.p95, p.pageMs.p99])),
  ];
}

// The plans of the pages' statements, for the Markdown file (too long for the terminal).
export function renderPlans(plans: ExplainedQuery[]): string {
  return plans.map((plan) => [`### ${plan.page} (${plan.executionMs} ms)`, "", "```sql", plan.sql, "```", "", "```", plan.plan, "```", ""].join("\n")).join("\n");
}

// Writes bench-results/bench-<timestamp>.{json,md} and returns the JSON path.
export function writeReport(report: BenchReport, outputDir: string): string {
  mkdirSync(outputDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const base = path.join(outputDir, `bench-${stamp}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, `${renderMarkdown(report)}\n\n## Query plans\n\n${renderPlans(report.plans)}`);
  return `${base}.json`;
}
