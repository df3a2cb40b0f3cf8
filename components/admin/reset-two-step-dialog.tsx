"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { resetStaffTwoStepAction } from "@/lib/actions/reset-staff-two-step";
import { unwrapAction } from "@/lib/actions/unwrap-action";

// An admin turns two-step verification off for a staff member who lost or replaced their phone, after confirming.
export function ResetTwoStepDialog({ userId, name }: { userId: string; name: string }) {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const reset = useMutation({
    mutationFn: async () => unwrapAction(await resetStaffTwoStepAction({ userId })),
    onSuccess: () => {
      toast.success(`Two-step verification turned off for ${name}`, {
        description: "Their sessions have ended; they sign in with their password and can set it up again.",
      });
      setIsOpen(false);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          Turn off two-step
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Turn off two-step verification for {name}?</DialogTitle>
        <DialogDescription>
          For a lost or replaced phone. They are signed out everywhere and sign in with their password alone until they set it up again under Account. Make sure
          it is them asking, in person or on a call you placed.
        </DialogDescription>
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant="destructive" disabled={reset.isPending} onClick={() => reset.mutate()}>
            {reset.isPending ? "Turning off…" : "Turn off two-step"}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
