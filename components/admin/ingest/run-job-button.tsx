"use client";

import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { runIngestJobAction } from "@/lib/actions/run-ingest-job";
import { unwrapAction } from "@/lib/actions/unwrap-action";

type IngestJob = "tenovi.reconcile" | "validic.reconcile" | "smartz.poll" | "ingest.sweep";

// Asks the worker to run a reconcile, poll or sweep now; the result shows on this page once it finished.
export function RunJobButton({ job, label }: { job: IngestJob; label: string }) {
  const run = useMutation({
    mutationFn: async () => unwrapAction(await runIngestJobAction({ job })),
    onSuccess: (result) => toast.success(result.queued ? `${label}: queued. Refresh in a moment for the result.` : `${label}: already queued.`),
    onError: (error) => toast.error(error.message),
  });
  return (
    <Button variant="outline" size="sm" disabled={run.isPending} onClick={() => run.mutate()}>
      {label}
    </Button>
  );
}
