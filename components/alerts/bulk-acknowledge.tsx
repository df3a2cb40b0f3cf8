"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { toast } from "sonner";

import { BULK_ALERTS_FORM } from "@/components/data-table/bulk-forms";
import { BulkSubmit, clearRowSelection, useRowSelection } from "@/components/data-table/row-selection";
import { acknowledgeAlertsAction } from "@/lib/actions/acknowledge-alerts";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { useSingleFlight } from "@/lib/hooks/use-single-flight";

// "Acknowledge" for the alerts ticked on this page of the worklist (after a device glitch raised a dozen at once):
// one action; alerts someone else acknowledged or resolved meanwhile are left as they are, and the toast says so.
export function BulkAcknowledgeForm() {
  const router = useRouter();
  const count = useRowSelection(BULK_ALERTS_FORM).checked;
  const once = useSingleFlight();
  const acknowledge = useMutation({
    mutationFn: async (alertIds: string[]) => unwrapAction(await acknowledgeAlertsAction({ alertIds })),
    onSuccess: ({ acknowledged }, alertIds) => {
      const skipped = alertIds.length - acknowledged;
      toast.success(
        `Acknowledged ${acknowledged} ${acknowledged === 1 ? "alert" : "alerts"}`,
        skipped > 0 ? { description: `${skipped} had already been acknowledged or resolved.` } : undefined,
      );
      clearRowSelection(BULK_ALERTS_FORM);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const alertIds = new FormData(event.currentTarget).getAll("alertIds").map(String);
    if (alertIds.length > 0) once((done) => acknowledge.mutate(alertIds, { onSettled: done }));
  }

  return (
    <form
      id={BULK_ALERTS_FORM}
      onSubmit={onSubmit}
      aria-label="Acknowledge the selected alerts"
      className="flex flex-wrap items-center gap-3 border-b px-3 py-3"
    >
      <BulkSubmit
        count={count}
        isPending={acknowledge.isPending}
        label="Acknowledge selected"
        pendingLabel="Acknowledging…"
        noun={["alert", "alerts"]}
        hint="Tick open alerts to acknowledge them together."
      />
    </form>
  );
}
