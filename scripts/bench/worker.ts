// The background worker as the benchmark runs it beside the web server: every job of lib/jobs/registry.ts (ingest
// processing and its sweep among them) except those that would reach a vendor (the bench starts no simulators) or
// rewrite the generated clinic (marking two years of quiet devices silent, raising adherence alerts), which would
// make one run's dataset differ from the next. SIGTERM/SIGINT stop it gracefully, as scripts/worker.ts does.
import { ALERTS_MISSING_DATA_JOB, JOBS } from "@/lib/jobs/registry";
import { lowerWorkerPriority, startWorker } from "@/lib/jobs/worker";

const SKIPPED_JOBS = new Set(["smartz.poll", "tenovi.reconcile", "validic.reconcile", "devices.mark-silent", ALERTS_MISSING_DATA_JOB]);

lowerWorkerPriority();
const worker = await startWorker({ jobs: JOBS.filter((job) => !SKIPPED_JOBS.has(job.name)) });

let isStopping = false;
async function stop() {
  if (isStopping) return;
  isStopping = true;
  await worker.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
