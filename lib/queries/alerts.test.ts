import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { alertWorklistSchema, listAlertWorklist } from "@/lib/queries/alerts";
import { createPatient, createReading, createRule } from "@/tests/factories";

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
});
