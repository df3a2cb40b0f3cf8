import { getPriority, setPriority } from "node:os";
import type PgBoss from "pg-boss";

import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { drainIngestEvents } from "@/lib/ingest/drain";
import { startIngestListener, type IngestListener } from "@/lib/ingest/drain-listener";
import { createBoss } from "@/lib/jobs/boss";
import { JOBS, type JobDefinition } from "@/lib/jobs/registry";
import { logger } from "@/lib/logger";

// A running worker and how to stop it.
export type RunningWorker = { boss: PgBoss; stop: () => Promise<void> };

// What a worker runs and how; defaults are the production registry with its crons.
export type WorkerOptions = {
  jobs?: JobDefinition[];
  boss?: PgBoss;
  // Schedule the jobs' crons (off in tests that send jobs by hand).
  schedule?: boolean;
  // How often an idle worker asks for jobs; pg-boss's minimum is 0.5.
  pollingIntervalSeconds?: number;
  // How long stop() waits for running jobs before failing them back to the queue (they are retried).
  shutdownTimeoutMs?: number;
  // Process stored deliveries as they arrive (LISTEN + drain, lib/ingest/drain-listener.ts); on by default.
  drainOnNotify?: boolean;
  // The database the listener connects to; DATABASE_URL by default.
  connectionString?: string;
};

function triggerOf(data: unknown): string {
  return typeof data === "object" && data !== null && typeof (data as { trigger?: unknown }).trigger === "string"
    ? (data as { trigger: string }).trigger
    : "schedule";
}

// Creates the job's queue, or brings an existing one's retry policy up to date. The `stately` policy keeps at most
// one job of each kind queued and one running across every worker instance, so a schedule firing while a slow run
// is still going (or several workers) never runs the same job twice at once.
export async function ensureQueue(boss: PgBoss, job: JobDefinition): Promise<void> {
  const options = {
    name: job.name,
    policy: "stately" as const,
    retryLimit: job.retry.limit,
    retryDelay: job.retry.delaySeconds,
    retryBackoff: job.retry.backoff,
    expireInSeconds: job.expireInSeconds,
  };
  await retryStartupRace(() => boss.createQueue(job.name, options));
  await retryStartupRace(() => boss.updateQueue(job.name, options));
}

// PostgreSQL errors two workers starting together can get from pg-boss creating the same queue (and its partition
// table): a deadlock, the table or the row created by the other one first.
const STARTUP_RACE_CODES = new Set(["40P01", "42P07", "23505"]);

// Runs a queue setup step again after losing such a race; by then the other worker has made the queue.
async function retryStartupRace(step: () => Promise<unknown>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await step();
      return;
    } catch (error) {
      const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
      if (attempt >= attempts || typeof code !== "string" || !STARTUP_RACE_CODES.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}

// Runs one pg-boss job through its definition, logging how it went (names and counts only).
export async function runJob(job: JobDefinition, pgJob: { id: string; data: unknown }, signal: AbortSignal): Promise<Record<string, unknown>> {
  const startedAt = Date.now();
  const trigger = triggerOf(pgJob.data);
  const data = typeof pgJob.data === "object" && pgJob.data !== null ? (pgJob.data as Record<string, unknown>) : {};
  try {
    const output = await job.handler(data, { jobId: pgJob.id, trigger, signal });
    logger.info("job finished", { job: job.name, jobId: pgJob.id, trigger, ms: Date.now() - startedAt });
    return output;
  } catch (error) {
    logger.error("job failed; pg-boss retries it per its policy", {
      job: job.name,
      jobId: pgJob.id,
      ms: Date.now() - startedAt,
      error: error instanceof Error ? error.name : "unknown",
    });
    throw error;
  }
}

// The worker's CPU niceness. Acknowledging vendor deliveries and rendering staff's pages are waited on; processing
// what was stored only has to keep up over seconds, so on a machine the web server shares, a burst of deliveries
// (or a backlog after an outage) no longer slows every acknowledgement and page by taking the cores first.
export const WORKER_NICENESS = 5;

// Lowers this process's CPU priority to WORKER_NICENESS (never raises it: a worker started under `nice` stays there).
export function lowerWorkerPriority(): void {
  if (getPriority() < WORKER_NICENESS) setPriority(WORKER_NICENESS);
}

// Starts pg-boss, creates every job's queue, schedules the crons (one schedule per name, which pg-boss fires once
// per minute across all instances), and works each queue. Several workers may run at once.
export async function startWorker(options: WorkerOptions = {}): Promise<RunningWorker> {
  const jobs = options.jobs ?? JOBS;
  const boss = options.boss ?? createBoss({ applicationName: "pulseboard-worker" });
  const controller = new AbortController();
  await boss.start();
  for (const job of jobs) {
    await ensureQueue(boss, job);
    if (options.schedule ?? true) {
      if (job.cron) await boss.schedule(job.name, job.cron, { trigger: "schedule" }, { tz: "UTC", singletonKey: job.name });
      else await boss.unschedule(job.name);
    }
    await boss.work(job.name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async (batch) => {
      const [pgJob] = batch;
      return pgJob ? runJob(job, pgJob, controller.signal) : undefined;
    });
  }
  const listener = (options.drainOnNotify ?? true) ? await startDrainListener(options.connectionString, controller.signal) : null;
  logger.info("worker started", { jobs: jobs.map((job) => job.name), drainOnNotify: listener !== null });
  return {
    boss,
    stop: async () => {
      controller.abort();
      await listener?.stop();
      await boss.stop({ graceful: true, timeout: options.shutdownTimeoutMs ?? 30_000, wait: true });
      logger.info("worker stopped");
    },
  };
}

// Starts the ingest listener: each stored delivery is processed within about a second of its arrival.
async function startDrainListener(connectionString: string | undefined, signal: AbortSignal): Promise<IngestListener> {
  const url = connectionString ?? env.DATABASE_URL;
  if (!url) throw new AppError("CONFIGURATION", "DATABASE_URL is not set; the ingest listener needs the database.");
  return startIngestListener({
    connectionString: url,
    drain: async () => {
      const startedAt = Date.now();
      const result = await drainIngestEvents({ signal });
      if (result.processed + result.failed > 0) logger.info("ingest drained", { ...result, ms: Date.now() - startedAt });
    },
  });
}
