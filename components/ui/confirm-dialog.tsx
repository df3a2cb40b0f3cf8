"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { useSingleFlight } from "@/lib/hooks/use-single-flight";

type ConfirmDialogProps = {
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  cancelLabel?: string;
  // Runs once per confirmation (a double click cannot run it twice); a thrown error is toasted and the dialog stays.
  action: () => Promise<unknown>;
  success: { title: string; description?: string };
};

// A destructive step asked for in a dialog: the trigger opens it, the confirm button runs the action (locked while
// it runs, and the dialog cannot be closed meanwhile), a toast says how it went, and the page's data is refreshed.
export function ConfirmDialog({ trigger, title, description, confirmLabel, pendingLabel, cancelLabel = "Cancel", action, success }: ConfirmDialogProps) {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const once = useSingleFlight();
  const run = useMutation({
    mutationFn: action,
    onSuccess: () => {
      toast.success(success.title, success.description ? { description: success.description } : undefined);
      setIsOpen(false);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <Dialog open={isOpen} onOpenChange={(open) => !run.isPending && setIsOpen(open)}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="outline">{cancelLabel}</Button>
          </DialogClose>
          <Button variant="destructive" disabled={run.isPending} onClick={() => once((done) => run.mutate(undefined, { onSettled: done }))}>
            {run.isPending ? pendingLabel : confirmLabel}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
