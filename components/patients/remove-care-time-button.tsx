"use client";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { removeCareTimeAction } from "@/lib/actions/remove-care-time";
import { unwrapAction } from "@/lib/actions/unwrap-action";

// Removes a care-time entry logged in error, after confirming; `summary` names it ("15 min on Nov 22, 2026").
export function RemoveCareTimeButton({ entryId, summary }: { entryId: string; summary: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm">
          Remove<span className="sr-only"> {summary}</span>
        </Button>
      }
      title={`Remove ${summary}?`}
      description="For time logged in error. It leaves the month's total and the report; the audit log keeps that it was logged and removed."
      confirmLabel="Remove entry"
      pendingLabel="Removing…"
      action={async () => unwrapAction(await removeCareTimeAction({ entryId }))}
      success={{ title: `Removed ${summary}` }}
    />
  );
}
