import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { createAlertRule, updateAlertRule } from "@/lib/alerts/manage-rules";
import { acknowledgeAlertsSchema, createAlertRuleSchema, updateAlertRuleSchema } from "@/lib/alerts/schemas";
import { acknowledgeAlert, acknowledgeAlerts, assignAlert, listAssignableStaff, resolveAlert } from "@/lib/alerts/workflow";
import { db } from "@/lib/db";
import { createPatient, createStaff } from "@/tests/factories";

// Named after their role, so a list by name puts "admin …" before "clinician …".
const staff = (role: "admin" | "clinician" | "coordinator", isActive = true) => createStaff(role, { isActive, name: `${role} ${randomUUID().slice(0, 4)}` });

async function openAlert() {
  const patient = await createPatient();
  return db.alert.create({ data: { patientId: patient.id, severity: "high", message: "Systolic above 180 mmHg: 190/100 mmHg" } });
}

describe("alert workflow", () => {
  it("acknowledges once, then resolves with the note and keeps the alert", async () => {
    const clinician = await staff("clinician");
    const alert = await openAlert();
    await acknowledgeAlert(clinician.id, { alertId: alert.id });
    await expect(acknowledgeAlert(clinician.id, { alertId: alert.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await resolveAlert(clinician.id, { alertId: alert.id, note: "Called the patient; repeat reading normal." });
    await expect(resolveAlert(clinician.id, { alertId: alert.id, note: "again" })).rejects.toMatchObject({ code: "CONFLICT", message: "This alert is already resolved." });
    expect(await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({ status: "resolved", resolvedById: clinician.id, acknowledgedById: clinician.id, resolutionNote: "Called the patient; repeat reading normal." });
  });

  it("lets only one of two simultaneous resolutions through", async () => {
    const clinician = await staff("clinician");
    const alert = await openAlert();
    const results = await Promise.allSettled([resolveAlert(clinician.id, { alertId: alert.id, note: "first" }), resolveAlert(clinician.id, { alertId: alert.id, note: "second" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("assigns only to active clinicians and admins", async () => {
    const alert = await openAlert();
    const [admin, coordinator, former] = await Promise.all([staff("admin"), staff("coordinator"), staff("clinician", false)]);
    await assignAlert({ alertId: alert.id, assigneeId: admin.id });
    expect((await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).assignedToId).toBe(admin.id);
    await expect(assignAlert({ alertId: alert.id, assigneeId: coordinator.id })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(assignAlert({ alertId: alert.id, assigneeId: former.id })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await assignAlert({ alertId: alert.id, assigneeId: null });
    expect((await db.alert.findUniqueOrThrow({ where: { id: alert.id } })).assignedToId).toBeNull();
    await expect(assignAlert({ alertId: "missing", assigneeId: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("acknowledges the open alerts among those ticked, one audit event each, and leaves the others as they are", async () => {
    const clinician = await staff("clinician");
    const [first, second, seen, done] = [await openAlert(), await openAlert(), await openAlert(), await openAlert()];
    await acknowledgeAlert(clinician.id, { alertId: seen.id });
    await resolveAlert(clinician.id, { alertId: done.id, note: "Repeat reading normal." });
    const other = await staff("admin");
    const input = acknowledgeAlertsSchema.parse({ alertIds: [first.id, second.id, seen.id, done.id, first.id] });
    expect(await acknowledgeAlerts({ id: other.id, role: "admin" }, input, "req-ack-many")).toEqual({ acknowledged: 2 });
    const stored = await db.alert.findMany({ where: { id: { in: [first.id, second.id, seen.id, done.id] } }, orderBy: { id: "asc" } });
    expect(Object.fromEntries(stored.map((a) => [a.id, [a.status, a.acknowledgedById]]))).toEqual({
      [first.id]: ["acknowledged", other.id],
      [second.id]: ["acknowledged", other.id],
      [seen.id]: ["acknowledged", clinician.id],
      [done.id]: ["resolved", clinician.id],
    });
    const audited = await db.auditEvent.findMany({ where: { requestId: "req-ack-many" }, select: { action: true, targetId: true, patientId: true, actorId: true } });
    expect(audited.map((e) => e.targetId).sort()).toEqual([first.id, second.id].sort());
    expect(audited.every((e) => e.action === "alert.acknowledge" && e.actorId === other.id && e.patientId !== null)).toBe(true);
    expect(acknowledgeAlertsSchema.safeParse({ alertIds: [] }).success).toBe(false);
  });

  it("offers active clinicians and admins as assignees, by name", async () => {
    const [admin, clinician, coordinator, former] = await Promise.all([staff("admin"), staff("clinician"), staff("coordinator"), staff("clinician", false)]);
    const assignees = await listAssignableStaff();
    const ids = assignees.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining([admin.id, clinician.id]));
    expect(ids).not.toContain(coordinator.id);
    expect(ids).not.toContain(former.id);
    expect(assignees.find((a) => a.id === admin.id)).toEqual({ id: admin.id, name: admin.name });
    // By name: "admin …" before "clinician …".
    expect(ids.indexOf(admin.id)).toBeLessThan(ids.indexOf(clinician.id));
  });
});

describe("rule management", () => {
  it("refuses rules for offboarded patients and switching their rules back on", async () => {
    const patient = await createPatient();
    const input = createAlertRuleSchema.parse({ patientId: patient.id, kind: "threshold", metric: "spo2", comparator: "less_than", thresholdValue: 88, severity: "high", message: "SpO₂ below 88%" });
    const rule = await createAlertRule(input);
    await db.patient.update({ where: { id: patient.id }, data: { status: "offboarded" } });
    await expect(createAlertRule(input)).rejects.toMatchObject({ code: "CONFLICT" });
    const { patientId: _patientId, ...fields } = input;
    await expect(updateAlertRule(updateAlertRuleSchema.parse({ ...fields, ruleId: rule.id, isActive: true }))).rejects.toMatchObject({ code: "CONFLICT" });
    await updateAlertRule(updateAlertRuleSchema.parse({ ...fields, ruleId: rule.id, isActive: false }));
    expect((await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } })).isActive).toBe(false);
  });
});
