"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Link } from "@/components/ui/link";
import { enrolPatientAction } from "@/lib/actions/enrol-patient";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { updatePatientAction } from "@/lib/actions/update-patient";
import { fieldErrorsFromActionError, fieldErrorsFromZod, type FieldErrors } from "@/lib/forms/field-errors";
import { enrolPatientSchema, TIME_ZONES, US_STATES, type PatientFieldsInput } from "@/lib/patients/schemas";

// What the form starts with: empty for an enrolment, the stored record for an edit.
export type PatientFormValues = Omit<PatientFieldsInput, "smsConsent" | "email" | "addressLine2" | "careManagerId"> & {
  email: string;
  addressLine2: string;
  careManagerId: string;
  smsConsent: boolean;
};

// A choice in a select: what is sent and what is shown.
type Option = { value: string; label: string };

type Props = { initial: PatientFormValues; careManagers: Option[] } & ({ mode: "enrol" } | { mode: "edit"; patientId: string; expectedUpdatedAt: string });

const TEXT_FIELDS = ["mrn", "firstName", "lastName", "dateOfBirth", "physician", "phone", "email", "addressLine1", "addressLine2", "city", "zipCode"] as const;
const FIELD_ORDER = [
  "mrn",
  "firstName",
  "lastName",
  "dateOfBirth",
  "physician",
  "careManagerId",
  "phone",
  "email",
  "smsConsent",
  "addressLine1",
  "addressLine2",
  "city",
  "state",
  "zipCode",
  "timeZone",
];

function readForm(form: HTMLFormElement): PatientFieldsInput {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "");
  return {
    ...(Object.fromEntries(TEXT_FIELDS.map((f) => [f, text(f)])) as Record<(typeof TEXT_FIELDS)[number], string>),
    state: text("state"),
    careManagerId: text("careManagerId"),
    timeZone: text("timeZone"),
    smsConsent: data.get("smsConsent") === "on",
  };
}

