import { describeDuration, parseIsoDuration } from "@/lib/alerts/duration";
import type { RuleLike } from "@/lib/alerts/rules";
import { METRIC_LABELS } from "@/lib/readings/format";

function windowText(window: string | null): string {
  const duration = window ? parseIsoDuration(window) : null;
  return duration ? describeDuration(duration) : (window ?? "?");
}

// A rule in one line for staff: "Blood pressure (systolic) above 180 mmHg", "Fewer than 1 blood pressure reading
// in 3 days".
export function describeRule(rule: Pick<RuleLike, "kind" | "metric" | "unit" | "origin" | "comparator" | "thresholdValue" | "window">): string {
  const label = METRIC_LABELS[rule.metric] ?? rule.metric;
  const unit = rule.unit ? ` ${rule.unit}` : "";
  const value = rule.thresholdValue;
  if (rule.kind === "threshold") {
    const word = rule.comparator === "greater_than" ? "above" : rule.comparator === "less_than" ? "below" : "equal to";
    return `${label}${rule.metric === "blood_pressure" ? " (systolic)" : ""} ${word} ${value}${unit}`;
  }
  if (rule.kind === "change") {
    const change = rule.comparator === "greater_than" ? `rises by more than ${value}` : value <= 0 ? `falls by more than ${-value}` : `changes by less than ${value}`;
    return `${label} ${change}${unit} within ${windowText(rule.window)}`;
  }
  const count = rule.comparator === "less_than" ? "Fewer than" : rule.comparator === "greater_than" ? "More than" : "Exactly";
  const filters = [rule.unit ? `in ${rule.unit}` : null, rule.origin ? `${rule.origin} only` : null].filter(Boolean);
  return `${count} ${value} ${label.toLowerCase()} reading${value === 1 ? "" : "s"} in ${windowText(rule.window)}${filters.length > 0 ? ` (${filters.join(", ")})` : ""}`;
}

export const RULE_KIND_LABELS: Record<RuleLike["kind"], string> = { threshold: "Threshold", change: "Change", missing_data: "Adherence (user/missing_data)" };
