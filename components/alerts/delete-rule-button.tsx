"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { deleteAlertRuleAction } from "@/lib/actions/delete-alert-rule";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { useSingleFlight } from "@/lib/hooks/use-single-flight";

// Delete with a confirmation step; alerts the rule raised stay in the patients' histories.
export function DeleteRuleButton({ ruleId, description }: { ruleId: string; description: string }) {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const once = useSingleFlight();
  const remove = useMutation({
    mutationFn: async () => unwrapAction(await deleteAlertRuleAction({ ruleId })),
    onSuccess: () => {
      toast.success("Rule deleted");
      setIsOpen(false);
      router.refresh();
    },
    onError: (e) => toast.error(e.message),
  });
  return (
    <Dialog open={isOpen} onOpenChange={(open) => !remove.isPending && setIsOpen(open)}>
      <DialogTrigger asChild>
        <Button size="sm" variant="ghost">
          Delete<span className="sr-only"> rule: {description}</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Delete this rule?</DialogTitle>
        <DialogDescription>{description}. Alerts it already raised stay in the patients&apos; histories.</DialogDescription>
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="outline">Keep rule</Button>
          </DialogClose>
          <Button variant="destructive" disabled={remove.isPending} onClick={() => once((done) => remove.mutate(undefined, { onSettled: done }))}>
            {remove.isPending ? "Deleting…" : "Delete rule"}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
