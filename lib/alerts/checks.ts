import { describeDuration, parseIsoDuration, windowStart } from "@/lib/alerts/duration";
import { compare, type RuleLike } from "@/lib/alerts/rules";
import { convertValue } from "@/lib/alerts/units";
import type { Severity } from "@/lib/generated/prisma/enums";
import { formatReadingValue } from "@/lib/readings/format";
import { isDeviceFlagged } from "@/lib/readings/metrics";

// The fields of a Reading the checks read.
export type CheckedReading = {
  id: bigint;
  metric: string;
  value: number;
  value2: number | null;
  unit: string;
  origin: string;
  flags: string[];
  measuredAt: Date;
};

// One rule crossed by one reading: what the alert will say.
export type Breach = { ruleId: string; readingId: bigint; severity: Severity; message: string };

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

function matchesRule(reading: CheckedReading, rule: RuleLike): boolean {
  return rule.metric === reading.metric && (!rule.origin || rule.origin === reading.origin);
}

// A reading's primary value (systolic for blood pressure) in the rule's unit; null when no conversion exists.
function valueInRuleUnit(reading: Pick<CheckedReading, "value" | "unit">, rule: RuleLike): number | null {
  return rule.unit ? convertValue(reading.value, reading.unit, rule.unit) : reading.value;
}

// A threshold rule against one reading. Device-flagged (Hi/Lo) values are checked as stored: a "Hi" glucose
// is at least the meter's upper limit, so it must still alert.
export function checkThreshold(reading: CheckedReading, rule: RuleLike): Breach | null {
  if (rule.kind !== "threshold" || !matchesRule(reading, rule)) return null;
  const value = valueInRuleUnit(reading, rule);
  if (value === null || !compare(value, rule.comparator, rule.thresholdValue)) return null;
  const converted = rule.unit && value !== reading.value ? ` (${round(value)} ${rule.unit})` : "";
  return { ruleId: rule.id, readingId: reading.id, severity: rule.severity, message: `${rule.message}: ${formatReadingValue(reading)}${converted}` };
}

// A change rule ("weight up more than 2 kg within P2D") against one reading and the patient's earlier readings of
// the metric. The window is [reading time − window, reading time): an earlier reading exactly at the window's
// start counts. A rise is measured from the lowest earlier value, a fall from the highest; flagged values,
// deleted readings and values without a unit conversion are left out.
export function checkChange(reading: CheckedReading, history: readonly CheckedReading[], rule: RuleLike): Breach | null {
  if (rule.kind !== "change" || !rule.window || rule.comparator === "equal_to" || !matchesRule(reading, rule) || isDeviceFlagged(reading.flags)) return null;
  const duration = parseIsoDuration(rule.window);
  const current = valueInRuleUnit(reading, rule);
  if (!duration || current === null) return null;
  const start = windowStart(reading.measuredAt, duration).getTime();
  const end = reading.measuredAt.getTime();
  const earlier = history
    .filter((h) => h.id !== reading.id && matchesRule(h, rule) && !isDeviceFlagged(h.flags) && h.measuredAt.getTime() >= start && h.measuredAt.getTime() < end)
    .map((h) => valueInRuleUnit(h, rule))
    .filter((v): v is number => v !== null);
  if (earlier.length === 0) return null;
  const baseline = rule.comparator === "greater_than" ? Math.min(...earlier) : Math.max(...earlier);
  const change = current - baseline;
  if (!compare(change, rule.comparator, rule.thresholdValue)) return null;
  const unit = rule.unit ?? reading.unit;
  const signed = `${change >= 0 ? "+" : "−"}${round(Math.abs(change))} ${unit}`;
  return {
    ruleId: rule.id,
    readingId: reading.id,
    severity: rule.severity,
    message: `${rule.message}: ${signed} within ${describeDuration(duration)} (${round(baseline)} → ${round(current)} ${unit})`,
  };
}
