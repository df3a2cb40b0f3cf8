import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { evaluateReadingAlerts } from "@/lib/alerts/evaluate-readings";
import { db } from "@/lib/db";
import { createPatient, createReading, createRule } from "@/tests/factories";

const NOW = new Date("2026-03-10T12:00:00Z");
const hoursBefore = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

async function alertsFor(patientId: string) {
  return db.alert.findMany({ where: { patientId }, orderBy: { createdAt: "asc" }, select: { ruleId: true, readingId: true, severity: true, message: true, status: true } });
}

// Program defaults apply to every patient in the shared test database, so tests that need one give it a metric of
// its own; patient rules use the real metric names.
const uniqueMetric = () => `test_metric_${randomUUID().slice(0, 8)}`;

describe("threshold alerts", () => {
  it("raises one alert with the rule's severity and a clear message, not at exactly the threshold, and never twice", async () => {
    const patient = await createPatient();
    const rule = await createRule({ patientId: patient.id, kind: "threshold", metric: "blood_pressure", comparator: "greater_than", thresholdValue: 180, severity: "high", message: "Systolic above 180 mmHg" });
    const high = await createReading(patient.id, { value: 192, value2: 101, measuredAt: hoursBefore(1) });
    const edge = await createReading(patient.id, { value: 180, value2: 120, measuredAt: hoursBefore(2) });
    await evaluateReadingAlerts([high.id, edge.id], NOW);
    // Concurrent evaluations (two ingest workers) must not both raise it.
    await Promise.all(Array.from({ length: 8 }, () => evaluateReadingAlerts([high.id, edge.id], NOW)));
    expect(await alertsFor(patient.id)).toEqual([{ ruleId: rule.id, readingId: high.id, severity: "high", message: "Systolic above 180 mmHg: 192/101 mmHg", status: "open" }]);
  });

  it("lets a patient rule replace the program default for the same metric and comparator", async () => {
    const metric = uniqueMetric();
    const other = await createPatient();
    const patient = await createPatient();
    const programDefault = await createRule({ kind: "threshold", metric, comparator: "greater_than", thresholdValue: 180, severity: "high" });
    const lowDefault = await createRule({ kind: "threshold", metric, comparator: "less_than", thresholdValue: 90, severity: "medium" });
    const override = await createRule({ patientId: patient.id, kind: "threshold", metric, comparator: "greater_than", thresholdValue: 150, severity: "critical" });
    const readings = await Promise.all([createReading(patient.id, { metric, value: 160, measuredAt: hoursBefore(3) }), createReading(patient.id, { metric, value: 185, measuredAt: hoursBefore(2) }), createReading(patient.id, { metric, value: 85, measuredAt: hoursBefore(1) })]);
    const otherReading = await createReading(other.id, { metric, value: 160, measuredAt: hoursBefore(1) });
    await evaluateReadingAlerts([...readings.map((r) => r.id), otherReading.id], NOW);
    const alerts = await alertsFor(patient.id);
    expect(alerts.map((a) => [a.readingId, a.ruleId, a.severity])).toEqual(
      expect.arrayContaining([[readings[0]?.id, override.id, "critical"], [readings[1]?.id, override.id, "critical"], [readings[2]?.id, lowDefault.id, "medium"]]),
    );
    expect(alerts).toHaveLength(3);
    expect(alerts.some((a) => a.ruleId === programDefault.id)).toBe(false);
    expect(await alertsFor(other.id)).toEqual([]);
  });

  it("converts mmol/L readings for mg/dl rules (1 mmol/L = 18.016 mg/dL), low and high", async () => {
    const patient = await createPatient();
    await createRule({ patientId: patient.id, kind: "threshold", metric: "blood_glucose", unit: "mg/dl", comparator: "greater_than", thresholdValue: 300, severity: "high", message: "Glucose above 300 mg/dL" });
    await createRule({ patientId: patient.id, kind: "threshold", metric: "blood_glucose", unit: "mg/dl", comparator: "less_than", thresholdValue: 70, severity: "critical", message: "Glucose below 70 mg/dL" });
    const glucose = (value: number, unit: string, hours: number) => createReading(patient.id, { metric: "blood_glucose", value, value2: null, unit, measuredAt: hoursBefore(hours) });
    const readings = await Promise.all([glucose(16.7, "mmol/L", 1), glucose(16.6, "mmol/L", 2), glucose(3.8, "mmol/L", 3), glucose(3.9, "MMOL/L", 4), glucose(69, "mg/dL", 5)]);
    await evaluateReadingAlerts(readings.map((r) => r.id), NOW);
    const alerts = await alertsFor(patient.id);
    expect(alerts.map((a) => a.readingId).sort()).toEqual([readings[0]?.id, readings[2]?.id, readings[4]?.id].sort());
    expect(alerts.find((a) => a.readingId === readings[2]?.id)).toMatchObject({ severity: "critical", message: "Glucose below 70 mg/dL: 3.8 mmol/L (68.5 mg/dl)" });
  });

  it("alerts on a meter's flagged HI value and keeps the value", async () => {
    const patient = await createPatient();
    await createRule({ patientId: patient.id, kind: "threshold", metric: "blood_glucose", unit: "mg/dL", comparator: "greater_than", thresholdValue: 300 });
    const hi = await createReading(patient.id, { metric: "blood_glucose", value: 600, value2: null, unit: "mg/dL", flags: ["glucose_high"], measuredAt: hoursBefore(1) });
    await evaluateReadingAlerts([hi.id], NOW);
    expect((await alertsFor(patient.id))[0]?.message).toContain("Hi (600 mg/dL)");
    expect((await db.reading.findUniqueOrThrow({ where: { id: hi.id } })).value).toBe(600);
  });

  it("never alerts on deleted readings, unmatched readings, offboarded patients or inactive rules", async () => {
    const metric = uniqueMetric();
    await createRule({ kind: "threshold", metric, comparator: "greater_than", thresholdValue: 10 });
    const patient = await createPatient();
    const offboarded = await createPatient({ status: "offboarded", offboardedAt: hoursBefore(48) });
    const inactive = await createPatient();
    await createRule({ patientId: inactive.id, kind: "threshold", metric: "spo2", comparator: "less_than", thresholdValue: 90, isActive: false });
    const readings = await Promise.all([
      createReading(patient.id, { metric, value: 50, measuredAt: hoursBefore(1), deletedAt: hoursBefore(0.5) }),
      createReading(null, { metric, value: 50, measuredAt: hoursBefore(1) }),
      createReading(offboarded.id, { metric, value: 50, measuredAt: hoursBefore(1) }),
      createReading(inactive.id, { metric: "spo2", value: 80, value2: null, unit: "percent", measuredAt: hoursBefore(1) }),
    ]);
    const result = await evaluateReadingAlerts(readings.map((r) => r.id), NOW);
    expect(result.alertIds).toEqual([]);
    expect(await db.alert.count({ where: { readingId: { in: readings.map((r) => r.id) } } })).toBe(0);
  });

  it("alerts SpO2 below 90 but not at 90", async () => {
    const patient = await createPatient();
    await createRule({ patientId: patient.id, kind: "threshold", metric: "spo2", comparator: "less_than", thresholdValue: 90, severity: "high" });
    const at90 = await createReading(patient.id, { metric: "spo2", value: 90, value2: null, unit: "percent", measuredAt: hoursBefore(2) });
    const at89 = await createReading(patient.id, { metric: "spo2", value: 89, value2: null, unit: "percent", measuredAt: hoursBefore(1) });
    await evaluateReadingAlerts([at90.id, at89.id], NOW);
    expect((await alertsFor(patient.id)).map((a) => a.readingId)).toEqual([at89.id]);
  });

  it("uses the rule as it stands when a reading is evaluated: a threshold changed mid-window neither re-raises nor retracts", async () => {
    const patient = await createPatient();
    const rule = await createRule({ patientId: patient.id, kind: "threshold", metric: "blood_pressure", comparator: "greater_than", thresholdValue: 180 });
    const before = await createReading(patient.id, { value: 190, measuredAt: hoursBefore(5) });
    await evaluateReadingAlerts([before.id], NOW);
    await db.alertRule.update({ where: { id: rule.id }, data: { thresholdValue: 200 } });
    const after = await createReading(patient.id, { value: 190, measuredAt: hoursBefore(1) });
    await evaluateReadingAlerts([before.id, after.id], NOW);
    expect((await alertsFor(patient.id)).map((a) => a.readingId)).toEqual([before.id]);
  });
});

