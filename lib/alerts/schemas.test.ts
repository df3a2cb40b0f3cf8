import { describe, expect, it } from "vitest";

import { createAlertRuleSchema, resolveAlertSchema, validicRuleSchema } from "@/lib/alerts/schemas";

const base = { patientId: null, kind: "missing_data", metric: "blood_glucose", unit: "mg/dl", origin: null, comparator: "less_than", thresholdValue: 5, window: "P7D", severity: "low", message: "Too few readings" } as const;

describe("alert rule input", () => {
  it("accepts Validic's misspelt comparator greather_than and stores greater_than", () => {
    expect(createAlertRuleSchema.parse({ ...base, comparator: "greather_than" }).comparator).toBe("greater_than");
  });

  it.each(["P7D", "PT604800S", "P1W", "PT12H", "p1m"])("accepts the window %s", (window) => {
    expect(createAlertRuleSchema.safeParse({ ...base, window }).success).toBe(true);
  });

  it.each(["7 days", "P", "PT", "P2Y", "P400D"])("refuses the window %j", (window) => {
    expect(createAlertRuleSchema.safeParse({ ...base, window }).success).toBe(false);
  });

  it("requires a window for adherence and change rules, none for thresholds, and no equal_to for change", () => {
    expect(createAlertRuleSchema.safeParse({ ...base, window: null }).success).toBe(false);
    expect(createAlertRuleSchema.safeParse({ ...base, kind: "threshold" }).success).toBe(false);
    expect(createAlertRuleSchema.safeParse({ ...base, kind: "threshold", window: null }).success).toBe(true);
    expect(createAlertRuleSchema.safeParse({ ...base, kind: "change", comparator: "equal_to" }).success).toBe(false);
    expect(createAlertRuleSchema.safeParse({ ...base, thresholdValue: 2.5 }).success).toBe(false);
    expect(createAlertRuleSchema.safeParse({ ...base, origin: "satellite" }).success).toBe(false);
    expect(createAlertRuleSchema.parse({ ...base, unit: "  " }).unit).toBeNull();
  });

  it("maps the Validic doc's rule body to Pulseboard's fields", () => {
    const body = { message: "VEvJrt5G3KD4nKvl", type: "user/missing_data", window: "P7D", metric: { type: "blood_glucose", unit: "mg/dl", origin: null }, threshold: { value: 5, comparator: "less_than" } };
    expect(validicRuleSchema.parse(body)).toEqual({ kind: "missing_data", metric: "blood_glucose", unit: "mg/dl", origin: null, comparator: "less_than", thresholdValue: 5, window: "P7D", message: "VEvJrt5G3KD4nKvl" });
    expect(validicRuleSchema.parse({ ...body, threshold: { value: 5, comparator: "greather_than" } }).comparator).toBe("greater_than");
    expect(validicRuleSchema.safeParse({ ...body, type: "user/threshold" }).success).toBe(false);
  });

  it("requires a resolution note", () => {
    expect(resolveAlertSchema.safeParse({ alertId: "a1", note: "   " }).success).toBe(false);
    expect(resolveAlertSchema.parse({ alertId: "a1", note: " Called patient " }).note).toBe("Called patient");
  });
});
