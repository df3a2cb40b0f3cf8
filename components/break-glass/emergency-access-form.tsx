"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { requestEmergencyAccessAction } from "@/lib/actions/request-emergency-access";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { BREAK_GLASS_MINUTES, BREAK_GLASS_REASON_MAX, emergencyAccessSchema, type EmergencyAccessInput } from "@/lib/break-glass/schemas";

type FieldErrors = Partial<Record<keyof EmergencyAccessInput, string>>;

// The break-glass request: which patient and a written reason; on success, straight to the patient's audit trail.
export function EmergencyAccessForm({ patient }: { patient?: { id: string; label: string } }) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [reasonLength, setReasonLength] = useState(0);
  const request = useMutation({
    mutationFn: async (input: EmergencyAccessInput) => unwrapAction(await requestEmergencyAccessAction(input)),
    onSuccess: (grant) => {
      toast.success(`Emergency access granted for ${BREAK_GLASS_MINUTES} minutes`);
      router.push(`/emergency-access/${grant.patientId}`);
    },
    onError: (error) => toast.error(error.message),
  });

  // A submit handler rather than <form action>: React resets an action form, and a refused request must keep the
  // reason the person just wrote.
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = emergencyAccessSchema.safeParse({ patientId: patient?.id, mrn: patient ? undefined : form.get("mrn"), reason: form.get("reason") });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path[0], i.message])) as FieldErrors);
      return;
    }
    setErrors({});
    request.mutate(parsed.data);
  }

  return (
    <form onSubmit={onSubmit} className="flex max-w-xl flex-col gap-4" noValidate>
      {patient ? (
        <p className="text-sm">
          Patient: <span className="font-medium">{patient.label}</span>
        </p>
      ) : (
        <div className="flex flex-col gap-2">
          <Label htmlFor="mrn">Patient MRN</Label>
          <Input id="mrn" name="mrn" autoComplete="off" className="max-w-xs font-mono" aria-invalid={Boolean(errors.mrn)} aria-describedby={errors.mrn ? "mrn-error" : undefined} />
          {errors.mrn ? (
            <p id="mrn-error" className="text-sm text-destructive">
              {errors.mrn}
            </p>
          ) : null}
        </div>
      )}
      <div className="flex flex-col gap-2">
        <Label htmlFor="reason">Reason for emergency access</Label>
        <p id="reason-hint" className="text-sm text-muted-foreground">
          Why you need this now. Describe the situation, not the patient: no names or clinical details.
        </p>
        <textarea
          id="reason"
          name="reason"
          rows={4}
          maxLength={BREAK_GLASS_REASON_MAX}
          onChange={(e) => setReasonLength(e.target.value.trim().length)}
          aria-invalid={Boolean(errors.reason)}
          aria-describedby={errors.reason ? "reason-hint reason-error" : "reason-hint"}
          className="rounded-md border bg-card px-3 py-2 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring aria-invalid:border-destructive"
        />
        <p className="text-xs text-muted-foreground" aria-live="polite">
          {reasonLength}/{BREAK_GLASS_REASON_MAX}
        </p>
        {errors.reason ? (
          <p id="reason-error" className="text-sm text-destructive">
            {errors.reason}
          </p>
        ) : null}
      </div>
      <Button type="submit" variant="destructive" disabled={request.isPending} className="self-start">
        {request.isPending ? "Requesting…" : "Break the glass"}
      </Button>
    </form>
  );
}
