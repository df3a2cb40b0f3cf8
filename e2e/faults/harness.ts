import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import pg from "pg";

import { startEmbeddedPostgres } from "../../lib/database/embedded";
import { applyMigrations } from "../../lib/database/migrate";
import { SESSION_COOKIE } from "../sessions";

// What the fault specs run against, all owned by the spec that starts them: a PostgreSQL cluster of their own
// (its own data dir under .data/ and port, so it can be stopped and started mid-test), web processes on
// the production build the e2e webServer made, and `scripts/worker.ts` processes. Everything is killed in afterAll.

// Secrets for the processes a spec starts; random per run, never written anywhere.
export const FAULT_SECRETS = { AUTH_SECRET: randomBytes(32).toString("base64url"), ENCRYPTION_KEY: randomBytes(32).toString("base64") };

// A cluster the test controls: stop() is PostgreSQL's fast shutdown (SIGINT: open transactions are rolled back,
// connections are cut), start() brings the same data dir back on the same port.
export type FaultCluster = { url: string; stop: () => Promise<void>; start: () => Promise<void>; isRunning: () => boolean };

const DATABASE = "pulseboard";

// Kills a postmaster a crashed earlier run left in this spec's data dir (its pid file names it; the dir is ours).
function killLeftoverPostmaster(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGQUIT");
  } catch {
    // Not running any more.
  }
}

// A fresh, migrated cluster on `port` in .data/postgres-faults-<port>.
export async function startFaultCluster(port: number): Promise<FaultCluster> {
  const dataDir = path.resolve(`.data/postgres-faults-${port}`);
  // A postmaster that is still shutting down can write into the directory after it is removed: remove it until it
  // stays gone.
  for (let attempt = 0; existsSync(dataDir) && attempt < 25; attempt++) {
    killLeftoverPostmaster(dataDir);
    await new Promise((resolve) => setTimeout(resolve, 200));
    rmSync(dataDir, { recursive: true, force: true });
  }
  let stopCluster: (() => Promise<void>) | null = null;
  const start = async () => {
    const started = await startEmbeddedPostgres({ dataDir, port, database: DATABASE });
    stopCluster = started.stop;
  };
  await start();
  const url = `postgresql://pulseboard:pulseboard-local@127.0.0.1:${port}/${DATABASE}`;
  await applyMigrations(url);
  return {
    url,
    start,
    isRunning: () => stopCluster !== null,
    stop: async () => {
      const stop = stopCluster;
      stopCluster = null;
      if (stop) await stop();
    },
  };
}

// Runs queries with a short-lived client.
export async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

// A process a spec started, with its output kept for the failure report.
export type FaultProcess = { name: string; child: ChildProcess; output: () => string; kill: (signal?: NodeJS.Signals) => void; exited: Promise<number | null> };

const running = new Set<FaultProcess>();

