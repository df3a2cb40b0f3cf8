import { z } from "zod";

import { evaluateMissingDataRules } from "@/lib/alerts";
import { markSilentDevices } from "@/lib/ingest/silent-devices";
import { pollSmartz } from "@/lib/ingest/smartz-poll";
import { sweepIngestEvents } from "@/lib/ingest/sweep";
import { reconcileTenovi } from "@/lib/ingest/tenovi-reconcile";
import { reconcileValidic } from "@/lib/ingest/validic-reconcile";

// What a handler gets besides the job's data: its id, why it runs, and a signal that fires when the worker stops
// (long jobs stop between items; the next run continues).
export type JobContext = { jobId: string; trigger: string; signal: AbortSignal };

// How pg-boss retries a failed (or abandoned) run: attempts after the first, seconds before the first retry,
// doubling when backoff is on.
export type RetryPolicy = { limit: number; delaySeconds: number; backoff: boolean };

// One background job: its queue name, what it does, when it runs on its own, and how failures are retried.
export type JobDefinition = {
  name: string;
  description: string;
  // Standard 5-field cron in UTC; none for on-demand jobs.
  cron?: string;
  retry: RetryPolicy;
  // A run still active after this long is taken for a dead worker: pg-boss fails it and the retry policy applies.
  expireInSeconds: number;
  // The job's result (counts, ids), kept by pg-boss as the job's output. Throwing fails the run (and retries it).
  handler: (data: Record<string, unknown>, ctx: JobContext) => Promise<Record<string, unknown>>;
};

// Name of the job that evaluates the Validic-style user/missing_data adherence rules.
export const ALERTS_MISSING_DATA_JOB = "alerts.missing-data";

const sweepDataSchema = z.object({ eventIds: z.array(z.string().regex(/^\d+$/)).optional() });

// Every job the worker runs. Append a job with one entry here; the worker creates its queue, schedules its cron
// and works it. Handlers are idempotent: a retried or concurrent run has its effects once.
export const JOBS: JobDefinition[] = [
  {
    name: "ingest.sweep",
    description: "Re-process ingest events stuck in received, or failed and due for a retry; retry failed readings-stored hooks.",
    cron: "* * * * *",
    retry: { limit: 1, delaySeconds: 15, backoff: false },
    // Short, so a sweep held by a killed worker is given up (and run again) within minutes; sweeps claim events with
    // SKIP LOCKED, so one still running beside the retry never processes an event twice.
    expireInSeconds: 5 * 60,
    handler: async (data) => {
      const eventIds = sweepDataSchema.parse(data).eventIds?.map((id) => BigInt(id));
      return { ...(await sweepIngestEvents({ scope: eventIds ? { eventIds } : {} })) };
    },
  },
  {
    name: "smartz.poll",
    description: "Fetch each Smartz-linked patient's status and new events since the cursor; store and process them.",
    cron: "* * * * *",
    retry: { limit: 1, delaySeconds: 15, backoff: false },
    expireInSeconds: 15 * 60,
    handler: async (_data, ctx) => ({ ...(await pollSmartz({ trigger: ctx.trigger, signal: ctx.signal })) }),
  },
  {
    name: "tenovi.reconcile",
    description: "Backfill every active Tenovi device from its measurements endpoint (webhooks are never retried).",
    cron: "0 * * * *",
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    expireInSeconds: 60 * 60,
    handler: async (_data, ctx) => ({ ...(await reconcileTenovi({ trigger: ctx.trigger, signal: ctx.signal })) }),
  },
  {
    name: "validic.reconcile",
    description: "Re-read each Validic-linked patient's recent records from the REST API and upsert what is missing.",
    cron: "0 */6 * * *",
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    expireInSeconds: 60 * 60,
    handler: async (_data, ctx) => ({ ...(await reconcileValidic({ trigger: ctx.trigger, signal: ctx.signal })) }),
  },
  {
    name: "devices.mark-silent",
    description: "Mark active devices without a reading for devices.silentAfterDays (default 3) as silent.",
    cron: "*/15 * * * *",
    retry: { limit: 2, delaySeconds: 60, backoff: true },
    expireInSeconds: 15 * 60,
    handler: async () => {
      const { marked, days } = await markSilentDevices();
      return { marked: marked.length, days };
    },
  },
  {
    name: ALERTS_MISSING_DATA_JOB,
    description: "Evaluate every active user/missing_data rule over its window and raise an alert for each trigger.",
    cron: "*/15 * * * *",
    retry: { limit: 2, delaySeconds: 60, backoff: true },
    expireInSeconds: 15 * 60,
    handler: async () => {
      const { evaluated, alertIds } = await evaluateMissingDataRules(new Date());
      return { evaluated, alertsRaised: alertIds.length };
    },
  },
];

// The definition of a job by name.
export function findJob(name: string, jobs: JobDefinition[] = JOBS): JobDefinition | undefined {
  return jobs.find((job) => job.name === name);
}
