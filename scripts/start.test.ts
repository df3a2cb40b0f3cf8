import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { getPriority } from "node:os";
import { describe, expect, it } from "vitest";

import { WORKER_NICENESS } from "@/lib/jobs/worker";

// `npm start` (scripts/start.ts) as a process: a SIGTERM to the launcher alone must stop the web server, the worker
// and whatever they started, not leave them running. Runs `--dev` (no production build) on spare ports against the
// test database, without the demo seed.

const STARTED = "background worker started";

async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

// Every live process below `pid` (children, grandchildren, …), from /proc.
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent; the command name before it may hold spaces, so split after ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [child, ppid] of parents) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8");
    // A zombie has exited; only its parent's bookkeeping is left.
    return state.slice(state.lastIndexOf(")") + 2).split(" ")[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

function startLauncher(env: NodeJS.ProcessEnv): { launcher: ChildProcess; output: () => string } {
  let output = "";
  // Through npm, as staff start it: npm passes SIGTERM to its script, which must be the launcher itself (`exec node`):
  // an intermediate shell or tsx CLI would die on the signal and leave the launcher and its children running.
  const launcher = spawn("npm", ["run", "--silent", "dev"], { env, stdio: ["ignore", "pipe", "pipe"] });
  launcher.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  launcher.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  return { launcher, output: () => output };
}

describe("scripts/start.ts", () => {
  it("stops the web server, the worker and their children when `npm run dev` alone gets SIGTERM", { timeout: 120_000 }, async () => {
    const [port, simulatorPort] = [await sparePort(), await sparePort()];
    const { launcher, output } = startLauncher({
      ...process.env,
      PORT: String(port),
      SIMULATOR_PORT: String(simulatorPort),
      SEED_DEMO: "0",
      NODE_ENV: "development",
    });
    const pid = launcher.pid ?? 0;
    try {
      expect(await waitFor(() => output().includes(STARTED), 60_000), output()).toBe(true);
      // Next dev starts a server process of its own shortly after; wait until the web server answers.
      await waitFor(() => /Ready in/.test(output()), 30_000);
      const children = descendants(pid);
      expect(children.length).toBeGreaterThanOrEqual(2);
      // The worker yields the CPU to the web server (lib/jobs/worker.ts, WORKER_NICENESS).
      const worker = children.find((child) => commandLine(child).includes("scripts/worker.ts"));
      expect(worker, output()).toBeDefined();
      expect(await waitFor(() => getPriority(worker) === WORKER_NICENESS, 15_000)).toBe(true);

      const exited = new Promise<number | null>((resolve) => launcher.once("exit", (code) => resolve(code)));
      process.kill(pid, "SIGTERM");
      expect(await exited, output()).toBe(0);
      expect(await waitFor(() => children.every((child) => !isAlive(child)), 15_000), `still running: ${children.filter(isAlive).join(", ")}`).toBe(true);
    } finally {
      for (const child of [pid, ...descendants(pid)]) if (isAlive(child)) process.kill(child, "SIGKILL");
    }
  });
});
