"use client";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { resetStaffTwoStepAction } from "@/lib/actions/reset-staff-two-step";
import { unwrapAction } from "@/lib/actions/unwrap-action";

// An admin turns two-step verification off for a staff member who lost or replaced their phone, after confirming.
export function ResetTwoStepDialog({ userId, name }: { userId: string; name: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm">
          Turn off two-step
        </Button>
      }
      title={`Turn off two-step verification for ${name}?`}
      description="For a lost or replaced phone. They are signed out everywhere and sign in with their password alone until they set it up again under Account. Make sure it is them asking, in person or on a call you placed."
      confirmLabel="Turn off two-step"
      pendingLabel="Turning off…"
      action={async () => unwrapAction(await resetStaffTwoStepAction({ userId }))}
      success={{
        title: `Two-step verification turned off for ${name}`,
        description: "Their sessions have ended; they sign in with their password and can set it up again.",
      }}
    />
  );
}
