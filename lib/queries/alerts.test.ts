import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { alertWorklistSchema, listAlertWorklist, patientAlerts } from "@/lib/queries/alerts";
import { createPatient, createReading, createRule, createStaff } from "@/tests/factories";

// Alerts of one freshly created patient, found through a search on its unique last name so that other test files'
// alerts in the shared database stay out of the counts.
async function worklist(raw: Record<string, string>, userId = "nobody") {
  return listAlertWorklist(alertWorklistSchema.parse(raw), userId);
}

describe("listAlertWorklist", () => {
  it("joins each alert's patient, assignee, reading time and rule kind, and filters, searches and sorts on the server", async () => {
    const lastName = `Worklist-${randomUUID().slice(0, 8)}`;
    const patient = await createPatient({ lastName, timeZone: "America/Denver" });
    const nurse = await db.user.create({ data: { email: `${randomUUID()}@example.test`, name: "Nurse Ratched", passwordHash: "x", role: "clinician" } });
    const reading = await createReading(patient.id, { measuredAt: new Date("2026-03-01T08:00:00Z") });
    const rule = await createRule({ kind: "threshold", metric: "blood_pressure", comparator: "greater_than", thresholdValue: 180, patientId: patient.id });
    const raise = (severity: "low" | "high" | "critical", createdAt: string, extra: object = {}) =>
      db.alert.create({ data: { patientId: patient.id, severity, message: `${severity} alert`, createdAt: new Date(createdAt), ...extra } });
    const critical = await raise("critical", "2026-03-02T00:00:00Z", { readingId: reading.id, ruleId: rule.id, assignedToId: nurse.id });
    const olderHigh = await raise("high", "2026-03-01T00:00:00Z");
    const newerHigh = await raise("high", "2026-03-03T00:00:00Z");
    await raise("low", "2026-03-04T00:00:00Z", { status: "resolved", resolvedAt: new Date("2026-03-05T00:00:00Z") });

    const active = await worklist({ q: lastName, dir: "desc" });
    expect(active.total).toBe(3);
    expect(active.rows.map((a) => a.id)).toEqual([critical.id, olderHigh.id, newerHigh.id]);
    expect(active.rows[0]).toMatchObject({
      severity: "critical",
      status: "open",
      assignedTo: { name: "Nurse Ratched" },
      patient: { id: patient.id, lastName, mrn: patient.mrn, timeZone: "America/Denver" },
      reading: { measuredAt: reading.measuredAt },
      rule: { kind: "threshold" },
    });
    expect(active.rows[1]).toMatchObject({ assignedTo: null, reading: null, rule: null });

    const newestFirst = await worklist({ q: lastName, sort: "createdAt", dir: "desc" });
    expect(newestFirst.rows.map((a) => a.id)).toEqual([newerHigh.id, critical.id, olderHigh.id]);
    expect((await worklist({ q: lastName, status: "resolved" })).rows.map((a) => a.severity)).toEqual(["low"]);
    expect((await worklist({ q: lastName, severity: "high" })).total).toBe(2);
    expect((await worklist({ q: lastName, assignee: "me" }, nurse.id)).rows.map((a) => a.id)).toEqual([critical.id]);
    expect((await worklist({ q: lastName, assignee: "unassigned" })).total).toBe(2);
    // The search also matches the MRN and the message, case-insensitively; a wildcard is taken literally.
    expect((await worklist({ q: patient.mrn.toLowerCase() })).total).toBe(3);
    expect((await worklist({ q: `${lastName}%` })).total).toBe(0);
  });

  it("narrows to the patients whose care manager is the viewer", async () => {
    const lastName = `Managed-${randomUUID().slice(0, 8)}`;
    const manager = await createStaff("coordinator");
    const managed = await createPatient({ lastName, careManagerId: manager.id });
    const someoneElses = await createPatient({ lastName, careManagerId: (await createStaff("clinician")).id });
    const nobodys = await createPatient({ lastName });
    for (const patient of [managed, someoneElses, nobodys]) await db.alert.create({ data: { patientId: patient.id, severity: "high", message: "High alert" } });

    const mine = await worklist({ q: lastName, patients: "mine" }, manager.id);
    expect(mine.total).toBe(1);
    expect(mine.rows.map((a) => a.patient.id)).toEqual([managed.id]);
    expect((await worklist({ q: lastName })).total).toBe(3);
  });
});

describe("patientAlerts", () => {
  it("lists the unresolved alerts most severe and oldest first, the resolved ones latest first and limited, with the names of the staff who acted", async () => {
    const patient = await createPatient();
    const staff = (name: string) => db.user.create({ data: { email: `${randomUUID()}@example.test`, name, passwordHash: "x", role: "clinician" } });
    const [owner, resolver] = [await staff("Dr. Owner"), await staff("Dr. Resolver")];
    const raise = (severity: "low" | "high", createdAt: string, extra: object = {}) =>
      db.alert.create({ data: { patientId: patient.id, severity, message: `${severity} ${createdAt}`, createdAt: new Date(createdAt), ...extra } });
    const newerHigh = await raise("high", "2026-03-03T00:00:00Z", { status: "acknowledged", acknowledgedById: owner.id, assignedToId: owner.id });
    const olderHigh = await raise("high", "2026-03-01T00:00:00Z");
    const low = await raise("low", "2026-02-01T00:00:00Z");
    const resolved = (resolvedAt: string) => raise("low", "2026-01-01T00:00:00Z", { status: "resolved", resolvedAt: new Date(resolvedAt), resolvedById: resolver.id, resolutionNote: "Called" });
    const firstResolved = await resolved("2026-01-02T00:00:00Z");
    const lastResolved = await resolved("2026-01-05T00:00:00Z");
    await resolved("2026-01-03T00:00:00Z");

    const alerts = await patientAlerts(patient.id, 2);
    expect(alerts.open.map((a) => a.id)).toEqual([olderHigh.id, newerHigh.id, low.id]);
    expect(alerts.open[1]).toEqual({
      id: newerHigh.id,
      severity: "high",
      status: "acknowledged",
      message: newerHigh.message,
      createdAt: newerHigh.createdAt,
      resolvedAt: null,
      resolutionNote: null,
      assignedToId: owner.id,
      resolvedById: null,
      acknowledgedById: owner.id,
    });
    expect(alerts.history.map((a) => a.id)).toEqual([lastResolved.id, expect.any(String)]);
    expect(alerts.history.map((a) => a.id)).not.toContain(firstResolved.id);
    expect(alerts.history[0]).toMatchObject({ status: "resolved", resolutionNote: "Called", resolvedById: resolver.id });
    expect(alerts.staffNames).toEqual(new Map([[owner.id, "Dr. Owner"], [resolver.id, "Dr. Resolver"]]));
    expect(await patientAlerts("no-such-patient")).toEqual({ open: [], history: [], staffNames: new Map() });
  });
});
