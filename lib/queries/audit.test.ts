import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { markActionChecked, recordActionOutcome, recordActionStarted, recordAudit, type AuditInput } from "@/lib/audit";
import { auditCsvStream } from "@/lib/audit/export";
import { db } from "@/lib/db";
import { auditListSchema, countUnrecordedActions, listAuditEvents } from "@/lib/queries/audit";

// Events for a fresh fake patient id, so filters can be checked without other tests' rows getting in the way.
async function seed(events: Omit<AuditInput, "patientId">[]) {
  const patientId = `p-${randomUUID()}`;
  for (const event of events) await recordAudit({ ...event, patientId });
  return patientId;
}

const list = (params: Record<string, string>) => listAuditEvents(auditListSchema.parse({ dir: "desc", ...params }));

describe("audit log queries", () => {
  it("filters by actor (a user, the system, nobody), action and outcome, and names the actor", async () => {
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.org`, name: "Riley Reviewer", role: "clinician", passwordHash: "x" } });
    const patientId = await seed([
      { actor: { id: user.id, role: "clinician" }, action: "patient.view", outcome: "success" },
      { actor: { id: null, role: "system" }, action: "reading.ingest", outcome: "success" },
      { actor: { id: null, role: null }, action: "alert.resolve", outcome: "denied" },
      // A server action's "started" event is listed only when asked for (its outcome event stands for it).
      { actor: { id: user.id, role: "clinician" }, action: "alert.acknowledge", outcome: "started" },
    ]);
    const byUser = await list({ patientId, actor: user.id });
    expect(byUser.rows.map((r) => [r.action, r.actorName])).toEqual([["patient.view", "Riley Reviewer"]]);
    expect((await list({ patientId, actor: "system" })).rows.map((r) => r.action)).toEqual(["reading.ingest"]);
    expect((await list({ patientId, actor: "anonymous" })).rows.map((r) => r.action)).toEqual(["alert.resolve"]);
    expect((await list({ patientId, outcome: "denied" })).total).toBe(1);
    expect((await list({ patientId, action: "reading.ingest" })).total).toBe(1);
    expect((await list({ patientId, outcome: "not-an-outcome" })).total).toBe(3);
    expect((await list({ patientId, outcome: "started" })).rows.map((r) => [r.action, r.actorName])).toEqual([["alert.acknowledge", "Riley Reviewer"]]);
  });

  it("lists on their own the actions whose outcome was never written, once they have had time to finish", async () => {
    const patientId = `p-${randomUUID()}`;
    const actor = { id: null, role: "coordinator" };
    const before = await countUnrecordedActions();
    // Two actions under one request id (a client may send its own x-request-id): each outcome closes its own mark.
    const sharedRequest = randomUUID();
    const started = async (action: string, requestId = sharedRequest) => ({ action, id: await recordActionStarted({ actor, action, patientId, requestId }) });
    const [finished, lost, running, forgotten] = [await started("device.assign"), await started("device.ship"), await started("device.disconnect", randomUUID()), await started("patient.update")];
    await recordActionOutcome(finished.id, { actor, action: finished.action, outcome: "success", patientId, requestId: sharedRequest });
    // Started ten minutes ago, all but the one still running.
    await db.$executeRaw`UPDATE "UnfinishedAction" SET "createdAt" = now() - interval '10 minutes' WHERE "startedEventId" = ANY(${[finished.id, lost.id, forgotten.id]})`;
    const unrecorded = await list({ patientId, outcome: "unrecorded" });
    expect(unrecorded.rows.map((r) => [r.action, r.outcome]).sort()).toEqual([
      ["device.ship", "started"],
      ["patient.update", "started"],
    ]);
    expect(await countUnrecordedActions()).toBe(before + 2);
    const exported = await new Response(auditCsvStream({ patientId, outcome: "unrecorded" })).text();
    expect(exported.trimEnd().split("\r\n")).toHaveLength(3);

    // Checked by an admin: it leaves the list, its "started" event stays; it cannot be checked twice, and one still
    // running cannot be checked at all.
    expect(await markActionChecked(lost.id)).toEqual({ action: "device.ship" });
    expect((await list({ patientId, outcome: "unrecorded" })).rows.map((r) => r.action)).toEqual(["patient.update"]);
    expect((await list({ patientId, outcome: "started", action: "device.ship" })).total).toBe(1);
    await expect(markActionChecked(lost.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(markActionChecked(running.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("filters by whole UTC days, both ends included, and sorts on the server", async () => {
    const patientId = await seed([
      { actor: { id: null, role: "system" }, action: "b.action", outcome: "success" },
      { actor: { id: null, role: "system" }, action: "a.action", outcome: "success" },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await list({ patientId, from: today, to: today })).total).toBe(2);
    expect((await list({ patientId, from: tomorrow })).total).toBe(0);
    expect((await list({ patientId, to: "2000-01-01" })).total).toBe(0);
    expect((await list({ patientId, sort: "action", dir: "asc" })).rows.map((r) => r.action)).toEqual(["a.action", "b.action"]);
  });

  it("exports CSV in batches with a header, every matching row, and formulas neutralised", async () => {
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.org`, name: "=HYPERLINK(\"http://x\")", role: "admin", passwordHash: "x" } });
    const patientId = await seed(
      Array.from({ length: 5 }, (_, i) => ({ actor: { id: user.id, role: "admin" }, action: "patient.view", outcome: "success" as const, details: { n: i } })),
    );
    const text = await new Response(auditCsvStream({ patientId }, 2)).text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,time_utc,actor_id,actor_name,actor_role,action,outcome,target_type,target_id,patient_id,source_ip,request_id,details");
    expect(lines).toHaveLength(6);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[5]).toContain(`"{""n"":4}"`);
  });
});
