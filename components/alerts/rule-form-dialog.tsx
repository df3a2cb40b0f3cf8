"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type ReactNode } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { createAlertRuleAction } from "@/lib/actions/create-alert-rule";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { updateAlertRuleAction } from "@/lib/actions/update-alert-rule";
import type { RuleLike } from "@/lib/alerts/rules";
import { createAlertRuleSchema, ORIGINS, RULE_KINDS, SEVERITIES, updateAlertRuleSchema } from "@/lib/alerts/schemas";
import { keepingValues } from "@/lib/forms/submit";
import { useSingleFlight } from "@/lib/hooks/use-single-flight";
import { METRIC_LABELS } from "@/lib/readings/format";
import { RULE_METRICS } from "@/lib/readings/metrics";

const KIND_LABELS: Record<(typeof RULE_KINDS)[number], string> = { threshold: "Threshold (each reading)", change: "Change within a window", missing_data: "Adherence: user/missing_data" };
const COMPARATOR_OPTIONS = [
  { value: "greater_than", label: "greater than" },
  { value: "less_than", label: "less than" },
  { value: "equal_to", label: "equal to" },
];

type Errors = Partial<Record<string, string>>;
type RuleDraft = Pick<RuleLike, "kind" | "metric" | "unit" | "origin" | "comparator" | "thresholdValue" | "window" | "severity" | "message"> & { isActive?: boolean };

const EMPTY: RuleDraft = { kind: "threshold", metric: "blood_pressure", unit: null, origin: null, comparator: "greater_than", thresholdValue: 0, window: null, severity: "medium", message: "" };

function NativeSelect({ id, name, label, defaultValue, options, error, onChange }: { id: string; name: string; label: string; defaultValue: string; options: { value: string; label: string }[]; error?: string; onChange?: (value: string) => void }) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue}
        onChange={(e) => onChange?.(e.target.value)}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        className="h-9 rounded-md border bg-card px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={id} error={error} />
    </div>
  );
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={`${id}-error`} className="text-xs text-destructive">
      {error}
    </p>
  ) : null;
}

function TextField({ id, name, label, defaultValue, error, hint, type = "text", step }: { id: string; name: string; label: string; defaultValue: string; error?: string; hint?: string; type?: string; step?: string }) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={name} type={type} step={step} defaultValue={defaultValue} aria-invalid={Boolean(error)} aria-describedby={[error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined} />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      <FieldError id={id} error={error} />
    </div>
  );
}

type RuleFormProps = {
  patientId: string | null;
  rule?: RuleDraft & { id: string; isActive: boolean };
  // Prefills a new rule, e.g. from the program default a patient rule will replace.
  template?: RuleDraft;
  title: string;
};

// Create or edit an alert rule: for one patient, or a program default (patientId null). Validated in the browser
// with the server's own schema for quick feedback, and again on the server. The form is mounted when the dialog
// opens: a rules table has a dialog per row, and each one's form, hooks and option lists were built on every render
// of the page for dialogs nobody had opened.
export function RuleFormDialog({ trigger, ...form }: RuleFormProps & { trigger: ReactNode }) {
  const [isOpen, setIsOpen] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  return (
    <Dialog open={isOpen} onOpenChange={(open) => !isSaving && setIsOpen(open)}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      {isOpen ? <RuleForm {...form} onSavingChange={setIsSaving} onSaved={() => setIsOpen(false)} /> : null}
    </Dialog>
  );
}