describe("change alerts", () => {
  it("raises on a weight gain over 2 kg within P2D, counting a reading exactly at the window's start and ignoring deleted ones", async () => {
    const patient = await createPatient();
    const rule = await createRule({ patientId: patient.id, kind: "change", metric: "body_weight", unit: "kg", comparator: "greater_than", thresholdValue: 2, window: "P2D", severity: "medium", message: "Weight up more than 2 kg in 2 days" });
    const weight = (value: number, measuredAt: Date, deletedAt?: Date) => createReading(patient.id, { metric: "body_weight", value, value2: null, unit: "kg", measuredAt, deletedAt });
    await weight(80, hoursBefore(49), undefined);
    await weight(70, hoursBefore(30), hoursBefore(20));
    await weight(90, hoursBefore(48));
    const latest = await weight(92.1, NOW);
    await evaluateReadingAlerts([latest.id], NOW);
    expect(await alertsFor(patient.id)).toEqual([{ ruleId: rule.id, readingId: latest.id, severity: "medium", message: "Weight up more than 2 kg in 2 days: +2.1 kg within 2 days (90 → 92.1 kg)", status: "open" }]);
  });

  it("applies a window shortened mid-way to readings evaluated afterwards", async () => {
    const patient = await createPatient();
    const rule = await createRule({ patientId: patient.id, kind: "change", metric: "body_weight", unit: "kg", comparator: "greater_than", thresholdValue: 2, window: "P2D" });
    await createReading(patient.id, { metric: "body_weight", value: 88, value2: null, unit: "kg", measuredAt: hoursBefore(36) });
    await db.alertRule.update({ where: { id: rule.id }, data: { window: "P1D" } });
    const latest = await createReading(patient.id, { metric: "body_weight", value: 91, value2: null, unit: "kg", measuredAt: NOW });
    await evaluateReadingAlerts([latest.id], NOW);
    expect(await alertsFor(patient.id)).toEqual([]);
  });
});
