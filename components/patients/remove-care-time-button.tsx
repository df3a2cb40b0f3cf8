"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { removeCareTimeAction } from "@/lib/actions/remove-care-time";
import { unwrapAction } from "@/lib/actions/unwrap-action";

// Removes a care-time entry logged in error, after confirming; `summary` names it ("15 min on Nov 22, 2026").
export function RemoveCareTimeButton({ entryId, summary }: { entryId: string; summary: string }) {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const remove = useMutation({
    mutationFn: async () => unwrapAction(await removeCareTimeAction({ entryId })),
    onSuccess: () => {
      toast.success(`Removed ${summary}`);
      setIsOpen(false);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <Dialog open={isOpen} onOpenChange={(open) => !remove.isPending && setIsOpen(open)}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm">
          Remove<span className="sr-only"> {summary}</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Remove {summary}?</DialogTitle>
        <DialogDescription>
          For time logged in error. It leaves the month&apos;s total and the report; the audit log keeps that it was logged and removed.
        </DialogDescription>
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant="destructive" disabled={remove.isPending} onClick={() => remove.mutate()}>
            {remove.isPending ? "Removing…" : "Remove entry"}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
