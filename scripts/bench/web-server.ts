import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { connect } from "node:net";

// The dashboard under test: a production build served by the web process (through scripts/web-cluster.ts, as `npm start`
// does) on the bench port, with its own secrets and the bench database. Output is kept (last lines) for the error
// message if it fails to come up.

// A running server, how to stop it, and how it ended if it died on its own (null while it runs). `env` is what it
// runs with (the worker gets the same).
export type WebServer = {
  pid: number;
  baseUrl: string;
  env: NodeJS.ProcessEnv;
  stop: () => Promise<void>;
  exit: () => { code: number | null; signal: string | null } | null;
};

// The background worker, as `npm start` runs it beside the web server: it processes what the
// receivers store. Output goes to `logFile`.
export type WorkerProcess = { pid: number; stop: () => Promise<void>; exit: () => { code: number | null; signal: string | null } | null };

// Starts the web server and waits until /api/health answers 200. Its output goes to `logFile` (for the errors a run
// reports) and its last lines into the error when it does not come up.
export async function startWebServer(options: { port: number; simulatorPort: number; databaseUrl: string; logFile: string }): Promise<WebServer> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    PORT: String(options.port),
    PUBLIC_URL: baseUrl,
    SIMULATOR_PORT: String(options.simulatorPort),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    SEED_DEMO: "0",
  };
  if (await isPortTaken(options.port)) throw new Error(`port ${options.port} is in use (an earlier run's server?); stop it or set PORT.`);
  // What `npm start` runs: scripts/web-process.ts in WEB_CONCURRENCY worker processes (default: one) on one port.
  const child = spawn(process.execPath, [...profileArgs(), "--import", "tsx", "scripts/web-cluster.ts", "-p", String(options.port), "-H", "127.0.0.1"], { env, stdio: ["ignore", "pipe", "pipe"] });
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logStream = createWriteStream(options.logFile);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    logStream.write(chunk);
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    output.splice(0, Math.max(0, output.length - 40));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const pid = child.pid;
  if (pid === undefined) throw new Error("the web server did not start");
  // However this process ends (Ctrl-C, an error, the embedded database's exit hook), the server goes with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  await waitForHealth(baseUrl, child, output);
  let exit: { code: number | null; signal: string | null } | null = null;
  let isStopping = false;
  child.once("exit", (code, signal) => {
    if (!isStopping) exit ??= { code, signal };
  });
  return {
    pid,
    baseUrl,
    env,
    exit: () => exit,
    stop: () => {
      isStopping = true;
      return stopChild(child).finally(() => logStream.end());
    },
  };
}

// Starts the bench's worker (scripts/bench/worker.ts: the production worker without the jobs that call vendors or
// rewrite the generated clinic) with the web server's environment (node with tsx's loader, as scripts/start.ts does,
// so a SIGTERM reaches it).
export function startWorkerProcess(options: { env: NodeJS.ProcessEnv; logFile: string }): WorkerProcess {
  const child = spawn(process.execPath, [...profileArgs(), "--import", "tsx", "scripts/bench/worker.ts"], { env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logStream = createWriteStream(options.logFile);
  child.stdout?.pipe(logStream, { end: false });
  child.stderr?.pipe(logStream, { end: false });
  const pid = child.pid;
  if (pid === undefined) throw new Error("the worker did not start");
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let exit: { code: number | null; signal: string | null } | null = null;
  let isStopping = false;
  child.once("exit", (code, signal) => {
    process.removeListener("exit", killOnExit);
    if (!isStopping) exit = { code, signal };
  });
  return {
    pid,
    exit: () => exit,
    stop: () => {
      isStopping = true;
      return stopChild(child).finally(() => logStream.end());
    },
  };
}

// `--cpu-prof` into BENCH_CPU_PROFILE_DIR for the web server and the worker when it is set: each process writes a
// .cpuprofile there as it exits (open in Chrome DevTools or VS Code), to see where a scenario's CPU goes.
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode}:\n${output.join("\n")}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill("SIGTERM");
  throw new Error(`the web server did not become healthy within 90 s:\n${output.join("\n")}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
