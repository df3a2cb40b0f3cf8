import type { AlertRuleKind, Comparator, Severity } from "@/lib/generated/prisma/enums";

// The fields of an AlertRule the engine and the screens read.
export type RuleLike = {
  id: string;
  patientId: string | null;
  kind: AlertRuleKind;
  metric: string;
  unit: string | null;
  origin: string | null;
  comparator: Comparator;
  thresholdValue: number;
  window: string | null;
  severity: Severity;
  message: string;
  isActive: boolean;
};

export type RuleSource = "program" | "patient";
export type EffectiveRule<R extends RuleLike = RuleLike> = R & { source: RuleSource; overrides: string[] };

export const COMPARATORS = ["less_than", "greater_than", "equal_to"] as const;

// Validic's Business Rules doc spells the comparator "greather_than"; rules written from it must still work.
const COMPARATOR_ALIASES: Record<string, Comparator> = { greather_than: "greater_than" };

// A comparator from input, with Validic's misspelling accepted; null for anything else.
export function normalizeComparator(input: string): Comparator | null {
  const value = input.trim().toLowerCase();
  if ((COMPARATORS as readonly string[]).includes(value)) return value as Comparator;
  return COMPARATOR_ALIASES[value] ?? null;
}

// Relative tolerance for equal_to, so 5 mmol/L converted to mg/dL and back still equals 5.
const EQUALITY_TOLERANCE = 1e-9;

// Whether `value <comparator> threshold` holds: strict less/greater, equality within floating-point noise.
export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  if (comparator === "less_than") return value < threshold;
  if (comparator === "greater_than") return value > threshold;
  return Math.abs(value - threshold) <= EQUALITY_TOLERANCE * Math.max(1, Math.abs(threshold));
}

// Comparators as staff read them.
export const COMPARATOR_LABELS: Record<Comparator, string> = { less_than: "below", greater_than: "above", equal_to: "equal to" };

function ruleKey(rule: RuleLike): string {
  return `${rule.kind}|${rule.metric}|${rule.comparator}`;
}

// The rules that apply to one patient: their own active rules, plus each active program default that no patient
// rule of the same kind, metric and comparator replaces. Inactive rules never apply.
export function effectiveRules<R extends RuleLike>(rules: readonly R[], patientId: string): EffectiveRule<R>[] {
  const own = rules.filter((r) => r.isActive && r.patientId === patientId);
  const defaults = rules.filter((r) => r.isActive && r.patientId === null);
  const replaced = new Map<string, string[]>();
  for (const rule of own) {
    const key = ruleKey(rule);
    replaced.set(key, defaults.filter((d) => ruleKey(d) === key).map((d) => d.id));
  }
  return [
    ...own.map((rule) => ({ ...rule, source: "patient" as const, overrides: replaced.get(ruleKey(rule)) ?? [] })),
    ...defaults.filter((d) => !replaced.has(ruleKey(d))).map((rule) => ({ ...rule, source: "program" as const, overrides: [] })),
  ];
}

// effectiveRules for many patients from one list of rules: the list is grouped by patient once, and patients without
// rules of their own share one answer (for a 1,000-reading batch, working it out again for every patient cost more
// than checking the readings). The answers are shared: read them, never change them.
export function effectiveRulesByPatient<R extends RuleLike>(rules: readonly R[]): (patientId: string) => readonly EffectiveRule<R>[] {
  const defaults = rules.filter((rule) => rule.patientId === null);
  const own = new Map<string, R[]>();
  for (const rule of rules) {
    if (rule.patientId === null) continue;
    const list = own.get(rule.patientId);
    if (list) list.push(rule);
    else own.set(rule.patientId, [rule]);
  }
  const programOnly = effectiveRules(defaults, "");
  return (patientId) => {
    const ownRules = own.get(patientId);
    return ownRules ? effectiveRules([...defaults, ...ownRules], patientId) : programOnly;
  };
}
