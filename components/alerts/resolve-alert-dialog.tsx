"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { resolveAlertAction } from "@/lib/actions/resolve-alert";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { resolveAlertSchema, type ResolveAlertInput } from "@/lib/alerts/schemas";
import { keepingValues } from "@/lib/forms/submit";
import { useSingleFlight } from "@/lib/hooks/use-single-flight";

// "Resolve" opens a dialog asking what was done; the note is required and the button locks while saving.
export function ResolveAlertDialog({ alertId, context, disabled }: { alertId: string; context: string; disabled?: boolean }) {
  const router = useRouter();
  const noteId = useId();
  const once = useSingleFlight();
  const [isOpen, setIsOpen] = useState(false);
  const [error, setError] = useState<string>();
  const resolve = useMutation({
    mutationFn: async (input: ResolveAlertInput) => unwrapAction(await resolveAlertAction(input)),
    onSuccess: () => {
      toast.success("Alert resolved");
      setIsOpen(false);
      router.refresh();
    },
    onError: (e) => toast.error(e.message),
  });

  function onSubmit(form: FormData) {
    const parsed = resolveAlertSchema.safeParse({ alertId, note: form.get("note") });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Write a note.");
      return;
    }
    setError(undefined);
    once((done) => resolve.mutate(parsed.data, { onSettled: done }));
  }

  return (
    <Dialog open={isOpen} onOpenChange={(open) => !resolve.isPending && setIsOpen(open)}>
      <DialogTrigger asChild>
        <Button size="sm" disabled={disabled || resolve.isPending}>
          Resolve<span className="sr-only"> alert: {context}</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Resolve alert</DialogTitle>
        <DialogDescription>{context}</DialogDescription>
        <form onSubmit={keepingValues(onSubmit)} className="flex flex-col gap-3" noValidate>
          <div className="flex flex-col gap-2">
            <Label htmlFor={noteId}>Resolution note (required)</Label>
            <Textarea id={noteId} name="note" maxLength={2000} aria-invalid={Boolean(error)} aria-describedby={error ? `${noteId}-error` : undefined} placeholder="What was done, e.g. called the patient, repeat reading normal." />
            {error ? (
              <p id={`${noteId}-error`} role="alert" className="text-sm text-destructive">
                {error}
              </p>
            ) : null}
          </div>
          <Button type="submit" disabled={resolve.isPending}>
            {resolve.isPending ? "Resolving…" : "Resolve alert"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
