import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { recordAudit } from "@/lib/audit";
import { activeEmergencyGrant, activeEmergencyGrants, auditTrailAccess, auditTrailPatientId, BREAK_GLASS_ACTION } from "@/lib/break-glass/grants";
import { BREAK_GLASS_MINUTES, emergencyAccessSchema } from "@/lib/break-glass/schemas";

const MINUTE = 60_000;

async function breakGlass(userId: string, patientId: string, outcome: "success" | "failure" = "success") {
  await recordAudit({ actor: { id: userId, role: "clinician" }, action: BREAK_GLASS_ACTION, outcome, targetType: "patient", targetId: patientId, patientId });
}

describe("break-glass grants (read from the audit log)", () => {
  it("a successful request grants that user that patient for the grant window, then lapses", async () => {
    const [userId, patientId] = [randomUUID(), randomUUID()];
    expect(await activeEmergencyGrant(userId, patientId)).toBeNull();
    await breakGlass(userId, patientId);
    const grant = await activeEmergencyGrant(userId, patientId);
    expect(grant?.expiresAt.getTime()).toBe((grant?.grantedAt.getTime() ?? 0) + BREAK_GLASS_MINUTES * MINUTE);
    const justAfter = new Date((grant?.expiresAt.getTime() ?? 0) + 1);
    expect(await activeEmergencyGrant(userId, patientId, justAfter)).toBeNull();
  });

  it("is personal and per patient, and a refused request grants nothing", async () => {
    const [userId, otherUser, patientId, otherPatient] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await breakGlass(userId, patientId);
    await breakGlass(otherUser, otherPatient, "failure");
    expect(await activeEmergencyGrant(otherUser, patientId)).toBeNull();
    expect(await activeEmergencyGrant(userId, otherPatient)).toBeNull();
    expect(await activeEmergencyGrant(otherUser, otherPatient)).toBeNull();
    expect((await activeEmergencyGrants(userId)).map((g) => g.patientId)).toEqual([patientId]);
  });

  it("admins read any audit trail by role; others only with a grant", async () => {
    const [userId, patientId] = [randomUUID(), randomUUID()];
    expect(await auditTrailAccess({ userId, role: "admin" }, patientId)).toEqual({ via: "role" });
    expect(await auditTrailAccess({ userId, role: "coordinator" }, patientId)).toBeNull();
    await breakGlass(userId, patientId);
    expect(await auditTrailAccess({ userId, role: "coordinator" }, patientId)).toMatchObject({ via: "break_glass" });
  });

  it("finds the patient id in the audit trail path only", () => {
    expect(auditTrailPatientId("/emergency-access/abc123")).toBe("abc123");
    expect(auditTrailPatientId("/emergency-access/abc123/")).toBe("abc123");
    expect(auditTrailPatientId("/emergency-access")).toBeNull();
    expect(auditTrailPatientId("/emergency-access/a/b")).toBeNull();
    expect(auditTrailPatientId("/emergency-access/%E0%A4%A")).toBe("%E0%A4%A");
  });

  it("requires a written reason and a patient", () => {
    expect(emergencyAccessSchema.safeParse({ mrn: "MRN-100001", reason: "too short" }).success).toBe(false);
    expect(emergencyAccessSchema.safeParse({ reason: "Covering the on-call shift, patient's device alarm" }).success).toBe(false);
    expect(emergencyAccessSchema.safeParse({ mrn: "MRN-100001", reason: "Covering the on-call shift, device alarm escalated" }).success).toBe(true);
  });
});
