import { headers } from "next/headers";

import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

export type AuditActor = { id: string | null; role: string | null };
// "started" is written before a server action runs, so a change whose outcome could not be recorded after it (the
// database lost in between) still has its who, what and when in the trail.
export type AuditOutcome = "started" | "success" | "denied" | "failure";

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

// A change to one record, for the audit trail: written in the transaction of the change, many in one statement.
// Ingest and the worker make them on their own (a device's first reading, a vendor-reported status: the system
// actor); a staff member through a bulk action (one event per record changed, like acting on each alone).
export type AuditedChange = { action: string; targetType: string; targetId: string; patientId?: string | null; details?: Prisma.InputJsonValue };

export async function recordChanges(
  writer: AuditWriter,
  changes: AuditedChange[],
  by: { actor: AuditActor; requestId?: string } = { actor: SYSTEM_ACTOR },
): Promise<void> {
  if (changes.length === 0) return;
  await writer.auditEvent.createMany({
    data: changes.map((change) => ({
      actorId: by.actor.id,
      actorRole: by.actor.role,
      action: change.action,
      outcome: "success",
      targetType: change.targetType,
      targetId: change.targetId,
      patientId: change.patientId ?? undefined,
      requestId: by.requestId,
      details: change.details,
    })),
  });
}

// Appends one audit event; pass a transaction client to make it part of the change it records.
// A failed write throws, so an action cannot succeed without its audit trail. Plain SQL: every page that shows a
// patient writes one, and a Prisma model create costs about three times the CPU of the same INSERT.
export async function recordAudit(input: AuditInput, writer: Pick<Prisma.TransactionClient, "$executeRaw"> = db): Promise<void> {
  await writer.$executeRaw(auditInsert(input));
}

// The INSERT of one audit event, for recordAudit and for the statements that write an action's events with its mark.
function auditInsert(input: AuditInput): Prisma.Sql {
  const details = input.details === undefined ? null : JSON.stringify(input.details);
  return Prisma.sql`
    INSERT INTO "AuditEvent" ("actorId", "actorRole", action, outcome, "targetType", "targetId", "patientId", "requestId", "sourceIp", details)
    VALUES (${input.actor.id}, ${input.actor.role}, ${input.action}, ${input.outcome}, ${input.targetType ?? null}, ${input.targetId ?? null},
            ${input.patientId ?? null}, ${input.requestId ?? null}, ${input.sourceIp ?? null}, ${details}::jsonb)`;
}

// A server action's audit events, before and after it runs (paired by the started event's id, which the outcome's
// statement clears from UnfinishedAction); both carry the request's id.
type ActionAuditInput = Omit<AuditInput, "outcome" | "requestId"> & { requestId: string };

// Writes a server action's "started" event and marks the action unfinished, in one statement; returns the event's id.
export async function recordActionStarted(input: ActionAuditInput): Promise<bigint> {
  const [row] = await db.$queryRaw<{ id: bigint }[]>`
    WITH started AS (${auditInsert({ ...input, outcome: "started" })} RETURNING id)
    INSERT INTO "UnfinishedAction" ("startedEventId", action) SELECT id, ${input.action} FROM started RETURNING "startedEventId" AS id`;
  // An INSERT … SELECT of the one event the same statement wrote: one row, or the statement failed.
  if (!row) throw new Error("recording an action's start returned no row");
  return row.id;
}

// How long an action may run before a missing outcome counts as lost.
const UNRECORDED_GRACE_MINUTES = 5;
// The unfinished marks whose action has had that long: actions whose outcome was lost.
export const LOST_OUTCOME_MARKS = Prisma.sql`"UnfinishedAction" WHERE "createdAt" < now() - make_interval(mins => ${UNRECORDED_GRACE_MINUTES}::int)`;

// Removes the unfinished mark of an action whose outcome was lost, once someone has checked what it did; its
// "started" event stays in the trail. Refuses a mark that is not there (already checked) or still within the grace.
export async function markActionChecked(startedEventId: bigint): Promise<{ action: string }> {
  const [row] = await db.$queryRaw<{ action: string }[]>`
    DELETE FROM ${LOST_OUTCOME_MARKS} AND "startedEventId" = ${startedEventId} RETURNING action`;
  if (!row) throw new AppError("NOT_FOUND", "That action is no longer waiting to be checked.");
  return row;
}

// Writes a server action's outcome and clears the mark its "started" event left, in one statement: both or neither.
export async function recordActionOutcome(startedEventId: bigint, input: ActionAuditInput & { outcome: Exclude<AuditOutcome, "started"> }): Promise<void> {
  await db.$executeRaw`
    WITH finished AS (DELETE FROM "UnfinishedAction" WHERE "startedEventId" = ${startedEventId})
    ${auditInsert(input)}`;
}

// What part of a patient's record was read; the audit action is "<what>.view".
export type AccessedRecord = "patient" | "readings" | "audit_trail";

// The client address of the current request: the first X-Forwarded-For hop, which the TLS-terminating proxy in
// front of Pulseboard must set (see README, Security).
export function sourceIpFrom(requestHeaders: Headers): string | undefined {
  return requestHeaders.get("x-forwarded-for")?.split(",")[0]?.trim() || undefined;
}

// Records that a staff member read part of a patient's record, with the request's source address and id.
// For server components and route handlers; a failed write throws, so the read fails with it.
export async function recordAccess(
  session: { userId: string; role: string },
  patientId: string,
  what: AccessedRecord,
  details?: Record<string, string | number | boolean | null>,
): Promise<void> {
  const requestHeaders = await headers();
  await recordAudit({
    actor: { id: session.userId, role: session.role },
    action: `${what}.view`,
    outcome: "success",
    targetType: what,
    targetId: patientId,
    patientId,
    requestId: requestHeaders.get("x-request-id") ?? undefined,
    sourceIp: sourceIpFrom(requestHeaders),
    details,
  });
}
