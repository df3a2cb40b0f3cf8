// `npm run bench`: generates (once per size) a realistic clinic in its own PostgreSQL database, then measures
// ingest through the real HTTP routes against a production build, the dashboard's pages signed in, and the web
// process's memory, each beside the hand-written SQL doing the same work. Prints tables and writes
// bench-results/bench-<timestamp>.{json,md}. Size and phases: BENCH_PATIENTS, BENCH_DEVICES, BENCH_READINGS,
// BENCH_ONLY, … (scripts/bench/options.ts; README "Benchmarks"). Not a test: nothing here runs in `npm test`.
import { BENCH_DATABASE_NAME, BENCH_POSTGRES_SETTINGS, openBenchDatabase, recreateBenchDatabase, withClient } from "@/scripts/bench/database";
import { generateDataset, matchesSize, readDatasetMarker, resetToDataset, type DatasetMarker } from "@/scripts/bench/generate";
import { chromiumPath, runBrowserViews, type BrowserViewResult } from "@/scripts/bench/browser-views";
import { explainPageQueries, type ExplainedQuery } from "@/scripts/bench/explain";
import { runIngestBenchmark, type IngestScenarioResult } from "@/scripts/bench/ingest";
import { runLoadPhase, type LoadPhaseResult } from "@/scripts/bench/load";
import { cpuSubjects, localPostmasterPid, startMemorySampler } from "@/scripts/bench/memory";
import { readBenchOptions } from "@/scripts/bench/options";
import { runPageBenchmark, type PageResult } from "@/scripts/bench/pages";
import { checkTargets, describeMachine, describeSoakMemory, renderMarkdown, writeReport, type BenchReport } from "@/scripts/bench/report";
import { runSoak, type SoakResult } from "@/scripts/bench/soak";
import { startWebServer, startWorkerProcess } from "@/scripts/bench/web-server";
import { buildIfChanged } from "@/scripts/next-build";

const options = readBenchOptions();
const size = { patients: options.patients, devices: options.devices, readings: options.readings };
const startedAt = new Date().toISOString();
const log = (message: string) => console.log(`[bench] ${message}`);

