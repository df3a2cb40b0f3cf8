// `npm start`: one command from a fresh clone to a running dashboard. Starts (or uses) PostgreSQL, applies
// migrations, seeds the demo clinic on first run, builds when the source changed, then serves the web app,
// the vendor simulators and the background worker until Ctrl-C or SIGTERM, which stop all of them.
//   --dev   next dev instead of a production build
//   --e2e   a throwaway database and port 3100, for the Playwright suite
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

import { resolveDatabase } from "@/lib/database/connection";
import { applyMigrations } from "@/lib/database/migrate";
import { buildIfChanged } from "@/scripts/next-build";
import { webConcurrency } from "@/scripts/web-cluster";
import { withDatabaseName } from "@/tests/database-url";

const isDev = process.argv.includes("--dev");
const isE2e = process.argv.includes("--e2e");
const port = Number(process.env.PORT ?? (isE2e ? 3100 : 3000));
const simulatorPort = Number(process.env.SIMULATOR_PORT ?? (isE2e ? 4110 : 4010));
const children: ChildProcess[] = [];

const database = await resolveDatabase(
  isE2e ? { dataDir: ".data/postgres-e2e", port: Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54349), database: "postgres" } : undefined,
);
const databaseUrl = isE2e ? await recreateDatabase(database.url, process.env.E2E_DATABASE_NAME ?? "pulseboard_e2e") : database.url;
Object.assign(process.env, {
  DATABASE_URL: databaseUrl,
  PORT: String(port),
  SIMULATOR_PORT: String(simulatorPort),
  ...localSecrets(),
});

const migrations = await applyMigrations(databaseUrl);
log(`database ready (${database.isEmbedded ? "embedded" : "DATABASE_URL"}), ${migrations.applied.length} migration(s) applied`);

const { seedDemoData } = await import("@/lib/seed/demo");
// Whether seeded devices at the simulators measure on their own on ticks: on for `npm start`, off for the e2e suite,
// whose counts of seeded patients' readings must hold (SIMULATOR_DEMO_AUTO_READINGS=on|off overrides either).
const isDemoAutoReadings = (process.env.SIMULATOR_DEMO_AUTO_READINGS ?? (isE2e ? "off" : "on")) !== "off";
if (process.env.SEED_DEMO !== "0" && (await seedDemoData(new Date(), { autoReadings: isDemoAutoReadings }))) log("demo clinic seeded (logins in README)");

const { createAllSimulators } = await import("@/lib/vendors/simulators");
const { createSimulatorServer, startSimulatorTicks } = await import("@/lib/vendors/simulator-server");
const simulators = createAllSimulators();
const simulatorServer = createSimulatorServer(simulators);
await new Promise<void>((resolve) => simulatorServer.listen(simulatorPort, "127.0.0.1", resolve));
const stopTicks = startSimulatorTicks(simulators, Number(process.env.SIMULATOR_TICK_MS ?? 5_000));
log(`vendor simulators on http://127.0.0.1:${simulatorPort}`);

if (!isDev) await buildIfChanged(log);
// Node itself running Next's, the cluster's and the worker's entry points, never `npx`: npx does not pass SIGTERM
// on, which would orphan the web server or the worker. Production: scripts/web-process.ts in WEB_CONCURRENCY processes sharing
// the port (scripts/web-cluster.ts); dev: one `next dev`.
children.push(
  isDev
    ? run(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "dev", "-p", String(port)], "web")
    : run(process.execPath, ["--import", "tsx", "scripts/web-cluster.ts", "-p", String(port)], "web"),
);
log(`dashboard on http://localhost:${port}${isDev ? "" : ` (${webConcurrency()} web process${webConcurrency() === 1 ? "" : "es"})`}`);
children.push(run(process.execPath, ["--import", "tsx", "scripts/worker.ts"], "worker"));
log("background worker started (ingest sweep, Smartz poll, reconciles)");

let isStopping = false;
// Stops everything this launcher started: each child gets SIGTERM (the worker finishes its running jobs, which may
// still call the simulators), then SIGKILL if it is still there after CHILD_STOP_TIMEOUT_MS; then the simulators and
// the embedded database, then this process. The children stay in the launcher's process group, so a signal to the
// whole group (Ctrl-C in a terminal, a test runner stopping its web server) reaches them directly as well.
async function stop(code: number) {
  if (isStopping) return;
  isStopping = true;
  stopTicks();
  await Promise.all(children.map((child) => stopChild(child)));
  simulatorServer.close();
  await database.stop().catch(() => undefined);
  process.exit(code);
}
// embedded-postgres (through async-exit-hook) exits the process on these signals as soon as its own cleanup ran, which
// would leave the web server and the worker running; stop() stops the embedded database itself, after the children.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void stop(0));
}

function run(command: string, args: string[], name: string): ChildProcess {
  const child = spawn(command, args, { stdio: "inherit", env: process.env });
  child.on("exit", (code) => {
    if (!isStopping) {
      log(`${name} exited with code ${code}; stopping`);
      void stop(code ?? 1);
    }
  });
  return child;
}

const CHILD_STOP_TIMEOUT_MS = 10_000;

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function log(message: string) {
  console.log(`[pulseboard] ${message}`);
}

// A throwaway database for the end-to-end suite, so every run starts from the same demo clinic.
async function recreateDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return withDatabaseName(serverUrl, name);
}

// AUTH_SECRET and ENCRYPTION_KEY for a laptop run, generated once into the git-ignored .data folder.
// Deployments set both in the environment, and those values win.
function localSecrets(): Record<string, string> {
  const file = path.resolve(".data/local-secrets.json");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const secrets = { AUTH_SECRET: randomBytes(32).toString("base64url"), ENCRYPTION_KEY: randomBytes(32).toString("base64") };
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  return Object.fromEntries(Object.entries(stored).filter(([key]) => !process.env[key]));
}
