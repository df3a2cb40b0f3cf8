"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { BREAK_GLASS_ACTION } from "@/lib/break-glass/grants";
import { BREAK_GLASS_MINUTES, emergencyAccessSchema } from "@/lib/break-glass/schemas";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Break-glass: grants the requester time-limited read access to one patient's audit trail. The grant IS the audit
// event this action writes (action auth.break_glass, outcome success), so it is visible on the audit page at once.
export const requestEmergencyAccessAction = authActionClient
  .metadata({ action: BREAK_GLASS_ACTION, permission: "emergency.request" })
  .inputSchema(emergencyAccessSchema)
  .action(async ({ parsedInput, ctx }) => {
    const where = parsedInput.patientId ? { id: parsedInput.patientId } : { mrn: parsedInput.mrn };
    const patient = await db.patient.findFirst({ where, select: { id: true } });
    if (!patient) throw new AppError("NOT_FOUND", "No patient has that MRN.");
    const expiresAt = new Date(Date.now() + BREAK_GLASS_MINUTES * 60_000);
    // The reason is the staff member's written justification, which reviewers must read to judge the access, so it
    // is stored in the (admin-only, append-only) audit row. It is never written to application logs.
    Object.assign(ctx.audit, {
      type: "patient",
      id: patient.id,
      patientId: patient.id,
      details: { scope: "audit_trail", expiresAt: expiresAt.toISOString(), reason: parsedInput.reason, reasonLength: parsedInput.reason.length },
    });
    return { patientId: patient.id, expiresAt: expiresAt.toISOString() };
  });
