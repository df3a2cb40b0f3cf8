"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { replayIngestAction } from "@/lib/actions/replay-ingest";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import type { ReplaySelection } from "@/lib/ingest/replay";

type ReplayInput = { mode: "id"; id: string } | { mode: "failed" };

function useReplay() {
  const router = useRouter();
  return useMutation({
    mutationFn: async (input: ReplayInput) => unwrapAction(await replayIngestAction(input satisfies ReplaySelection)),
    onSuccess: (result) => {
      const more = result.hasMore ? " More remain; replay again." : "";
      const message = `Replayed ${result.events} event(s): ${result.processed} processed, ${result.failed} failed, ${result.readingsUpdated} reading(s) updated.${more}`;
      if (result.failed > 0) toast.error(message);
      else toast.success(message);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
}

// Re-processes one stored payload (after a mapping fix or an outage).
export function ReplayEventButton({ eventId }: { eventId: string }) {
  const replay = useReplay();
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={replay.isPending}
      onClick={() => replay.mutate({ mode: "id", id: eventId })}
      aria-label={`Replay event ${eventId}`}
    >
      {replay.isPending ? "Replaying…" : "Replay"}
    </Button>
  );
}

// Re-processes every failed payload (a batch per click).
export function ReplayFailedButton({ count }: { count: number }) {
  const replay = useReplay();
  return (
    <Button size="sm" disabled={count === 0 || replay.isPending} onClick={() => replay.mutate({ mode: "failed" })}>
      {replay.isPending ? "Replaying…" : `Replay all failed (${count})`}
    </Button>
  );
}
