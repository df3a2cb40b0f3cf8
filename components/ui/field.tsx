import type { ComponentProps, ReactNode } from "react";

import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

// One labelled form control with its hint and error; the control gets `aria-describedby` from `describedBy(id)`.
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}

// A labelled input named by its id (for forms read through FormData), with its hint and error.
export function InputField({ id, label, error, hint, ...input }: { id: string; label: string; error?: string; hint?: ReactNode } & Omit<ComponentProps<"input">, "id" | "name">) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <Input id={id} name={id} aria-invalid={Boolean(error)} aria-describedby={describedBy(id, error, Boolean(hint))} {...input} />
    </Field>
  );
}

// A labelled checkbox named by its id (checked reads as "on" from FormData), with its hint under the label.
export function CheckboxField({ id, label, hint, defaultChecked, className }: { id: string; label: string; hint: ReactNode; defaultChecked: boolean; className?: string }) {
  return (
    <div className={cn("flex items-start gap-2", className)}>
      <input
        id={id}
        name={id}
        type="checkbox"
        defaultChecked={defaultChecked}
        aria-describedby={`${id}-hint`}
        className="mt-0.5 size-4 rounded border accent-primary focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      />
      <div className="flex flex-col gap-1">
        <Label htmlFor={id}>{label}</Label>
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      </div>
    </div>
  );
}

// The ids a control's aria-describedby should name.
export function describedBy(id: string, error?: string, hasHint = false): string | undefined {
  const ids = [hasHint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

// Zod issues as { "address.zipCode": "message" }, the first message per field.
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}
