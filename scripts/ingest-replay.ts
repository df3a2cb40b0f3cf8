// `npm run ingest:replay -- --id N | --since ISO --until ISO | --failed`: re-processes stored raw payloads after a
// mapping fix. Readings derived from them are updated in place (never duplicated). Prints counts; writes one audit
// event under the system actor. Needs DATABASE_URL (the one `npm start` prints, or your deployment's).
import { parseArgs } from "node:util";

import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit";
import { replayIngestEvents, replaySelectionSchema, type ReplaySelection } from "@/lib/ingest/replay";

const USAGE = "usage: npm run ingest:replay -- --id N | --since ISO --until ISO | --failed";

function selectionFromArgs(): ReplaySelection {
  const { values } = parseArgs({ options: { id: { type: "string" }, since: { type: "string" }, until: { type: "string" }, failed: { type: "boolean" } } });
  const modes = [values.id !== undefined, values.since !== undefined || values.until !== undefined, values.failed === true].filter(Boolean).length;
  if (modes !== 1) throw new Error(USAGE);
  const raw =
    values.id !== undefined ? { mode: "id", id: values.id } : values.failed ? { mode: "failed" } : { mode: "range", since: values.since, until: values.until };
  const parsed = replaySelectionSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((issue) => issue.message).join("; ")}\n${USAGE}`);
  return parsed.data;
}

try {
  const selection = selectionFromArgs();
  const result = await replayIngestEvents(selection);
  await recordAudit({
    actor: SYSTEM_ACTOR,
    action: "ingest.replay",
    outcome: result.failed > 0 ? "failure" : "success",
    targetType: "ingest_event",
    targetId: selection.mode === "id" ? selection.id : undefined,
    details: {
      via: "cli",
      mode: selection.mode,
      events: result.events,
      processed: result.processed,
      failed: result.failed,
      readingsUpdated: result.readingsUpdated,
    },
  });
  console.log(JSON.stringify(result, null, 2));
  process.exit(result.failed > 0 ? 1 : 0);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
