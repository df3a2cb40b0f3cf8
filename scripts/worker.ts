// The background worker: pg-boss queues for the ingest sweep, the Smartz poll, the Tenovi and Validic reconciles
// and silent-device marking (lib/jobs/registry.ts). `npm start` runs one beside the web server; more may run.
// SIGTERM/SIGINT stop it gracefully: running jobs get time to finish, the rest go back to the queue.
import { lowerWorkerPriority, startWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/logger";

lowerWorkerPriority();
const worker = await startWorker();

let isStopping = false;
async function stop(signal: string) {
  if (isStopping) return;
  isStopping = true;
  logger.info("worker stopping", { signal });
  try {
    await worker.stop();
    process.exit(0);
  } catch (error) {
    logger.error("worker did not stop cleanly", { error: error instanceof Error ? error.message : "unknown" });
    process.exit(1);
  }
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
