"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { replayIngestEvents, replaySelectionSchema } from "@/lib/ingest/replay";

// Events one click replays; more are reported as remaining (the CLI has no limit).
const REPLAY_LIMIT = 200;

// Re-processes stored payloads (one event, a time range, or every failed event) after a mapping fix; readings are
// updated in place, never duplicated.
export const replayIngestAction = authActionClient
  .metadata({ action: "ingest.replay", permission: "ingest.replay" })
  .inputSchema(replaySelectionSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await replayIngestEvents(parsedInput, { limit: REPLAY_LIMIT });
    Object.assign(ctx.audit, {
      type: "ingest_event",
      id: parsedInput.mode === "id" ? parsedInput.id : undefined,
      details: {
        mode: parsedInput.mode,
        events: result.events,
        processed: result.processed,
        failed: result.failed,
        readingsUpdated: result.readingsUpdated,
        hasMore: result.hasMore,
      },
    });
    return result;
  });