function startProcess(name: string, args: string[], env: Record<string, string>): FaultProcess {
  // Its own process group, so killing the group takes any child it forked with it.
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const chunks: string[] = [];
  const keep = (chunk: Buffer) => {
    chunks.push(chunk.toString("utf8"));
    if (chunks.length > 400) chunks.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const proc: FaultProcess = {
    name,
    child,
    exited,
    output: () => chunks.join(""),
    kill: (signal = "SIGKILL") => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

function appEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...FAULT_SECRETS, DATABASE_URL: databaseUrl, NODE_ENV: "production", LOG_LEVEL: "warn", SIMULATOR_PORT: "9", ...extra };
}

// One production web process (scripts/web-process.ts, as `npm start` runs it) on the existing build, on its own port
// and database.
export async function startWeb(port: number, databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<{ url: string; process: FaultProcess }> {
  const env = appEnv(databaseUrl, { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...extraEnv });
  const proc = startProcess(`web:${port}`, ["--import", "tsx", "scripts/web-process.ts", "-p", String(port), "-H", "127.0.0.1"], env);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${proc.name} to answer`, async () => (await fetch(`${url}/api/health`).catch(() => null))?.status === 200, 60_000, proc);
  return { url, process: proc };
}

// A background worker (scripts/worker.ts) on the given database.
export function startWorkerProcess(name: string, databaseUrl: string): FaultProcess {
  return startProcess(name, ["--import", "tsx", "scripts/worker.ts"], appEnv(databaseUrl));
}

// The vendor simulators (e2e/faults/simulators.ts) on `port`, their state in the given database.
export async function startSimulators(port: number, databaseUrl: string): Promise<FaultProcess> {
  const proc = startProcess(`simulators:${port}`, ["--import", "tsx", "e2e/faults/simulators.ts"], appEnv(databaseUrl, { SIMULATOR_PORT: String(port) }));
  await waitFor("the simulators to listen", async () => proc.output().includes("simulators ready"), 30_000, proc);
  return proc;
}

// Processes every ingest event still waiting now (what the minute sweep does once they are due); its JSON result.
export async function drainIngest(databaseUrl: string): Promise<{ candidates: number; processed: number; failed: number; skipped: number }> {
  const proc = startProcess("drain", ["--import", "tsx", "e2e/faults/drain-ingest.ts"], appEnv(databaseUrl));
  const code = await proc.exited;
  const line = proc.output().trim().split("\n").reverse().find((l) => l.startsWith("{\"candidates\""));
  if (code !== 0 || !line) throw new Error(`drain failed (${code}): ${proc.output().slice(-2000)}`);
  return JSON.parse(line) as { candidates: number; processed: number; failed: number; skipped: number };
}

// The recent output of every process still running, for a failed test's report.
export function processOutputs(): string {
  return [...running].map((proc) => `--- ${proc.name} ---\n${proc.output().slice(-4000)}`).join("\n");
}

// Kills every process the spec started (afterAll, pass or fail).
export async function killAll(): Promise<void> {
  const all = [...running];
  for (const proc of all) proc.kill("SIGKILL");
  await Promise.all(all.map((proc) => Promise.race([proc.exited, new Promise((resolve) => setTimeout(resolve, 5_000))])));
}

// Polls until check() is true, or fails naming what it waited for (and a process's last output when given).
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000, proc?: FaultProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    if (proc && proc.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}${proc ? `\n--- ${proc.name} output ---\n${proc.output().slice(-3000)}` : ""}`);
}

// A coordinator written straight into the database, and the session cookie the app would give them on sign-in.
export async function coordinatorCookie(databaseUrl: string): Promise<{ userId: string; cookie: string }> {
  const userId = `faults-${randomBytes(6).toString("hex")}`;
  await withClient(databaseUrl, (c) =>
    c.query(`INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt") VALUES ($1, $2, 'Fault Coordinator', 'unused', 'coordinator', now())`, [
      userId,
      `${userId}@example.org`,
    ]),
  );
  const now = Date.now();
  const token = await encode({
    secret: FAULT_SECRETS.AUTH_SECRET,
    salt: SESSION_COOKIE,
    token: { sub: userId, name: "Fault Coordinator", email: `${userId}@example.org`, uid: userId, role: "coordinator", sv: 0, authTime: now, seenAt: now },
  });
  return { userId, cookie: `${SESSION_COOKIE}=${token}` };
}

// The id of a server action in the production build, by its exported name (Next's server-reference manifest), and
// a page that posts it (dynamic segments filled from params), preferring one without any.
export function serverActionId(exportedName: string, params: Record<string, string> = {}): { id: string; page: string } {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string; filename?: string }>;
  };
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.exportedName !== exportedName) continue;
    const pages = Object.keys(entry.workers).filter((name) => name.startsWith("app/") && name.endsWith("/page"));
    const worker = pages.find((name) => !name.includes("[")) ?? pages[0];
    if (worker) return { id, page: pagePath(worker, params) };
  }
  throw new Error(`No server action ${exportedName} in .next/server/server-reference-manifest.json; is the build current?`);
}

// "app/(dashboard)/patients/[id]/page" with {id: "p1"} → "/patients/p1".
function pagePath(worker: string, params: Record<string, string>): string {
  const segments = worker.replace(/^app\//, "").replace(/\/?page$/, "").split("/").filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.map((s) => s.replace(/^\[(\w+)\]$/, (_, name: string) => encodeURIComponent(params[name] ?? name))).join("/")}`;
}
