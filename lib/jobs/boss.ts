import PgBoss from "pg-boss";

import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

// pg-boss keeps its queues, jobs and schedules in this schema, apart from the app's tables (no Prisma migration).
export const BOSS_SCHEMA = "pgboss";

// How a pg-boss instance connects and which of its background duties it takes on.
export type BossOptions = {
  connectionString?: string;
  schema?: string;
  applicationName?: string;
  // Connections in pg-boss's own pool.
  maxConnections?: number;
  // Sends cron jobs (the worker); a process that only enqueues leaves this off.
  schedule?: boolean;
  // Expires jobs of workers that died and archives old ones (the worker).
  supervise?: boolean;
  // How often maintenance (expiry of dead workers' jobs) runs, in seconds.
  maintenanceIntervalSeconds?: number;
};

// A pg-boss instance on the app's database. Installing or upgrading its schema is safe from several processes at
// once (pg-boss takes an advisory lock), and its errors are logged rather than thrown into the event loop.
export function createBoss(options: BossOptions = {}): PgBoss {
  const connectionString = options.connectionString ?? env.DATABASE_URL;
  if (!connectionString) throw new AppError("CONFIGURATION", "DATABASE_URL is not set; the job queue needs the database.");
  const boss = new PgBoss({
    connectionString,
    schema: options.schema ?? BOSS_SCHEMA,
    application_name: options.applicationName ?? "pulseboard",
    max: options.maxConnections ?? 4,
    migrate: true,
    schedule: options.schedule ?? true,
    supervise: options.supervise ?? true,
    ...(options.maintenanceIntervalSeconds ? { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds } : {}),
  });
  boss.on("error", (error) => logger.error("job queue error", { error: error.message }));
  return boss;
}

const globalForJobs = globalThis as unknown as { jobSender?: Promise<PgBoss> };

// The web process's pg-boss, started on first use, that only enqueues (no cron, no maintenance: the worker does those).
function jobSender(): Promise<PgBoss> {
  if (globalForJobs.jobSender) return globalForJobs.jobSender;
  const starting = createBoss({ applicationName: "pulseboard-web", schedule: false, supervise: false, maxConnections: 2 }).start();
  globalForJobs.jobSender = starting;
  // A failed start is not cached: the next request tries again.
  starting.catch(() => {
    if (globalForJobs.jobSender === starting) globalForJobs.jobSender = undefined;
  });
  return starting;
}

// Asks the worker to run a job now (e.g. "reconcile now"). One per job name can wait in the queue (the same
// singleton key the schedule uses), so repeated clicks do not pile up: null means one is already waiting.
export async function enqueueJob(name: string, data: Record<string, unknown> = {}): Promise<string | null> {
  const boss = await jobSender().catch((error: unknown) => {
    throw new AppError("DATABASE_UNAVAILABLE", "The job queue is unavailable; try again shortly.", { cause: error });
  });
  // pg-boss silently drops a job for a queue that does not exist, so say why nothing will happen.
  if (!(await boss.getQueue(name))) throw new AppError("CONFIGURATION", `The worker has not created the "${name}" queue yet. Is the worker running?`);
  return boss.send(name, { trigger: "manual", ...data }, { singletonKey: name });
}
