"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { updateClinicSettingsAction } from "@/lib/actions/update-clinic-settings";
import { keepingValues } from "@/lib/forms/submit";
import { clinicSettingsSchema, GLUCOSE_UNITS, type ClinicSettingName, type ClinicSettings, type GlucoseUnit } from "@/lib/settings/schemas";

type FieldErrors = Partial<Record<ClinicSettingName, string>>;

const DAY_FIELDS: { name: Exclude<ClinicSettingName, "glucoseUnit" | "requireTwoStep">; label: string; hint: string }[] = [
  { name: "silentAfterDays", label: "Device silent after (days)", hint: "An active device without a reading for this long is marked silent." },
  { name: "stuckAfterDays", label: "Shipment stuck after (days)", hint: "A shipment still in transit this long goes on the exceptions worklist." },
  { name: "noReadingAfterDays", label: "No first reading after (days)", hint: "A delivered device without a reading this long goes on the worklist." },
];

// The clinic-wide settings: validated in the browser for quick feedback, and again on the server.
export function ClinicSettingsForm({ settings }: { settings: ClinicSettings }) {
  const router = useRouter();
  const [glucoseUnit, setGlucoseUnit] = useState<GlucoseUnit>(settings.glucoseUnit);
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useMutation({
    mutationFn: async (input: ClinicSettings) => unwrapAction(await updateClinicSettingsAction(input)),
    onSuccess: ({ changed }) => {
      toast.success(changed.length > 0 ? "Clinic settings saved" : "Nothing changed");
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });

  function onSubmit(form: FormData) {
    const days = Object.fromEntries(DAY_FIELDS.map(({ name }) => [name, Number(form.get(name))]));
    const parsed = clinicSettingsSchema.safeParse({ glucoseUnit, ...days, requireTwoStep: form.get("requireTwoStep") === "on" });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path[0], i.message])) as FieldErrors);
      return;
    }
    setErrors({});
    save.mutate(parsed.data);
  }

  return (
    <form onSubmit={keepingValues(onSubmit)} className="grid gap-4 p-6 sm:grid-cols-2" noValidate aria-label="Clinic settings">
      <div className="flex flex-col gap-2">
        <Label htmlFor="glucoseUnit">Glucose unit</Label>
        <Select value={glucoseUnit} onValueChange={(v) => setGlucoseUnit(v as GlucoseUnit)}>
          <SelectTrigger id="glucoseUnit" aria-describedby="glucoseUnit-hint">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {GLUCOSE_UNITS.map((unit) => (
              <SelectItem key={unit} value={unit}>
                {unit}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <p id="glucoseUnit-hint" className="text-xs text-muted-foreground">
          How glucose readings, charts and thresholds are shown; readings are stored as the device sent them.
        </p>
      </div>
      {DAY_FIELDS.map((field) => (
        <DaysField key={field.name} {...field} defaultValue={settings[field.name]} error={errors[field.name]} />
      ))}
      <CheckboxField
        id="requireTwoStep"
        label="Require two-step verification for all staff"
        hint="Anyone without it, you included, reaches only their account page until they set it up with an authenticator app."
        defaultChecked={settings.requireTwoStep}
        className="sm:col-span-2"
      />
      <div className="sm:col-span-2">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </Button>
      </div>
    </form>
  );
}

function DaysField({ name, label, hint, defaultValue, error }: { name: string; label: string; hint: string; defaultValue: number; error?: string }) {
  const describedBy = error ? `${name}-error` : `${name}-hint`;
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={name}>{label}</Label>
      <Input id={name} name={name} type="number" inputMode="numeric" min={1} step={1} defaultValue={defaultValue} aria-invalid={Boolean(error)} aria-describedby={describedBy} />
      {error ? (
        <p id={`${name}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : (
        <p id={`${name}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
    </div>
  );
}
