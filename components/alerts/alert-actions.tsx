"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";

import { ResolveAlertDialog } from "@/components/alerts/resolve-alert-dialog";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { acknowledgeAlertAction } from "@/lib/actions/acknowledge-alert";
import { assignAlertAction } from "@/lib/actions/assign-alert";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import type { AcknowledgeAlertInput, AssignAlertInput } from "@/lib/alerts/schemas";
import { useSingleFlight } from "@/lib/hooks/use-single-flight";

const UNASSIGNED = "__unassigned";

export type Assignee = { id: string; name: string };

// Assign, acknowledge and resolve for one unresolved alert. Every control is disabled while any of them is saving,
// so a double click sends one request; the server refuses a second transition anyway.
export function AlertActions({ alertId, status, assignedToId, assignees, context }: { alertId: string; status: "open" | "acknowledged"; assignedToId: string | null; assignees: Assignee[]; context: string }) {
  const router = useRouter();
  const once = useSingleFlight();
  const onError = (e: Error) => toast.error(e.message);
  const assign = useMutation({
    mutationFn: async (input: AssignAlertInput) => unwrapAction(await assignAlertAction(input)),
    onSuccess: (_data, input) => {
      toast.success(input.assigneeId ? `Assigned to ${assignees.find((a) => a.id === input.assigneeId)?.name ?? "them"}` : "Alert unassigned");
      router.refresh();
    },
    onError,
  });
  const acknowledge = useMutation({
    mutationFn: async (input: AcknowledgeAlertInput) => unwrapAction(await acknowledgeAlertAction(input)),
    onSuccess: () => {
      toast.success("Alert acknowledged");
      router.refresh();
    },
    onError,
  });
  const isBusy = assign.isPending || acknowledge.isPending;
  // Someone assigned who has since left keeps showing, so the select never silently drops the current owner.
  const options = assignedToId && !assignees.some((a) => a.id === assignedToId) ? [...assignees, { id: assignedToId, name: "Former staff member" }] : assignees;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Select value={assignedToId ?? UNASSIGNED} disabled={isBusy} onValueChange={(value) => once((done) => assign.mutate({ alertId, assigneeId: value === UNASSIGNED ? null : value }, { onSettled: done }))}>
        <SelectTrigger className="h-8 w-44 text-xs" aria-label={`Assigned clinician for alert: ${context}`}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={UNASSIGNED}>Unassigned</SelectItem>
          {options.map((a) => (
            <SelectItem key={a.id} value={a.id}>
              {a.name}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      {status === "open" ? (
        <Button
          size="sm"
          variant="outline"
          disabled={isBusy}
          onClick={() => once((done) => acknowledge.mutate({ alertId }, { onSettled: done }))}
        >
          {acknowledge.isPending ? "Acknowledging…" : "Acknowledge"}
          <span className="sr-only"> alert: {context}</span>
        </Button>
      ) : null}
      <ResolveAlertDialog alertId={alertId} context={context} disabled={isBusy} />
    </div>
  );
}
