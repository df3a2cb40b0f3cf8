import { describe, expect, it } from "vitest";

import { loadPatientRules } from "@/lib/alerts/patient-rules";
import { createPatient, createRule } from "@/tests/factories";

describe("loadPatientRules", () => {
  it("applies the patient's own rules over the program defaults they replace, and lists their switched-off rules", async () => {
    const patient = await createPatient();
    const own = await createRule({ kind: "threshold", metric: "blood_pressure", comparator: "greater_than", thresholdValue: 170, severity: "high", window: null, patientId: patient.id });
    const off = await createRule({ kind: "threshold", metric: "spo2", comparator: "less_than", thresholdValue: 88, patientId: patient.id, isActive: false });
    const other = await createPatient();
    const others = await createRule({ kind: "threshold", metric: "pulse", comparator: "greater_than", thresholdValue: 100, patientId: other.id });

    const rules = await loadPatientRules(patient.id);
    const mine = rules.effective.find((r) => r.id === own.id);
    expect(mine).toEqual({
      id: own.id,
      patientId: patient.id,
      kind: "threshold",
      metric: "blood_pressure",
      unit: null,
      origin: null,
      comparator: "greater_than",
      thresholdValue: 170,
      window: null,
      severity: "high",
      message: own.message,
      isActive: true,
      source: "patient",
      overrides: expect.any(Array),
    });
    expect(rules.effective.every((r) => r.patientId === null || r.patientId === patient.id)).toBe(true);
    expect(rules.effective.map((r) => r.id)).not.toContain(others.id);
    expect(rules.effective.map((r) => r.id)).not.toContain(off.id);
    expect(rules.inactive.map((r) => r.id)).toEqual([off.id]);
  });
});
