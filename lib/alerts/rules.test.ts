import { describe, expect, it } from "vitest";

import { checkChange, checkThreshold, type CheckedReading } from "@/lib/alerts/checks";
import { describeRule } from "@/lib/alerts/describe";
import { compare, effectiveRules, effectiveRulesByPatient, normalizeComparator, type RuleLike } from "@/lib/alerts/rules";

const rule = (overrides: Partial<RuleLike>): RuleLike => ({
  id: "r1",
  patientId: null,
  kind: "threshold",
  metric: "blood_pressure",
  unit: null,
  origin: null,
  comparator: "greater_than",
  thresholdValue: 180,
  window: null,
  severity: "high",
  message: "Systolic above 180 mmHg",
  isActive: true,
  ...overrides,
});

let nextId = 1n;
const reading = (overrides: Partial<CheckedReading>): CheckedReading => ({
  id: nextId++,
  metric: "blood_pressure",
  value: 120,
  value2: 80,
  unit: "mmHg",
  origin: "device",
  flags: [],
  measuredAt: new Date("2026-03-10T12:00:00Z"),
  ...overrides,
});

describe("comparators", () => {
  it("accepts Validic's misspelling greather_than as greater_than", () => {
    expect(normalizeComparator("greather_than")).toBe("greater_than");
    expect(normalizeComparator("LESS_THAN")).toBe("less_than");
    expect(normalizeComparator("equal_to")).toBe("equal_to");
    expect(normalizeComparator("greater_or_equal")).toBeNull();
  });

  it("is strict at the threshold and exact (within float noise) for equal_to", () => {
    expect(compare(180, "greater_than", 180)).toBe(false);
    expect(compare(180.0001, "greater_than", 180)).toBe(true);
    expect(compare(90, "less_than", 90)).toBe(false);
    expect(compare(89.9, "less_than", 90)).toBe(true);
    expect(compare(5, "equal_to", 5)).toBe(true);
    expect(compare((5 * 18.016) / 18.016, "equal_to", 5)).toBe(true);
    expect(compare(5.001, "equal_to", 5)).toBe(false);
    expect(compare(0, "equal_to", 0)).toBe(true);
  });
});

describe("effective rules", () => {
  it("lets a patient rule for the same metric and comparator replace the program default, and keeps the others", () => {
    const defaults = [rule({ id: "hi" }), rule({ id: "lo", comparator: "less_than", thresholdValue: 90 }), rule({ id: "missing", kind: "missing_data", comparator: "less_than", thresholdValue: 1, window: "P3D" })];
    const own = rule({ id: "mine", patientId: "p1", thresholdValue: 160 });
    const someoneElse = rule({ id: "theirs", patientId: "p2", thresholdValue: 150 });
    const result = effectiveRules([...defaults, own, someoneElse], "p1");
    expect(result.map((r) => [r.id, r.source]).sort()).toEqual([["lo", "program"], ["mine", "patient"], ["missing", "program"]]);
    expect(result.find((r) => r.id === "mine")?.overrides).toEqual(["hi"]);
  });

  it("ignores inactive rules: an inactive patient rule does not replace the default", () => {
    const result = effectiveRules([rule({ id: "hi" }), rule({ id: "off", patientId: "p1", isActive: false }), rule({ id: "old", isActive: false, comparator: "less_than" })], "p1");
    expect(result.map((r) => r.id)).toEqual(["hi"]);
  });

  it("answers per patient from one list exactly as effectiveRules does", () => {
    const rules = [
      rule({ id: "hi" }),
      rule({ id: "lo", comparator: "less_than", thresholdValue: 90 }),
      rule({ id: "p1-hi", patientId: "p1", thresholdValue: 160 }),
      rule({ id: "p1-off", patientId: "p1", comparator: "less_than", isActive: false }),
      rule({ id: "p2-lo", patientId: "p2", comparator: "less_than", thresholdValue: 95 }),
    ];
    const rulesOf = effectiveRulesByPatient(rules);
    for (const patientId of ["p1", "p2", "p3"]) expect(rulesOf(patientId)).toEqual(effectiveRules(rules, patientId));
    expect(rulesOf("p2").map((r) => r.id)).toEqual(["p2-lo", "hi"]);
  });
});