log(`dataset: ${size.patients} patients, ${size.devices} devices, ${size.readings} readings; phases: ${[...options.phases].join(", ")}`);
const database = await openBenchDatabase(options.embeddedPort);
let isStrictFailure = false;
try {
  const marker = await prepareDataset();
  log(`dataset ready (generated ${marker.generatedAt} in ${marker.seconds} s)`);
  const postgres = await withClient(database.url, async (client) => {
    const names = ["server_version", ...Object.keys(BENCH_POSTGRES_SETTINGS)];
    const rows = (await client.query<{ name: string; value: string }>("SELECT name, current_setting(name) AS value FROM unnest($1::text[]) AS name", [names])).rows;
    const value = (name: string) => rows.find((row) => row.name === name)?.value ?? "?";
    return `${value("server_version")} (${names.slice(1).map((name) => `${name} ${value(name)}`).join(", ")})`;
  });
  const machine = describeMachine(`PostgreSQL ${postgres}`, database.isEmbedded ? "embedded, .data/postgres-bench" : `DATABASE_URL server, database ${BENCH_DATABASE_NAME}`);
  let plans: ExplainedQuery[] = [];
  if (options.phases.has("explain")) {
    log("explain: the list pages' statements, EXPLAIN ANALYZE");
    plans = await explainPageQueries(database.url);
    for (const plan of plans) log(`  ${plan.page}: ${plan.executionMs} ms  ${plan.sql.slice(0, 90).replace(/\s+/g, " ")}…`);
  }
  const needsServer = (["pages", "views", "ingest", "soak", "load"] as const).some((phase) => options.phases.has(phase));
  if (needsServer) await buildIfChanged(log);
  const ingest: IngestScenarioResult[] = [];
  let pages: PageResult[] = [];
  let views: BrowserViewResult[] = [];
  let soak: SoakResult | null = null;
  let load: LoadPhaseResult | null = null;
  const logFile = `${options.outputDir}/web-${startedAt.replace(/[:.]/g, "-")}.log`;
  const server = needsServer ? await startWebServer({ port: options.port, simulatorPort: options.simulatorPort, databaseUrl: database.url, logFile }) : null;
  // The worker processes what the receivers store, as in production (`npm start` runs one beside the web server).
  const workerLogFile = logFile.replace(/web-([^/]*)\.log$/, "worker-$1.log");
  const worker = server ? startWorkerProcess({ env: server.env, logFile: workerLogFile }) : null;
  const memory = startMemorySampler(server?.pid ?? process.pid);
  const workerMemory = worker ? startMemorySampler(worker.pid) : null;
  // Looked up while the connection's backend still exists.
  const postmasterPid = await withClient(database.url, async (client) => localPostmasterPid((await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0));
  const cpu = cpuSubjects(server?.pid ?? process.pid, worker?.pid, database.isEmbedded ? process.pid : postmasterPid);
  if (server) log(`web server on ${server.baseUrl} (pid ${server.pid}), log in ${logFile}`);
  if (worker) log(`worker (pid ${worker.pid}), log in ${workerLogFile}`);
  const errors: string[] = [];
  // The report as it stands, saved after every phase and ingest scenario, so a run that is cut short (the machine
  // killing processes, Ctrl-C) still leaves its figures in bench-results/.
  function buildReport(): BenchReport {
    const byPhase: BenchReport["memory"]["byPhase"] = {};
    for (const sample of memory.samples) {
      const phase = byPhase[sample.phase] ?? { peakRssMiB: 0, lastRssMiB: 0 };
      byPhase[sample.phase] = { peakRssMiB: Math.max(phase.peakRssMiB, sample.rssMiB), lastRssMiB: sample.rssMiB };
    }
    const peak = server ? memory.peak() : { rssMiB: 0, hwmMiB: 0 };
    const workerPeak = workerMemory ? workerMemory.peak() : { rssMiB: 0, hwmMiB: 0 };
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      dataset: marker,
      ingest,
      pages,
      views,
      memory: {
        webPeakRssMiB: peak.rssMiB,
        webPeakHwmMiB: peak.hwmMiB,
        byPhase,
        workerPeakRssMiB: workerPeak.rssMiB,
        workerPeakHwmMiB: workerPeak.hwmMiB,
      },
      soak,
      load,
      plans,
      errors,
      targets: checkTargets(ingest, pages, load, soak),
    };
  }
  const save = () => writeReport(buildReport(), options.outputDir);
  save();
  // Runs one phase; a failure (the server dying under load, say) is reported and ends the server phases, but the
  // results so far are still written.
  async function phase(name: "pages" | "views" | "ingest" | "soak" | "load", run: () => Promise<void>): Promise<void> {
    if (!server || !options.phases.has(name) || errors.length > 0) return;
    memory.mark(name);
    workerMemory?.mark(name);
    try {
      await run();
      save();
    } catch (error) {
      const exit = server.exit();
      const last = memory.samples.at(-1);
      const reason = exit ? `the web server or its worker exited (code ${exit.code}, signal ${exit.signal}; last RSS ${last?.rssMiB ?? "?"} MiB)` : String(error);
      errors.push(`${name}: ${reason}`);
      log(`${name} failed: ${reason}`);
      save();
    }
  }
  try {
    await phase("pages", async () => {
      if (!server) return;
      log("pages:");
      pages = await runPageBenchmark({ baseUrl: server.baseUrl, databaseUrl: database.url, concurrency: options.pageConcurrency, requests: options.pageRequests, maxSeconds: 60, cpu, only: options.pageCases }, log);
    });
    await phase("views", async () => {
      const executablePath = chromiumPath();
      if (!server || !executablePath) return log("views: skipped, no Chromium (CHROMIUM_PATH, /usr/bin/chromium)");
      log("views: each page opened in Chromium, with what it fetches by itself:");
      views = await runBrowserViews({ baseUrl: server.baseUrl, databaseUrl: database.url, executablePath, views: 10, cpu }, log);
    });
    await phase("ingest", async () => {
      if (!server) return;
      log("ingest:");
      const settings = {
        baseUrl: server.baseUrl,
        databaseUrl: database.url,
        concurrency: options.ingestConcurrency,
        seconds: options.ingestSecondsPerScenario,
        maxReadings: options.ingestMaxReadingsPerScenario,
        cpu,
        isServerUp: () => server.exit() === null && worker?.exit() === null,
        shapes: options.ingestShapes,
      };
      await runIngestBenchmark(settings, log, (result) => {
        ingest.push(result);
        save();
      });
    });
    // Before the soak, which offers more than the worker processes and leaves a backlog the load run would queue behind.
    await phase("load", async () => {
      if (!server) return;
      log(`load: ${options.load.readingsPerSecond} readings/s for ${options.load.seconds} s with ${options.load.clinicians} clinicians browsing:`);
      load = await runLoadPhase({ ...options.load, baseUrl: server.baseUrl, databaseUrl: database.url, isServerUp: () => server.exit() === null, cpu }, log);
    });
    await phase("soak", async () => {
      if (!server || options.soakSeconds === 0) return;
      log(`sustained ingest for ${options.soakSeconds} s:`);
      soak = await runSoak({ baseUrl: server.baseUrl, databaseUrl: database.url, seconds: options.soakSeconds }, { web: memory, worker: workerMemory });
      log(`  ${describeSoakMemory(soak)}; ${soak.processing.pendingAtEnd} deliveries unprocessed when sending stopped, processed in ${soak.processing.drainedInSeconds ?? "more than 600"} s`);
    });
  } finally {
    memory.stop();
    workerMemory?.stop();
    await worker?.stop();
    await server?.stop();
  }

  const report = buildReport();
  console.log(`\n${renderMarkdown(report)}\n`);
  log(`results: ${writeReport(report, options.outputDir)}`);
  // Strict mode (CI, a gate): the load phase not passing, or not finishing, fails the command.
  if (options.load.isStrict && options.phases.has("load") && report.load?.isPassed !== true) {
    log(`load: not passed${report.load ? "" : " (the phase did not finish)"}; BENCH_LOAD_STRICT=1, exiting 1`);
    isStrictFailure = true;
  }
} finally {
  await database.stop();
}
if (isStrictFailure) process.exitCode = 1;

async function prepareDataset(): Promise<DatasetMarker> {
  const existing = await withClient(database.url, readDatasetMarker);
  if (matchesSize(existing, size)) {
    const removed = await withClient(database.url, (client) => resetToDataset(client, existing));
    if (removed > 0) log(`removed ${removed} readings left by the previous run`);
    return existing;
  }
  log(existing ? "dataset has another size: regenerating" : "generating the dataset (first run at this size)");
  await recreateBenchDatabase(database);
  return withClient(database.url, (client) => generateDataset(client, size, log));
}
