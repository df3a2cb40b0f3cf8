import { describe, expect, it } from "vitest";

import { evaluateReadingAlerts } from "@/lib/alerts/evaluate-readings";
import { buildTriggerEvent, evaluateMissingDataRules, patientsNewReadingsCanAffect } from "@/lib/alerts/missing-data";
import { deactivatePatientRules } from "@/lib/alerts/patient-rules";
import { db } from "@/lib/db";
import { validicConfig } from "@/lib/vendors/config";
import { createDevice, createPatient, createReading, createRule } from "@/tests/factories";

const NOW = new Date("2026-03-10T12:00:00.000Z");
const DAY = 86_400_000;
const before = (ms: number) => new Date(NOW.getTime() - ms);

async function setup(rule: { window?: string; comparator?: "less_than" | "greater_than" | "equal_to"; thresholdValue?: number; unit?: string | null; origin?: string | null; metric?: string } = {}) {
  const patient = await createPatient();
  const created = await createRule({
    patientId: patient.id,
    kind: "missing_data",
    metric: rule.metric ?? "blood_glucose",
    unit: rule.unit ?? null,
    origin: rule.origin ?? null,
    comparator: rule.comparator ?? "less_than",
    thresholdValue: rule.thresholdValue ?? 1,
    window: rule.window ?? "P7D",
    severity: "low",
    message: "Too few Blood Glucose readings received.",
  });
  return { patient, rule: created };
}

const glucose = (patientId: string, measuredAt: Date, overrides: { unit?: string; origin?: string; deletedAt?: Date } = {}) =>
  createReading(patientId, { metric: "blood_glucose", value: 110, value2: null, unit: "mg/dL", measuredAt, ...overrides });

async function evaluate(patientId: string, now = NOW) {
  await evaluateMissingDataRules(now, { patientIds: [patientId] });
  return db.alert.findMany({ where: { patientId }, orderBy: { createdAt: "asc" } });
}

