// Processes every ingest event still waiting (received or failed), now rather than when the minute sweep finds it
// due, and prints the sweep's counts as one JSON line. Run by the fault specs: `node --import tsx e2e/faults/drain-ingest.ts`.
import { db } from "@/lib/db";
import { sweepIngestEvents } from "@/lib/ingest/sweep";

const result = await sweepIngestEvents({ settings: { staleAfterMs: 0, baseBackoffMs: 0, batchSize: 10_000 } });
console.log(JSON.stringify(result));
await db.$disconnect();
