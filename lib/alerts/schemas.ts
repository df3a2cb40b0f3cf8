import { z } from "zod";

import { MAX_WINDOW_MS, parseIsoDuration, windowLengthMs } from "@/lib/alerts/duration";
import { normalizeComparator } from "@/lib/alerts/rules";

export const RULE_KINDS = ["threshold", "change", "missing_data"] as const;
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export const ORIGINS = ["device", "manual", "unknown"] as const;

// less_than, greater_than, equal_to, and Validic's misspelt greather_than.
export const comparatorSchema = z.string().transform((value, ctx) => {
  const comparator = normalizeComparator(value);
  if (!comparator) {
    ctx.addIssue({ code: "custom", message: "Use less_than, greater_than or equal_to." });
    return z.NEVER;
  }
  return comparator;
});

// An ISO 8601 duration such as P7D, PT604800S, P1W or PT12H, at most a year long.
export const windowSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((text) => parseIsoDuration(text) !== null, "Use an ISO 8601 duration such as P7D, P1W or PT12H.")
  .refine((text) => {
    const duration = parseIsoDuration(text);
    return !duration || windowLengthMs(duration) <= MAX_WINDOW_MS;
  }, "Windows longer than a year are not supported.");

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

const ruleFields = {
  kind: z.enum(RULE_KINDS),
  metric: z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, "Use a metric name such as blood_pressure."),
  unit: optionalText(20),
  origin: z.enum(ORIGINS).nullish().transform((v) => v ?? null),
  comparator: comparatorSchema,
  thresholdValue: z.coerce.number().refine(Number.isFinite, "Enter a number."),
  window: windowSchema.nullish().transform((v) => v ?? null),
  severity: z.enum(SEVERITIES),
  message: z.string().trim().min(1, "Say what the alert means.").max(500),
};

type RuleFields = { kind: (typeof RULE_KINDS)[number]; comparator: string; window: string | null; thresholdValue: number };

// Rules that only make sense one way: windows for change and adherence rules, none for thresholds.
function checkRuleShape(rule: RuleFields, ctx: z.RefinementCtx) {
  if (rule.kind !== "threshold" && !rule.window) ctx.addIssue({ code: "custom", path: ["window"], message: "Change and adherence rules need a window such as P7D." });
  if (rule.kind === "threshold" && rule.window) ctx.addIssue({ code: "custom", path: ["window"], message: "Threshold rules check each reading; leave the window empty." });
  if (rule.kind === "change" && rule.comparator === "equal_to") ctx.addIssue({ code: "custom", path: ["comparator"], message: "A change rule watches a rise (greater_than) or a fall (less_than)." });
  if (rule.kind === "missing_data" && (rule.thresholdValue < 0 || !Number.isInteger(rule.thresholdValue))) {
    ctx.addIssue({ code: "custom", path: ["thresholdValue"], message: "An adherence rule counts readings: use a whole number." });
  }
}

// A new rule: for one patient, or a program default when patientId is null.
export const createAlertRuleSchema = z
  .object({ patientId: z.string().trim().min(1).max(40).nullable(), ...ruleFields })
  .superRefine(checkRuleShape);
export type CreateAlertRuleInput = z.input<typeof createAlertRuleSchema>;

// A changed rule (its scope stays), and whether it is switched on.
export const updateAlertRuleSchema = z
  .object({ ruleId: z.string().trim().min(1).max(40), isActive: z.boolean(), ...ruleFields })
  .superRefine(checkRuleShape);
export type UpdateAlertRuleInput = z.input<typeof updateAlertRuleSchema>;

export const deleteAlertRuleSchema = z.object({ ruleId: z.string().trim().min(1).max(40) });
export type DeleteAlertRuleInput = z.infer<typeof deleteAlertRuleSchema>;

// A rule as Validic's Business Rules API takes it (POST …/users/{uid}/rules), mapped to Pulseboard's fields, so
// rules written against Validic's doc (including its "greather_than") can be entered as they are.
export const validicRuleSchema = z
  .object({
    type: z.literal("user/missing_data"),
    window: windowSchema,
    message: z.string().min(1),
    metric: z.object({ type: z.string().min(1), unit: z.string().nullish(), origin: z.enum(ORIGINS).nullish() }),
    threshold: z.object({ value: z.number(), comparator: comparatorSchema }),
  })
  .transform((rule) => ({
    kind: "missing_data" as const,
    metric: rule.metric.type,
    unit: rule.metric.unit ?? null,
    origin: rule.metric.origin ?? null,
    comparator: rule.threshold.comparator,
    thresholdValue: rule.threshold.value,
    window: rule.window,
    message: rule.message,
  }));

const alertId = z.string().trim().min(1).max(40);

export const assignAlertSchema = z.object({ alertId, assigneeId: z.string().trim().min(1).max(40).nullable() });
export type AssignAlertInput = z.infer<typeof assignAlertSchema>;

export const acknowledgeAlertSchema = z.object({ alertId });
export type AcknowledgeAlertInput = z.infer<typeof acknowledgeAlertSchema>;

// Alerts ticked on a page of the worklist (a page at its largest).
export const acknowledgeAlertsSchema = z.object({
  alertIds: z
    .array(alertId)
    .min(1, "Choose at least one alert.")
    .max(100, "Choose at most 100 alerts at a time.")
    .transform((ids) => [...new Set(ids)]),
});
export type AcknowledgeAlertsInput = z.infer<typeof acknowledgeAlertsSchema>;

// Resolving needs a note: what was done, for the patient's alert history.
export const resolveAlertSchema = z.object({ alertId, note: z.string().trim().min(1, "Write what was done before resolving.").max(2000) });
export type ResolveAlertInput = z.infer<typeof resolveAlertSchema>;
