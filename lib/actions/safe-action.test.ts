import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// How authActionClient audits an action that runs: "started" before it, its outcome after, both under the request's
// id; when the outcome cannot be written (the database lost right after the action), the answer is still the
// action's own. Next's request headers and the session are stubbed (no HTTP request in a unit test); the database is
// real, and the lost database is a test trigger raising SQLSTATE 57P01 (admin shutdown) for one test action's rows.

const state = vi.hoisted(() => ({ requestId: "", session: null as null | { userId: string; role: "admin"; name: string; email: string } }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": state.requestId }) }));
vi.mock("@/lib/auth", () => ({ getStaffSession: async () => state.session }));

const { authActionClient } = await import("@/lib/actions/safe-action");

const ran: string[] = [];
function testAction(name: string, body: () => unknown) {
  return authActionClient
    .metadata({ action: name, permission: "alert.manage" })
    .inputSchema(z.object({ note: z.string().min(1), patientId: z.string().optional() }))
    .action(async ({ ctx }) => {
      ran.push(name);
      Object.assign(ctx.audit, { type: "alert", id: "alert-1" });
      return body();
    });
}

// Whether the action is still marked unfinished (its outcome not written).
const isUnfinished = async (requestId: string) => {
  const started = await db.auditEvent.findMany({ where: { requestId, outcome: "started" }, select: { id: true } });
  return (await db.unfinishedAction.count({ where: { startedEventId: { in: started.map((event) => event.id) } } })) > 0;
};

async function auditOf(requestId: string) {
  const rows = await db.auditEvent.findMany({ where: { requestId }, orderBy: { id: "asc" }, select: { action: true, outcome: true, actorId: true, targetId: true } });
  return rows.map((r) => [r.action, r.outcome, r.actorId, r.targetId]);
}

const lossTriggers: string[] = [];

// Makes the database refuse one action's audit rows of one outcome the way a stopped server does.
async function loseAuditRows(action: string, outcome: string) {
  lossTriggers.push(`test_lose_${action.replace(/\W/g, "_")}`);
  await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_lose_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'terminating connection due to administrator command (test)' USING ERRCODE = '57P01'; END $$`);
  await db.$executeRawUnsafe(`CREATE OR REPLACE TRIGGER "test_lose_${action.replace(/\W/g, "_")}" BEFORE INSERT ON "AuditEvent"
    FOR EACH ROW WHEN (NEW.action = '${action}' AND NEW.outcome = '${outcome}') EXECUTE FUNCTION test_lose_audit_row()`);
}

afterAll(async () => {
  for (const trigger of lossTriggers) await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "${trigger}" ON "AuditEvent"`);
});

let userId = "";
beforeAll(async () => {
  userId = (await db.user.create({ data: { email: `safe-action-${randomUUID()}@actions.test`, name: "Safe action", role: "admin", passwordHash: "not-used" } })).id;
  state.session = { userId, role: "admin", name: "Safe action", email: "safe-action@actions.test" };
});

function newRequest() {
  state.requestId = `safe-action-${randomUUID()}`;
  return state.requestId;
}

describe("the action client's audit trail", () => {
  it("writes 'started' before the action runs and its outcome after it: success, failure, or invalid input", async () => {
    const done = testAction("test.audit.done", () => ({ ok: true }));
    const refused = testAction("test.audit.refused", () => {
      throw new AppError("CONFLICT", "Already acknowledged.");
    });

    let requestId = newRequest();
    expect(await done({ note: "checked" })).toMatchObject({ data: { ok: true } });
    expect(await auditOf(requestId)).toEqual([
      ["test.audit.done", "started", userId, null],
      ["test.audit.done", "success", userId, "alert-1"],
    ]);
    expect(await isUnfinished(requestId)).toBe(false);

    requestId = newRequest();
    expect(await refused({ note: "again" })).toMatchObject({ serverError: "Already acknowledged." });
    expect(await auditOf(requestId)).toEqual([
      ["test.audit.refused", "started", userId, null],
      ["test.audit.refused", "failure", userId, "alert-1"],
    ]);

    requestId = newRequest();
    expect((await done({ note: "" }))?.validationErrors).toBeTruthy();
    expect(await auditOf(requestId)).toEqual([
      ["test.audit.done", "started", userId, null],
      ["test.audit.done", "failure", userId, null],
    ]);
  });

  it("answers with the action's own result when its outcome cannot be audited, its 'started' event standing in the trail", async () => {
    await loseAuditRows("test.audit.outcome_lost", "success");
    const action = testAction("test.audit.outcome_lost", () => ({ ok: true }));
    const requestId = newRequest();
    expect(await action({ note: "done once" })).toMatchObject({ data: { ok: true } });
    expect(ran.filter((name) => name === "test.audit.outcome_lost")).toHaveLength(1);
    expect(await auditOf(requestId)).toEqual([["test.audit.outcome_lost", "started", userId, null]]);
    expect(await isUnfinished(requestId)).toBe(true);
  });

  it("keeps on 'started' the record ids the input names, and no other input, so a lost outcome still says what it was about", async () => {
    const action = testAction("test.audit.ids", () => ({ ok: true }));
    const requestId = newRequest();
    await action({ note: "Patient says dizzy", patientId: "patient-42" });
    const started = await db.auditEvent.findFirstOrThrow({ where: { requestId, outcome: "started" }, select: { patientId: true, details: true } });
    expect(started).toEqual({ patientId: "patient-42", details: { input: { patientId: "patient-42" } } });
    // Not shaped like an id (free text in an id field): left out.
    const odd = newRequest();
    await action({ note: "x", patientId: "Ana Garcia, DOB 1950-01-01" });
    expect(await db.auditEvent.findFirstOrThrow({ where: { requestId: odd, outcome: "started" }, select: { patientId: true, details: true } })).toEqual({ patientId: null, details: null });
  });

  it("runs nothing when 'started' cannot be written, and says the database is unavailable", async () => {
    await loseAuditRows("test.audit.start_lost", "started");
    const action = testAction("test.audit.start_lost", () => ({ ok: true }));
    const requestId = newRequest();
    const result = await action({ note: "never runs" });
    expect(result?.serverError).toMatch(/database/i);
    expect(ran).not.toContain("test.audit.start_lost");
    expect(await auditOf(requestId)).toEqual([]);
    expect(await isUnfinished(requestId)).toBe(false);
  });
});
