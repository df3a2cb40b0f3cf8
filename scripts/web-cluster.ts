// The production web server (scripts/web-process.ts: Next plus the ingest routes on node:http) in WEB_CONCURRENCY
// worker processes (default 1) sharing one port through node:cluster. One Node
// process renders one page at a time on one core; with several, concurrent users can stop queueing behind each
// other's server rendering, when the machine has idle cores for them (each process also holds its own database
// pool). On the shared 2-core benchmark machine two processes did not measurably help, hence opt-in (README,
// "Benchmarks"). Used by scripts/start.ts and the benchmark; arguments (-p, -H) go to each web process.
// A worker that dies ends the whole server (the caller decides what happens next, as it would for one process);
// SIGINT/SIGTERM stop every worker before this process exits.
import cluster from "node:cluster";
import { availableParallelism } from "node:os";

// Number of worker processes: WEB_CONCURRENCY when set ("cores": one per core), else 1.
export function webConcurrency(raw = process.env.WEB_CONCURRENCY): number {
  if (raw === undefined || raw.trim() === "") return 1;
  if (raw.trim() === "cores") return availableParallelism();
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`WEB_CONCURRENCY must be a positive integer, got "${raw}".`);
  return value;
}

if (cluster.isPrimary && process.argv[1]?.endsWith("web-cluster.ts")) {
  const count = webConcurrency();
  // Workers load the app's TypeScript through tsx, as the background worker does; a CPU profiling flag is passed on.
  const profiling = process.execArgv.filter((arg) => arg.startsWith("--cpu-prof"));
  cluster.setupPrimary({ exec: "scripts/web-process.ts", args: process.argv.slice(2), execArgv: ["--import", "tsx", ...profiling] });
  let isStopping = false;
  const stop = (code: number) => {
    if (isStopping) return;
    isStopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(code);
    for (const worker of workers) worker?.process.kill("SIGTERM");
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(code);
    });
  };
  cluster.on("exit", (worker, code, signal) => {
    if (isStopping) return;
    console.error(`[web] worker ${worker.process.pid} exited (code ${code}, signal ${signal}); stopping`);
    stop(code ?? 1);
  });
  process.on("SIGINT", () => stop(0));
  process.on("SIGTERM", () => stop(0));
  for (let i = 0; i < count; i++) cluster.fork();
}