describe("user/missing_data rules", () => {
  it("raises an alert carrying Validic's triggered rule event; uid falls back to the patient id without a Validic account", async () => {
    const { patient, rule } = await setup({ unit: "mg/dl" });
    const [alert] = await evaluate(patient.id);
    expect(alert).toMatchObject({ ruleId: rule.id, severity: "low", status: "open", readingId: null, message: "Too few Blood Glucose readings received. (0 blood glucose readings in the last 7 days)" });
    expect(alert?.triggerEvent).toEqual({
      user: { uid: patient.id, user_id: null, organization_id: null },
      rule: {
        id: rule.id,
        type: "user/missing_data",
        window: "P7D",
        message: "Too few Blood Glucose readings received.",
        metric: { type: "blood_glucose", sub_type: null, unit: "mg/dl", origin: null },
        threshold: { value: 1, comparator: "less_than" },
      },
      data: [{ type: "user/missing_data", data: { count: 0 } }],
      created_at: "2026-03-10T12:00:00Z",
    });
  });

  it("uses the patient's Validic uid, user id and organization when they have one", async () => {
    const { patient } = await setup();
    await db.vendorIdentity.create({ data: { patientId: patient.id, vendor: "validic", externalId: `uid-${patient.id}`, vendorUserId: "598b934b8a5da50001ea87c4" } });
    const [alert] = await evaluate(patient.id);
    expect(alert?.triggerEvent).toMatchObject({ user: { uid: `uid-${patient.id}`, user_id: "598b934b8a5da50001ea87c4", organization_id: validicConfig().orgId } });
  });

  it("counts a reading exactly at the window's start and exactly at now, not a millisecond outside", async () => {
    const inside = await setup({ window: "PT604800S" });
    await glucose(inside.patient.id, before(7 * DAY));
    expect(await evaluate(inside.patient.id)).toHaveLength(0);

    const atNow = await setup({ window: "P1W" });
    await glucose(atNow.patient.id, NOW);
    expect(await evaluate(atNow.patient.id)).toHaveLength(0);

    const outside = await setup({ window: "P7D" });
    await glucose(outside.patient.id, before(7 * DAY + 1));
    await glucose(outside.patient.id, new Date(NOW.getTime() + 1));
    const [alert] = await evaluate(outside.patient.id);
    expect(alert?.triggerEvent).toMatchObject({ data: [{ data: { count: 0 } }] });
  });

  it("holds less_than strictly at the threshold, equal_to exactly, and greater_than above it", async () => {
    const atThreshold = await setup({ comparator: "less_than", thresholdValue: 2, window: "PT12H" });
    await glucose(atThreshold.patient.id, before(3_600_000));
    await glucose(atThreshold.patient.id, before(7_200_000));
    expect(await evaluate(atThreshold.patient.id)).toHaveLength(0);

    const equal = await setup({ comparator: "equal_to", thresholdValue: 2, window: "PT12H" });
    await glucose(equal.patient.id, before(3_600_000));
    await glucose(equal.patient.id, before(7_200_000));
    expect(await evaluate(equal.patient.id)).toHaveLength(1);

    const notEqual = await setup({ comparator: "equal_to", thresholdValue: 2, window: "PT12H" });
    await glucose(notEqual.patient.id, before(3_600_000));
    expect(await evaluate(notEqual.patient.id)).toHaveLength(0);

    const tooMany = await setup({ comparator: "greater_than", thresholdValue: 1, window: "PT12H" });
    await glucose(tooMany.patient.id, before(3_600_000));
    expect(await evaluate(tooMany.patient.id)).toHaveLength(0);
    await glucose(tooMany.patient.id, before(7_200_000));
    expect(await evaluate(tooMany.patient.id)).toHaveLength(1);
  });

  it("filters by unit case-insensitively and by origin, and leaves deleted readings out", async () => {
    const { patient } = await setup({ unit: "mg/dl", origin: "device", thresholdValue: 1 });
    await glucose(patient.id, before(DAY), { unit: "mmol/L" });
    await glucose(patient.id, before(DAY), { origin: "manual" });
    await glucose(patient.id, before(DAY), { deletedAt: before(1000) });
    expect(await evaluate(patient.id)).toHaveLength(1);

    const counted = await setup({ unit: "mg/dl", origin: "device" });
    await glucose(counted.patient.id, before(DAY), { unit: "MG/DL" });
    expect(await evaluate(counted.patient.id)).toHaveLength(0);
  });

  it("matches a unit by its spellings only, never as a pattern: a rule in % does not count readings in bpm", async () => {
    const spo2 = (patientId: string, unit: string) => createReading(patientId, { metric: "spo2", value: 97, value2: null, unit, measuredAt: before(DAY) });
    const { patient } = await setup({ metric: "spo2", unit: "%" });
    await spo2(patient.id, "bpm");
    expect(await evaluate(patient.id)).toHaveLength(1);

    const counted = await setup({ metric: "spo2", unit: "%" });
    await spo2(counted.patient.id, "Percent");
    expect(await evaluate(counted.patient.id)).toHaveLength(0);
  });

  it("does not raise again while the earlier alert is open or acknowledged, and does once it is resolved", async () => {
    const { patient } = await setup();
    expect(await evaluate(patient.id)).toHaveLength(1);
    expect(await evaluate(patient.id, new Date(NOW.getTime() + 3_600_000))).toHaveLength(1);
    await db.alert.updateMany({ where: { patientId: patient.id }, data: { status: "acknowledged" } });
    expect(await evaluate(patient.id, new Date(NOW.getTime() + 7_200_000))).toHaveLength(1);
    await db.alert.updateMany({ where: { patientId: patient.id }, data: { status: "resolved" } });
    expect(await evaluate(patient.id, new Date(NOW.getTime() + 10_800_000))).toHaveLength(2);
  });

  it("resolves its open or acknowledged alert by itself once readings are back inside the rule, and only that rule's", async () => {
    const { patient, rule } = await setup();
    const other = await createRule({ patientId: patient.id, kind: "missing_data", metric: "body_weight", comparator: "less_than", thresholdValue: 1, window: "P7D", severity: "low", message: "No weight." });
    const raised = await evaluate(patient.id);
    expect(raised.map((a) => a.ruleId).sort()).toEqual([rule.id, other.id].sort());
    await db.alert.updateMany({ where: { ruleId: rule.id }, data: { status: "acknowledged" } });
    await glucose(patient.id, new Date(NOW.getTime() + 60_000));
    const later = new Date(NOW.getTime() + 3_600_000);
    const result = await evaluateMissingDataRules(later, { patientIds: [patient.id] });
    const alerts = await db.alert.findMany({ where: { patientId: patient.id } });
    const glucoseAlert = alerts.find((a) => a.ruleId === rule.id);
    expect(result.resolvedAlertIds).toEqual([glucoseAlert?.id]);
    expect(glucoseAlert).toMatchObject({ status: "resolved", resolvedAt: later, resolvedById: null });
    expect(glucoseAlert?.resolutionNote).toMatch(/^Resolved automatically: readings resumed \(1 /);
    expect(alerts.find((a) => a.ruleId === other.id)?.status).toBe("open");
    expect((await evaluateMissingDataRules(later, { patientIds: [patient.id] })).resolvedAlertIds).toEqual([]);
  });

  it("applies a window changed mid-way from the next evaluation on", async () => {
    const { patient, rule } = await setup({ window: "P7D" });
    await glucose(patient.id, before(3 * DAY));
    expect(await evaluate(patient.id)).toHaveLength(0);
    await db.alertRule.update({ where: { id: rule.id }, data: { window: "P2D" } });
    const [alert] = await evaluate(patient.id);
    expect(alert?.triggerEvent).toMatchObject({ rule: { window: "P2D" } });
  });

  it("stops for offboarded patients, and deactivatePatientRules switches their rules off", async () => {
    const { patient, rule } = await setup();
    await db.patient.update({ where: { id: patient.id }, data: { status: "offboarded", offboardedAt: NOW } });
    expect(await evaluate(patient.id)).toHaveLength(0);
    expect(await deactivatePatientRules(patient.id)).toBe(1);
    expect((await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } })).isActive).toBe(false);
    await db.patient.update({ where: { id: patient.id }, data: { status: "enrolled" } });
    expect(await evaluate(patient.id)).toHaveLength(0);
  });

  it("ASSUMPTION: a program default watches only patients with a measuring device, once the window lies after enrolment", async () => {
    const rule = await createRule({ kind: "missing_data", metric: "blood_pressure", comparator: "less_than", thresholdValue: 1, window: "P3D", severity: "low", message: "No blood pressure reading in 3 days" });
    try {
      const withCuff = await createPatient();
      await createDevice(withCuff.id, "blood_pressure", "silent");
      const inTransit = await createPatient();
      await createDevice(inTransit.id, "blood_pressure", "shipping");
      const noCuff = await createPatient();
      await createDevice(noCuff.id, "glucometer", "active");
      const justEnrolled = await createPatient({ enrolledAt: before(2 * DAY) });
      await createDevice(justEnrolled.id, "blood_pressure", "active");
      const ids = [withCuff.id, inTransit.id, noCuff.id, justEnrolled.id];
      await evaluateMissingDataRules(NOW, { patientIds: ids });
      const alerts = await db.alert.findMany({ where: { patientId: { in: ids } }, select: { patientId: true, ruleId: true } });
      expect(alerts).toEqual([{ patientId: withCuff.id, ruleId: rule.id }]);
    } finally {
      await db.alertRule.update({ where: { id: rule.id }, data: { isActive: false } });
    }
  });

  it("is evaluated right after ingest through evaluateReadingAlerts", async () => {
    const { patient, rule } = await setup({ comparator: "greater_than", thresholdValue: 2, window: "PT12H" });
    const readings = await Promise.all([1, 2, 3].map((h) => glucose(patient.id, before(h * 3_600_000))));
    const result = await evaluateReadingAlerts(readings.map((r) => r.id), NOW);
    expect(result.missingData.alertIds).toHaveLength(1);
    expect(await db.alert.findFirst({ where: { patientId: patient.id, ruleId: rule.id } })).toMatchObject({ triggerEvent: { data: [{ data: { count: 3 } }] } });
  });

  it("re-checks at ingest only patients whose alerts new readings can change: open fewer-than alerts, any more-than rule", async () => {
    const quiet = await setup({ comparator: "less_than", thresholdValue: 5 });
    const alerting = await setup({ comparator: "less_than", thresholdValue: 5 });
    const tooMany = await setup({ comparator: "greater_than", thresholdValue: 2, window: "PT12H" });
    const noRule = await createPatient();
    expect(await evaluate(alerting.patient.id)).toHaveLength(1);
    const ids = [quiet.patient.id, alerting.patient.id, tooMany.patient.id, noRule.id];
    expect((await patientsNewReadingsCanAffect(ids)).sort()).toEqual([alerting.patient.id, tooMany.patient.id].sort());
    await db.alert.updateMany({ where: { patientId: alerting.patient.id }, data: { status: "resolved" } });
    expect(await patientsNewReadingsCanAffect(ids)).toEqual([tooMany.patient.id]);
  });

  it("builds the event with whole-second created_at like Validic's example", () => {
    const event = buildTriggerEvent({
      patient: { id: "p1" },
      organizationId: "org",
      rule: { id: "r1", window: "PT604800S", message: "m", metric: "post_meal_blood_glucose", unit: null, origin: null, thresholdValue: 5, comparator: "less_than" },
      count: 0,
      now: new Date("2017-08-31T00:25:50.123Z"),
    });
    expect(event.created_at).toBe("2017-08-31T00:25:50Z");
    expect(event.user.organization_id).toBeNull();
  });
});
