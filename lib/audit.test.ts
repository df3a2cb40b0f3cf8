import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";

async function appendOne() {
  const requestId = randomUUID();
  await recordAudit({ actor: { id: null, role: "system" }, action: "test.append_only", outcome: "success", requestId });
  return db.auditEvent.findFirstOrThrow({ where: { requestId } });
}

describe("recordAudit", () => {
  it("stores the actor, target, request and details, and null for what is not given", async () => {
    const requestId = randomUUID();
    await recordAudit({ actor: { id: "staff-1", role: "clinician" }, action: "patient.view", outcome: "success", targetType: "patient", targetId: "p-1", patientId: "p-1", requestId, sourceIp: "10.0.0.1", details: { range: "90d", days: 90, showDeleted: false } });
    expect(await db.auditEvent.findFirstOrThrow({ where: { requestId } })).toMatchObject({
      actorId: "staff-1",
      actorRole: "clinician",
      action: "patient.view",
      outcome: "success",
      targetType: "patient",
      targetId: "p-1",
      patientId: "p-1",
      sourceIp: "10.0.0.1",
      details: { range: "90d", days: 90, showDeleted: false },
      createdAt: expect.any(Date),
    });
    const bare = randomUUID();
    await recordAudit({ actor: { id: null, role: null }, action: "test.bare", outcome: "denied", requestId: bare });
    expect(await db.auditEvent.findFirstOrThrow({ where: { requestId: bare } })).toMatchObject({ actorId: null, actorRole: null, targetType: null, targetId: null, patientId: null, sourceIp: null, details: null });
  });
});

describe("AuditEvent is append-only (database trigger)", () => {
  it("accepts new rows", async () => {
    const row = await appendOne();
    expect(row.action).toBe("test.append_only");
  });

  it("refuses UPDATE, through Prisma and in raw SQL", async () => {
    const row = await appendOne();
    await expect(db.auditEvent.update({ where: { id: row.id }, data: { outcome: "failure" } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`UPDATE "AuditEvent" SET "actorId" = 'someone-else' WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.updateMany({ where: { action: "test.append_only" }, data: { outcome: "failure" } })).rejects.toThrow(/append-only/);
    expect((await db.auditEvent.findUniqueOrThrow({ where: { id: row.id } })).outcome).toBe("success");
  });

  it("refuses DELETE and TRUNCATE", async () => {
    const row = await appendOne();
    await expect(db.auditEvent.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM "AuditEvent" WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.count({ where: { id: row.id } })).toBe(1);
  });
});