function RuleForm({ patientId, rule, template, title, onSavingChange, onSaved }: RuleFormProps & { onSavingChange: (isSaving: boolean) => void; onSaved: () => void }) {
  const router = useRouter();
  const formId = useId();
  const once = useSingleFlight();
  const draft = rule ?? template ?? EMPTY;
  const [kind, setKind] = useState<RuleDraft["kind"]>(draft.kind);
  const [errors, setErrors] = useState<Errors>({});
  const save = useMutation({
    mutationFn: async (form: FormData) => {
      const fields = {
        kind,
        metric: form.get("metric"),
        unit: form.get("unit"),
        origin: form.get("origin") || null,
        comparator: form.get("comparator"),
        thresholdValue: form.get("thresholdValue"),
        window: kind === "threshold" ? null : form.get("window"),
        severity: form.get("severity"),
        message: form.get("message"),
      };
      const showErrors = (issues: { path: PropertyKey[]; message: string }[]) => setErrors(Object.fromEntries(issues.map((i) => [String(i.path[0]), i.message])));
      if (rule) {
        const parsed = updateAlertRuleSchema.safeParse({ ...fields, ruleId: rule.id, isActive: form.get("isActive") === "on" });
        if (!parsed.success) return showErrors(parsed.error.issues);
        setErrors({});
        return unwrapAction(await updateAlertRuleAction(parsed.data));
      }
      const parsed = createAlertRuleSchema.safeParse({ ...fields, patientId });
      if (!parsed.success) return showErrors(parsed.error.issues);
      setErrors({});
      return unwrapAction(await createAlertRuleAction(parsed.data));
    },
    // While it saves, the dialog stays open (it cannot be dismissed).
    onMutate: () => onSavingChange(true),
    onSettled: () => onSavingChange(false),
    // Undefined means the browser-side check failed and the errors are showing.
    onSuccess: (result) => {
      if (!result) return;
      toast.success(rule ? "Rule saved" : "Rule added");
      onSaved();
      router.refresh();
    },
    onError: (e) => toast.error(e.message),
  });
  const id = (name: string) => `${formId}-${name}`;
  return (
    <DialogContent className="max-h-[90vh] max-w-xl overflow-y-auto">
      <DialogTitle>{title}</DialogTitle>
      <DialogDescription>
        {patientId === null && !rule ? "A program default applies to every enrolled patient unless their own rule for the same metric and comparator replaces it." : "Readings evaluated from now on meet the saved rule; alerts already raised stay as they are."}
      </DialogDescription>
      <form
        onSubmit={keepingValues((form) => once((done) => save.mutate(form, { onSettled: done })))}
        className="grid gap-3 sm:grid-cols-2"
        noValidate
      >
        <NativeSelect id={id("kind")} name="kind" label="Kind" defaultValue={kind} onChange={(v) => setKind(v as RuleDraft["kind"])} options={RULE_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} error={errors.kind} />
        <NativeSelect
          id={id("metric")}
          name="metric"
          label="Metric"
          defaultValue={draft.metric}
          options={[...new Set([...RULE_METRICS, draft.metric])].map((m) => ({ value: m, label: METRIC_LABELS[m] ?? m }))}
          error={errors.metric}
        />
        <NativeSelect id={id("comparator")} name="comparator" label={kind === "missing_data" ? "Reading count is" : kind === "change" ? "Change is" : "Value is"} defaultValue={draft.comparator} options={COMPARATOR_OPTIONS} error={errors.comparator} />
        <TextField
          id={id("threshold")}
          name="thresholdValue"
          label={kind === "missing_data" ? "Number of readings" : "Threshold"}
          type="number"
          step="any"
          defaultValue={String(draft.thresholdValue)}
          error={errors.thresholdValue}
          hint={kind === "threshold" && draft.metric === "blood_pressure" ? "Blood pressure rules compare the systolic value." : kind === "change" ? "A fall is a negative number with “less than”, e.g. −2." : undefined}
        />
        <TextField id={id("unit")} name="unit" label="Unit (optional)" defaultValue={draft.unit ?? ""} error={errors.unit} hint={kind === "missing_data" ? "Counts only readings in this unit." : "Readings in other units are converted (mg/dL ↔ mmol/L, kg ↔ lb, °C ↔ °F)."} />
        {kind !== "threshold" ? <TextField id={id("window")} name="window" label="Window (ISO 8601)" defaultValue={draft.window ?? (kind === "missing_data" ? "P7D" : "P2D")} error={errors.window} hint="P7D, P1W, PT12H, PT604800S…" /> : null}
        <NativeSelect id={id("origin")} name="origin" label="Origin" defaultValue={draft.origin ?? ""} options={[{ value: "", label: "Any origin" }, ...ORIGINS.map((o) => ({ value: o, label: o }))]} error={errors.origin} />
        <NativeSelect id={id("severity")} name="severity" label="Severity" defaultValue={draft.severity} options={SEVERITIES.map((s) => ({ value: s, label: s }))} error={errors.severity} />
        <div className="sm:col-span-2">
          <TextField id={id("message")} name="message" label="Alert message" defaultValue={draft.message} error={errors.message} hint="What the alert says, e.g. “Systolic above 180 mmHg”." />
        </div>
        {rule ? (
          <label className="flex items-center gap-2 text-sm sm:col-span-2">
            <input type="checkbox" name="isActive" defaultChecked={rule.isActive} className="size-4" /> Rule is switched on
          </label>
        ) : null}
        <div className="sm:col-span-2">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : rule ? "Save rule" : "Add rule"}
          </Button>
        </div>
      </form>
    </DialogContent>
  );
}
