"use client";

import { useQuery } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";

import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { normalizeImei } from "@/lib/devices/schemas";
import { deviceKeys } from "@/lib/query-keys";
import { imeiProblem, IMEI_LENGTH } from "@/lib/vendors/validic/imei";

type ImeiCheck = { imei: string; problem: string | null; assignedTo: { patientId: string; label: string } | null };

async function fetchImeiCheck(imei: string): Promise<ImeiCheck> {
  const response = await fetch(`/api/devices/imei?imei=${encodeURIComponent(imei)}`, { signal: AbortSignal.timeout(20_000) });
  if (!response.ok) throw new Error("The IMEI could not be checked.");
  return (await response.json()) as ImeiCheck;
}

// An IMEI input for typing, pasting or scanning: spaces and dashes are dropped as they arrive, the 15 digits and the
// Luhn check digit are checked here, and a warning names the patient who already has this IMEI.
export function ImeiField({ id, value, onChange, error }: { id: string; value: string; onChange: (imei: string) => void; error?: string }) {
  const problem = value.length >= IMEI_LENGTH ? imeiProblem(value) : null;
  const isComplete = value.length === IMEI_LENGTH && problem === null;
  const check = useQuery({ queryKey: deviceKeys.imei(value), queryFn: () => fetchImeiCheck(value), enabled: isComplete, staleTime: 5_000 });
  const shown = error ?? problem ?? undefined;
  const holder = isComplete ? check.data?.assignedTo : null;
  return (
    <Field id={id} label="IMEI" error={shown} hint="15 digits on the back of the device or its box. Paste or scan it; spaces and dashes are removed.">
      <Input
        id={id}
        name={id}
        inputMode="numeric"
        autoComplete="off"
        value={value}
        aria-invalid={Boolean(shown)}
        aria-describedby={describedBy(id, shown, true)}
        onChange={(event) => onChange(normalizeImei(event.target.value))}
        // A scanner ends with Enter: keep it from submitting the form before the rest is filled in.
        onKeyDown={(event) => {
          if (event.key === "Enter") event.preventDefault();
        }}
      />
      <div aria-live="polite">
        {holder ? (
          <p className="flex items-center gap-1.5 text-sm text-foreground" data-testid="imei-assigned-warning">
            <TriangleAlert className="size-4 text-warning" aria-hidden /> Already assigned to {holder.label}.
          </p>
        ) : null}
      </div>
    </Field>
  );
}
