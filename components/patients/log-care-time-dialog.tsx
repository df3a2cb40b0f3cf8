"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { CheckboxField, Field, fieldErrors, InputField } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { logCareTimeAction } from "@/lib/actions/log-care-time";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { updateCareTimeAction } from "@/lib/actions/update-care-time";
import { logCareTimeSchema, type LogCareTimeInput } from "@/lib/care-time/schemas";
import { keepingValues } from "@/lib/forms/submit";

// An entry being corrected, as the form starts from it.
export type EditedCareTimeEntry = { id: string; serviceDate: string; minutes: number; interactive: boolean; note: string | null };

type LogCareTimeDialogProps = {
  patientId: string;
  today: string;
  // What opens it (a "Log care time" button by default), the minutes to start from (a timer's), and what to do once
  // the time is logged (stop the timer).
  trigger?: ReactNode;
  minutes?: number;
  onLogged?: () => void;
  // Given, the dialog corrects this entry instead of logging a new one.
  entry?: EditedCareTimeEntry;
};

// Logs minutes spent on a patient's monitoring: the day, how long, whether it included talking with them, a note;
// or corrects an entry logged earlier.
export function LogCareTimeDialog({ patientId, today, trigger, minutes, onLogged, entry }: LogCareTimeDialogProps) {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const log = useMutation({
    // A correction names the entry; the patient stays the entry's own.
    mutationFn: async ({ patientId: _ofThisRecord, ...fields }: LogCareTimeInput) =>
      unwrapAction(entry ? await updateCareTimeAction({ ...fields, entryId: entry.id }) : await logCareTimeAction({ ...fields, patientId })),
    onSuccess: (_result, input) => {
      toast.success(entry ? `Saved the entry: ${input.minutes} min` : `Logged ${input.minutes} min of care time`);
      setIsOpen(false);
      onLogged?.();
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });

  function onSubmit(form: FormData) {
    const parsed = logCareTimeSchema.safeParse({
      patientId,
      serviceDate: form.get("serviceDate"),
      minutes: Number(form.get("minutes")),
      interactive: form.get("interactive") === "on",
      note: String(form.get("note") ?? ""),
    });
    setErrors(parsed.success ? {} : fieldErrors(parsed.error.issues));
    if (parsed.success) log.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={(open) => !log.isPending && setIsOpen(open)}>
      <DialogTrigger asChild>{trigger ?? <Button variant="outline">Log care time</Button>}</DialogTrigger>
      <DialogContent>
        <DialogTitle>{entry ? "Correct care time" : "Log care time"}</DialogTitle>
        <DialogDescription>
          {entry
            ? "Change the entry where it was logged wrong; the month's totals follow, and the audit log keeps the minutes before and after."
            : "Time spent on this patient's remote monitoring: reviewing readings, calls, coordinating their care."}
        </DialogDescription>
        <form onSubmit={keepingValues(onSubmit)} className="flex flex-col gap-4" noValidate>
          <div className="grid gap-4 sm:grid-cols-2">
            <InputField id="serviceDate" label="Date" type="date" defaultValue={entry?.serviceDate ?? today} max={today} error={errors.serviceDate} />
            <InputField
              id="minutes"
              label="Minutes"
              type="number"
              inputMode="numeric"
              min={1}
              max={240}
              step={1}
              defaultValue={entry?.minutes ?? minutes}
              error={errors.minutes}
            />
          </div>
          <CheckboxField
            id="interactive"
            label="Included a live call or video with the patient or caregiver"
            hint="99457 needs at least one such entry in the month."
            defaultChecked={entry?.interactive ?? false}
          />
          <Field id="note" label="Note (optional)" error={errors.note}>
            <Textarea
              id="note"
              name="note"
              maxLength={500}
              defaultValue={entry?.note ?? ""}
              aria-invalid={Boolean(errors.note)}
              placeholder="e.g. Reviewed two weeks of BP, called about evening readings."
            />
          </Field>
          <Button type="submit" disabled={log.isPending}>
            {log.isPending ? "Saving…" : entry ? "Save changes" : "Log time"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