describe("threshold checks", () => {
  it("compares blood pressure on systolic (value) and says what was measured", () => {
    expect(checkThreshold(reading({ value: 181, value2: 95 }), rule({}))?.message).toBe("Systolic above 180 mmHg: 181/95 mmHg");
    expect(checkThreshold(reading({ value: 180, value2: 130 }), rule({}))).toBeNull();
  });

  it("converts glucose readings into the rule's unit before comparing", () => {
    const high = rule({ metric: "blood_glucose", unit: "mg/dl", thresholdValue: 300, message: "Glucose above 300 mg/dL" });
    const breach = checkThreshold(reading({ metric: "blood_glucose", value: 16.7, value2: null, unit: "mmol/L" }), high);
    expect(breach?.message).toBe("Glucose above 300 mg/dL: 16.7 mmol/L (300.9 mg/dl)");
    expect(checkThreshold(reading({ metric: "blood_glucose", value: 16.6, value2: null, unit: "mmol/L" }), high)).toBeNull();
  });

  it("checks a flagged HI value as stored and labels it", () => {
    const high = rule({ metric: "blood_glucose", unit: "mg/dL", thresholdValue: 300 });
    expect(checkThreshold(reading({ metric: "blood_glucose", value: 600, value2: null, unit: "mg/dL", flags: ["glucose_high"] }), high)?.message).toContain("Hi (600 mg/dL)");
  });

  it("skips a reading whose unit cannot be converted, and one of another origin", () => {
    expect(checkThreshold(reading({ metric: "blood_glucose", value: 900, value2: null, unit: "furlongs" }), rule({ metric: "blood_glucose", unit: "mg/dL" }))).toBeNull();
    expect(checkThreshold(reading({ value: 200, origin: "manual" }), rule({ origin: "device" }))).toBeNull();
  });
});

describe("change checks", () => {
  const weightRule = rule({ kind: "change", metric: "body_weight", unit: "kg", thresholdValue: 2, window: "P2D", message: "Weight up more than 2 kg in 2 days" });
  const at = (iso: string) => new Date(iso);
  const weight = (value: number, iso: string, overrides: Partial<CheckedReading> = {}) => reading({ metric: "body_weight", value, value2: null, unit: "kg", measuredAt: at(iso), ...overrides });

  it("counts an earlier reading exactly at the window's start, and not one a millisecond earlier", () => {
    const now = weight(92.5, "2026-03-10T08:00:00Z");
    expect(checkChange(now, [weight(90, "2026-03-08T08:00:00Z")], weightRule)?.message).toBe("Weight up more than 2 kg in 2 days: +2.5 kg within 2 days (90 → 92.5 kg)");
    expect(checkChange(now, [weight(90, "2026-03-08T07:59:59.999Z")], weightRule)).toBeNull();
  });

  it("needs more than the threshold, measures from the lowest earlier value and converts pounds", () => {
    const now = weight(92, "2026-03-10T08:00:00Z");
    expect(checkChange(now, [weight(90, "2026-03-09T08:00:00Z")], weightRule)).toBeNull();
    expect(checkChange(now, [weight(91, "2026-03-09T08:00:00Z"), weight(89.5, "2026-03-08T20:00:00Z")], weightRule)).not.toBeNull();
    expect(checkChange(weight(203, "2026-03-10T08:00:00Z", { unit: "lb" }), [weight(90, "2026-03-09T08:00:00Z")], weightRule)?.message).toContain("(90 → 92.1 kg)");
  });

  it("ignores later readings, flagged values and a flagged current value", () => {
    const now = weight(93, "2026-03-10T08:00:00Z");
    expect(checkChange(now, [weight(80, "2026-03-10T09:00:00Z"), weight(80, "2026-03-09T09:00:00Z", { flags: ["glucose_low"] })], weightRule)).toBeNull();
    expect(checkChange(weight(93, "2026-03-10T08:00:00Z", { flags: ["glucose_high"] }), [weight(80, "2026-03-09T09:00:00Z")], weightRule)).toBeNull();
  });

  it("treats less_than as a fall from the highest earlier value", () => {
    const loss = { ...weightRule, comparator: "less_than" as const, thresholdValue: -2, message: "Weight down more than 2 kg" };
    expect(checkChange(weight(87.5, "2026-03-10T08:00:00Z"), [weight(90, "2026-03-09T08:00:00Z"), weight(88, "2026-03-09T20:00:00Z")], loss)?.message).toContain("−2.5 kg");
  });
});

describe("rule descriptions", () => {
  it("reads like a sentence for each kind", () => {
    expect(describeRule(rule({}))).toBe("Blood pressure (systolic) above 180");
    expect(describeRule(rule({ metric: "blood_glucose", unit: "mg/dL", comparator: "less_than", thresholdValue: 70 }))).toBe("Blood glucose below 70 mg/dL");
    expect(describeRule(rule({ kind: "change", metric: "body_weight", unit: "kg", thresholdValue: 2, window: "P2D" }))).toBe("Weight rises by more than 2 kg within 2 days");
    expect(describeRule(rule({ kind: "change", metric: "body_weight", unit: "kg", comparator: "less_than", thresholdValue: -2, window: "P1W" }))).toBe("Weight falls by more than 2 kg within 7 days");
    expect(describeRule(rule({ kind: "missing_data", comparator: "less_than", thresholdValue: 1, window: "P3D" }))).toBe("Fewer than 1 blood pressure reading in 3 days");
    expect(describeRule(rule({ kind: "missing_data", metric: "blood_glucose", unit: "mg/dl", origin: "device", thresholdValue: 5, window: "PT604800S" }))).toBe("More than 5 blood glucose readings in 7 days (in mg/dl, device only)");
  });
});
