"use client";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { updateStaffAction } from "@/lib/actions/update-staff";

// An admin deactivates a staff member after confirming, told first about the patients they are care manager of.
export function DeactivateStaffDialog({
  userId,
  name,
  managedPatients,
  disabled,
}: {
  userId: string;
  name: string;
  managedPatients: number;
  disabled: boolean;
}) {
  const patients = `${managedPatients} ${managedPatients === 1 ? "patient" : "patients"}`;
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm" disabled={disabled}>
          Deactivate
        </Button>
      }
      title={`Deactivate ${name}?`}
      description={
        <>
          They are signed out at once and can no longer sign in; what they did stays in the audit log.
          {managedPatients > 0
            ? ` They are care manager of ${patients}: those stay theirs, flagged for reassignment here and on the patient list, until you give them to someone else.`
            : null}
        </>
      }
      confirmLabel="Deactivate"
      pendingLabel="Deactivating…"
      action={async () => unwrapAction(await updateStaffAction({ userId, isActive: false }))}
      success={{ title: `Deactivated ${name}`, description: "Their sessions have ended." }}
    />
  );
}