// Enrol and edit form for a patient's demographics: checked in the browser first, then on the server, whose
// refusals (e.g. a duplicate MRN) land under the field they concern. One submission at a time.
export function PatientForm(props: Props) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const isEdit = props.mode === "edit";

  const save = useMutation({
    mutationFn: async (input: PatientFieldsInput) => {
      if (props.mode === "edit") {
        return unwrapAction(await updatePatientAction({ ...input, patientId: props.patientId, expectedUpdatedAt: props.expectedUpdatedAt }));
      }
      return unwrapAction(await enrolPatientAction(input));
    },
    onSuccess: (result) => {
      toast.success(isEdit ? "Patient details saved" : "Patient enrolled");
      router.push(`/patients/${result.id}`);
      router.refresh();
    },
    onError: (error) => {
      const fieldErrors = fieldErrorsFromActionError(error);
      if (Object.keys(fieldErrors).length > 0) {
        showErrors(fieldErrors);
        toast.error("Some fields need attention.");
      } else {
        toast.error(error.message);
      }
    },
  });
  const isBusy = save.isPending || save.isSuccess;

  function showErrors(next: FieldErrors) {
    setErrors(next);
    const first = FIELD_ORDER.find((f) => next[f]);
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isBusy) return;
    const input = readForm(event.currentTarget);
    const parsed = enrolPatientSchema.safeParse(input);
    if (!parsed.success) {
      showErrors(fieldErrorsFromZod(parsed.error));
      return;
    }
    setErrors({});
    save.mutate(input);
  }

  const errorCount = Object.keys(errors).length;
  const initial = props.initial;
  const timeZones = TIME_ZONES.includes(initial.timeZone) ? TIME_ZONES : [initial.timeZone, ...TIME_ZONES];
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="flex flex-col gap-6" aria-busy={save.isPending}>
      {errorCount > 0 ? (
        <p role="alert" className="border-destructive/30 bg-destructive/10 text-destructive rounded-md border px-3 py-2 text-sm">
          {errorCount === 1 ? "One field needs attention." : `${errorCount} fields need attention.`}
        </p>
      ) : null}
      <Section title="Identity">
        <Field name="mrn" label="MRN" defaultValue={initial.mrn} error={errors.mrn} hint="4–20 letters, digits or hyphens" autoCapitalize="characters" />
        <Field name="firstName" label="First name" defaultValue={initial.firstName} error={errors.firstName} autoComplete="off" />
        <Field name="lastName" label="Last name" defaultValue={initial.lastName} error={errors.lastName} autoComplete="off" />
        <Field name="dateOfBirth" label="Date of birth" type="date" defaultValue={initial.dateOfBirth} error={errors.dateOfBirth} />
      </Section>
      <Section title="Care team">
        <Field name="physician" label="Ordering physician" defaultValue={initial.physician} error={errors.physician} />
        <SelectField
          name="careManagerId"
          label="Care manager"
          defaultValue={initial.careManagerId}
          error={errors.careManagerId}
          hint="Follows this patient day to day: their “My patients” lists include them."
          options={[{ value: "", label: "No care manager" }, ...props.careManagers]}
        />
      </Section>
      <Section title="Contact">
        <Field name="phone" label="Mobile phone" type="tel" defaultValue={initial.phone} error={errors.phone} hint="US number, 10 digits" />
        <Field name="email" label="Email (optional)" type="email" defaultValue={initial.email} error={errors.email} />
        <CheckboxField
          id="smsConsent"
          label="Consents to text messages"
          hint="Device vendors may text the patient about shipping and set-up only with this consent."
          defaultChecked={initial.smsConsent}
          className="sm:col-span-2"
        />
      </Section>
      <Section title="Shipping address">
        <Field name="addressLine1" label="Street address" defaultValue={initial.addressLine1} error={errors.addressLine1} className="sm:col-span-2" />
        <Field
          name="addressLine2"
          label="Apartment, suite (optional)"
          defaultValue={initial.addressLine2}
          error={errors.addressLine2}
          className="sm:col-span-2"
        />
        <Field name="city" label="City" defaultValue={initial.city} error={errors.city} />
        <SelectField name="state" label="State" defaultValue={initial.state} error={errors.state} options={[CHOOSE, ...US_STATES.map(sameLabel)]} />
        <Field name="zipCode" label="ZIP code" defaultValue={initial.zipCode} error={errors.zipCode} inputMode="numeric" />
        <SelectField name="timeZone" label="Time zone" defaultValue={initial.timeZone} error={errors.timeZone} options={timeZones.map(sameLabel)} />
      </Section>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={isBusy}>
          {save.isPending ? "Saving…" : isEdit ? "Save changes" : "Enrol patient"}
        </Button>
        <Button asChild variant="ghost">
          <Link href={props.mode === "edit" ? `/patients/${props.patientId}` : "/patients"}>Cancel</Link>
        </Button>
      </div>
    </form>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 sm:grid-cols-2">
      <legend className="mb-2 text-sm font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}

function FieldMessages({ name, hint, error }: { name: string; hint?: string; error?: string }) {
  return (
    <>
      {hint ? (
        <p id={`${name}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="text-destructive text-sm">
          {error}
        </p>
      ) : null}
    </>
  );
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
}

type FieldProps = {
  name: string;
  label: string;
  defaultValue: string;
  error?: string;
  hint?: string;
  type?: string;
  className?: string;
  autoComplete?: string;
  autoCapitalize?: string;
  inputMode?: "numeric";
};

function Field({ name, label, defaultValue, error, hint, type = "text", className, ...rest }: FieldProps) {
  return (
    <div className={`flex flex-col gap-1.5 ${className ?? ""}`}>
      <Label htmlFor={name}>{label}</Label>
      <Input
        id={name}
        name={name}
        type={type}
        defaultValue={defaultValue}
        aria-invalid={Boolean(error)}
        aria-describedby={describedBy(name, hint, error)}
        {...rest}
      />
      <FieldMessages name={name} hint={hint} error={error} />
    </div>
  );
}

const CHOOSE: Option = { value: "", label: "Choose…" };

function sameLabel(value: string): Option {
  return { value, label: value };
}

function SelectField({
  name,
  label,
  defaultValue,
  error,
  hint,
  options,
}: {
  name: string;
  label: string;
  defaultValue: string;
  error?: string;
  hint?: string;
  options: readonly Option[];
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={name}>{label}</Label>
      <select
        id={name}
        name={name}
        defaultValue={defaultValue}
        aria-invalid={Boolean(error)}
        aria-describedby={describedBy(name, hint, error)}
        className="bg-card focus-visible:ring-ring aria-invalid:border-destructive h-9 rounded-md border px-2 text-sm focus-visible:ring-2 focus-visible:outline-none"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessages name={name} hint={hint} error={error} />
    </div>
  );
}
