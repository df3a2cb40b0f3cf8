"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";

import { DeactivateStaffDialog } from "@/components/admin/deactivate-staff-dialog";
import { ResetPasswordDialog } from "@/components/admin/reset-password-dialog";
import { ResetTwoStepDialog } from "@/components/admin/reset-two-step-dialog";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { updateStaffAction } from "@/lib/actions/update-staff";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/permissions";
import type { UpdateStaffInput } from "@/lib/staff/schemas";

type StaffRow = { userId: string; name: string; role: Role; isActive: boolean; isSelf: boolean; hasTwoStep: boolean; managedPatients: number };

// Role picker, deactivation (confirmed) or reactivation, password reset and turning two-step verification off, for one
// staff member (not for the admin themself).
export function StaffRowControls({ userId, name, role, isActive, isSelf, hasTwoStep, managedPatients }: StaffRow) {
  const router = useRouter();
  const update = useMutation({
    mutationFn: async (input: UpdateStaffInput) => unwrapAction(await updateStaffAction(input)),
    onSuccess: () => {
      toast.success(`Updated ${name}`);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <div className="flex items-center gap-2">
      <Select value={role} disabled={isSelf || update.isPending} onValueChange={(v) => update.mutate({ userId, role: v as Role })}>
        <SelectTrigger className="w-44" aria-label={`Role for ${name}`}>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          {ROLES.map((r) => (
            <SelectItem key={r} value={r}>
              {ROLE_LABELS[r]}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
      {isActive ? (
        <DeactivateStaffDialog userId={userId} name={name} managedPatients={managedPatients} disabled={isSelf || update.isPending} />
      ) : (
        <Button variant="outline" size="sm" disabled={update.isPending} onClick={() => update.mutate({ userId, isActive: true })}>
          Reactivate
        </Button>
      )}
      {isSelf || !isActive ? null : <ResetPasswordDialog userId={userId} name={name} />}
      {isSelf || !isActive || !hasTwoStep ? null : <ResetTwoStepDialog userId={userId} name={name} />}
    </div>
  );
}
