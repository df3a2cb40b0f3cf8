import type { AcknowledgeAlertInput, AcknowledgeAlertsInput, AssignAlertInput, ResolveAlertInput } from "@/lib/alerts/schemas";
import { recordChanges, type AuditActor } from "@/lib/audit";
import { textArrayLiteral } from "@/lib/database/array-literal";
import { readRows } from "@/lib/database/read-rows";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { PERMISSIONS } from "@/lib/permissions";

type AlertRef = { id: string; patientId: string };

// Roles that may own an alert: the ones allowed to manage alerts.
export const ASSIGNABLE_ROLES = PERMISSIONS["alert.manage"];

async function findAlert(alertId: string) {
  const alert = await db.alert.findUnique({ where: { id: alertId }, select: { id: true, patientId: true, status: true } });
  if (!alert) throw new AppError("NOT_FOUND", "That alert no longer exists.");
  return alert;
}

// Active clinicians and admins, for the assignee picker. Plain SQL on the pool (lib/database/read-rows.ts): the
// patient page and the worklist read it on every view.
export async function listAssignableStaff(): Promise<{ id: string; name: string }[]> {
  return readRows<{ id: string; name: string }>(Prisma.sql`
    SELECT id, name FROM "User" WHERE "isActive" AND role::text = ANY(${textArrayLiteral(ASSIGNABLE_ROLES)}::text[]) ORDER BY name`);
}

// Gives an unresolved alert to an active clinician or admin, or takes it back (assigneeId null).
export async function assignAlert(input: AssignAlertInput): Promise<AlertRef> {
  const alert = await findAlert(input.alertId);
  if (input.assigneeId) {
    const assignee = await db.user.findFirst({ where: { id: input.assigneeId, isActive: true, role: { in: [...ASSIGNABLE_ROLES] } }, select: { id: true } });
    if (!assignee) throw new AppError("INVALID_INPUT", "Alerts can only be assigned to an active clinician or admin.");
  }
  const updated = await db.alert.updateMany({ where: { id: alert.id, status: { not: "resolved" } }, data: { assignedToId: input.assigneeId } });
  if (updated.count === 0) throw new AppError("CONFLICT", "This alert is already resolved.");
  return { id: alert.id, patientId: alert.patientId };
}

// Marks an open alert as seen by the actor. The status check is part of the update, so a double click or two
// clinicians at once cannot both acknowledge it.
export async function acknowledgeAlert(actorId: string, input: AcknowledgeAlertInput, now = new Date()): Promise<AlertRef> {
  const alert = await findAlert(input.alertId);
  const updated = await db.alert.updateMany({ where: { id: alert.id, status: "open" }, data: { status: "acknowledged", acknowledgedAt: now, acknowledgedById: actorId } });
  if (updated.count === 0) throw new AppError("CONFLICT", alert.status === "resolved" ? "This alert is already resolved." : "This alert is already acknowledged.");
  return { id: alert.id, patientId: alert.patientId };
}

// Acknowledges the open alerts among those chosen, in one statement: ones already acknowledged or resolved (by someone
// else meanwhile) stay as they are. Each alert acknowledged gets its own audit event, as acknowledging it alone would.
export async function acknowledgeAlerts(actor: AuditActor & { id: string }, input: AcknowledgeAlertsInput, requestId?: string, now = new Date()): Promise<{ acknowledged: number }> {
  return db.$transaction(async (tx) => {
    const acknowledged = await tx.$queryRaw<AlertRef[]>`
      UPDATE "Alert" SET status = 'acknowledged', "acknowledgedAt" = ${now}::timestamp(3), "acknowledgedById" = ${actor.id}, "updatedAt" = ${now}::timestamp(3)
       WHERE id = ANY(${input.alertIds}::text[]) AND status = 'open'
      RETURNING id, "patientId"`;
    const changes = acknowledged.map((alert) => ({ action: "alert.acknowledge", targetType: "alert", targetId: alert.id, patientId: alert.patientId }));
    await recordChanges(tx, changes, { actor, requestId });
    return { acknowledged: acknowledged.length };
  });
}

// Closes an open or acknowledged alert with the actor's note; it stays in the patient's alert history. An open
// alert resolved directly counts as acknowledged by the same person at the same time.
export async function resolveAlert(actorId: string, input: ResolveAlertInput, now = new Date()): Promise<AlertRef> {
  const alert = await findAlert(input.alertId);
  const updated = await db.$transaction(async (tx) => {
    await tx.alert.updateMany({ where: { id: alert.id, status: "open" }, data: { acknowledgedAt: now, acknowledgedById: actorId } });
    return tx.alert.updateMany({
      where: { id: alert.id, status: { in: ["open", "acknowledged"] } },
      data: { status: "resolved", resolvedAt: now, resolvedById: actorId, resolutionNote: input.note },
    });
  });
  if (updated.count === 0) throw new AppError("CONFLICT", "This alert is already resolved.");
  return { id: alert.id, patientId: alert.patientId };
}
