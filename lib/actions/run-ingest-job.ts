"use server";

import { z } from "zod";

import { authActionClient } from "@/lib/actions/safe-action";
import { enqueueJob } from "@/lib/jobs/boss";

// Jobs the ingest health page may start on demand (the worker runs them).
const runIngestJobSchema = z.object({ job: z.enum(["tenovi.reconcile", "validic.reconcile", "smartz.poll", "ingest.sweep"]) });

// Queues a reconcile, poll or sweep now instead of waiting for its schedule.
export const runIngestJobAction = authActionClient
  .metadata({ action: "ingest.run-job", permission: "ingest.replay" })
  .inputSchema(runIngestJobSchema)
  .action(async ({ parsedInput, ctx }) => {
    const jobId = await enqueueJob(parsedInput.job);
    Object.assign(ctx.audit, { type: "job", id: jobId ?? undefined, details: { job: parsedInput.job, queued: jobId !== null } });
    return { queued: jobId !== null };
  });
