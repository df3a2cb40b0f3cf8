import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export type AuditActor = { id: string | null; role: string | null };
export type AuditOutcome = "success" | "denied" | "failure";

export type AuditInput = {
  actor: AuditActor;
  action: string;
  outcome: AuditOutcome;
  targetType?: string;
  targetId?: string;
  patientId?: string;
  requestId?: string;
  sourceIp?: string;
  // Ids and counts only: never PHI values or secrets.
  details?: Prisma.InputJsonValue;
};

type AuditWriter = Pick<Prisma.TransactionClient, "auditEvent">;

// The actor for work nobody clicked: ingest, the worker, simulators.
export const SYSTEM_ACTOR: AuditActor = { id: null, role: "system" };

// Appends one audit event; pass a transaction client to make it part of the change it records.
// A failed write throws, so an action cannot succeed without its audit trail.
export async function recordAudit(input: AuditInput, writer: AuditWriter = db): Promise<void> {
  await writer.auditEvent.create({
    data: {
      actorId: input.actor.id,
      actorRole: input.actor.role,
      action: input.action,
      outcome: input.outcome,
      targetType: input.targetType,
      targetId: input.targetId,
      patientId: input.patientId,
      requestId: input.requestId,
      sourceIp: input.sourceIp,
      details: input.details,
    },
  });
}
