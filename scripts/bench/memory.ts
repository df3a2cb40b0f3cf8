import { readdirSync, readFileSync } from "node:fs";

// Samples the resident memory of a process and its descendants from /proc (Linux): VmRSS now, VmHWM the peak the
// kernel recorded. Sums over the tree, since the web server runs in cluster worker processes.

// One sample, in MiB.
export type MemorySample = { atMs: number; rssMiB: number; hwmMiB: number };

function statusKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

// The pid and all its descendants.
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) for (const child of children(all[i] ?? pid)) all.push(child);
  return all;
}

// Samples every `intervalMs` until stopped; `mark` names a phase so samples can be grouped.
export function startMemorySampler(pid: number, intervalMs = 500) {
  const started = Date.now();
  const samples: (MemorySample & { phase: string })[] = [];
  let phase = "start";
  const take = () => {
    const tree = processTree(pid);
    const rss = tree.reduce((sum, p) => sum + statusKiB(p, "VmRSS"), 0);
    const hwm = tree.reduce((sum, p) => sum + statusKiB(p, "VmHWM"), 0);
    if (rss > 0) samples.push({ atMs: Date.now() - started, rssMiB: Math.round(rss / 102.4) / 10, hwmMiB: Math.round(hwm / 102.4) / 10, phase });
  };
  take();
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    mark(name: string) {
      phase = name;
      take();
    },
    sample: take,
    samples,
    stop() {
      take();
      clearInterval(timer);
    },
    // Peak over all samples (RSS) and the kernel's own high-water mark at the last sample.
    peak(): { rssMiB: number; hwmMiB: number } {
      return { rssMiB: Math.max(0, ...samples.map((s) => s.rssMiB)), hwmMiB: Math.max(0, ...samples.map((s) => s.hwmMiB)) };
    },
  };
}

export type MemorySampler = ReturnType<typeof startMemorySampler>;

// Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every mainstream Linux).
const TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
}

// The processes whose CPU a phase is charged with: the web server's tree, the worker's (when one runs), and
// PostgreSQL's: the postmaster's tree (its backends are its children), when the server runs on this machine. For the
// embedded cluster that is this process's tree; a remote server has none.
export function cpuSubjects(webPid: number, workerPid?: number, postgresRootPid?: number): { web: () => number[]; worker: () => number[]; postgres: () => number[] } {
  return {
    web: () => processTree(webPid),
    worker: () => (workerPid === undefined ? [] : processTree(workerPid)),
    postgres: () => (postgresRootPid === undefined ? [] : processTree(postgresRootPid).filter((pid) => commandName(pid) === "postgres")),
  };
}

// The postmaster of the server a connection reached when that server runs on this machine (the parent of the
// connection's backend, found in /proc), else undefined.
export function localPostmasterPid(backendPid: number): number | undefined {
  if (commandName(backendPid) !== "postgres") return undefined;
  const stat = readFileSync(`/proc/${backendPid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces, hence the last ")"): state, ppid, …
  const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  return commandName(parent) === "postgres" ? parent : undefined;
}

function snapshot(pids: number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, cpuTicks(pid)]));
}

// CPU ms used between two snapshots; a process that started in between counts from zero, one that ended is lost.
function spentMs(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

// CPU ms spent by the web server, the worker and PostgreSQL while `run` ran; robust to other load on a shared
// machine, unlike wall-clock latency.
export async function measureCpu<T>(
  subjects: ReturnType<typeof cpuSubjects>,
  run: () => Promise<T>,
): Promise<{ result: T; webCpuMs: number; workerCpuMs: number; postgresCpuMs: number }> {
  const web = snapshot(subjects.web());
  const worker = snapshot(subjects.worker());
  const postgres = snapshot(subjects.postgres());
  const result = await run();
  return {
    result,
    webCpuMs: spentMs(web, snapshot(subjects.web())),
    workerCpuMs: spentMs(worker, snapshot(subjects.worker())),
    postgresCpuMs: spentMs(postgres, snapshot(subjects.postgres())),
  };
}
