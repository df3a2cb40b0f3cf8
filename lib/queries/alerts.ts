import { z } from "zod";

import { db } from "@/lib/db";
import { readRows } from "@/lib/database/read-rows";
import { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";
import { likeContains } from "@/lib/queries/sql";

// The worklist's view from the URL: unresolved alerts by default, most severe and oldest first.
export const alertWorklistSchema = listParamsSchema(["severity", "createdAt"] as const, "severity").extend({
  status: z.enum(["active", "open", "acknowledged", "resolved"]).catch("active").default("active"),
  severity: z.enum(["critical", "high", "medium", "low"]).optional().catch(undefined),
  assignee: z.enum(["me", "unassigned"]).optional().catch(undefined),
  // "mine": alerts of the patients whose care manager is the viewer.
  patients: z.enum(["mine"]).optional().catch(undefined),
});
export type AlertWorklistParams = z.infer<typeof alertWorklistSchema>;

// A worklist row: the alert with its patient, assignee, reading time and rule kind.
export type WorklistAlert = Prisma.AlertGetPayload<{
  select: {
    id: true;
    severity: true;
    status: true;
    message: true;
    createdAt: true;
    acknowledgedAt: true;
    resolvedAt: true;
    resolutionNote: true;
    assignedToId: true;
    assignedTo: { select: { name: true } };
    patient: { select: { id: true; firstName: true; lastName: true; mrn: true; timeZone: true } };
    reading: { select: { measuredAt: true } };
    rule: { select: { kind: true } };
  };
}>;

// A worklist row as the SQL returns it (alert, patient, assignee, reading time and rule kind in one row).
type WorklistRow = Pick<WorklistAlert, "id" | "severity" | "status" | "message" | "createdAt" | "acknowledgedAt" | "resolvedAt" | "resolutionNote" | "assignedToId"> & {
  assigneeName: string | null;
  patientId: string;
  firstName: string;
  lastName: string;
  mrn: string;
  timeZone: string;
  readingMeasuredAt: Date | null;
  ruleKind: NonNullable<WorklistAlert["rule"]>["kind"] | null;
};

function worklistWhere(params: AlertWorklistParams, userId: string): Prisma.Sql {
  const conditions = [params.status === "active" ? Prisma.sql`a.status IN ('open', 'acknowledged')` : Prisma.sql`a.status = ${params.status}::"AlertStatus"`];
  if (params.severity) conditions.push(Prisma.sql`a.severity = ${params.severity}::"Severity"`);
  if (params.assignee === "me") conditions.push(Prisma.sql`a."assignedToId" = ${userId}`);
  if (params.assignee === "unassigned") conditions.push(Prisma.sql`a."assignedToId" IS NULL`);
  if (params.patients === "mine") conditions.push(Prisma.sql`p."careManagerId" = ${userId}`);
  if (params.q) {
    const pattern = likeContains(params.q);
    conditions.push(Prisma.sql`(p."lastName" ILIKE ${pattern} OR p.mrn ILIKE ${pattern} OR a.message ILIKE ${pattern})`);
  }
  return Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}`;
}

function toWorklistAlert({ assigneeName, patientId, firstName, lastName, mrn, timeZone, readingMeasuredAt, ruleKind, ...alert }: WorklistRow): WorklistAlert {
  return {
    ...alert,
    assignedTo: assigneeName === null ? null : { name: assigneeName },
    patient: { id: patientId, firstName, lastName, mrn, timeZone },
    reading: readingMeasuredAt === null ? null : { measuredAt: readingMeasuredAt },
    rule: ruleKind === null ? null : { kind: ruleKind },
  };
}

// One page of the alert worklist. Severity descending (the page's default) puts the most severe first and, within
// a severity, the one that has waited longest; "Raised" sorts by age either way. Plain SQL with the patient,
// assignee, reading and rule joined: through Prisma's select that was five queries per page.
export async function listAlertWorklist(params: AlertWorklistParams, userId: string): Promise<Page<WorklistAlert>> {
  const where = worklistWhere(params, userId);
  const dir = params.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const orderBy = params.sort === "severity" ? Prisma.sql`ORDER BY a.severity ${dir}, a."createdAt" ASC, a.id ASC` : Prisma.sql`ORDER BY a."createdAt" ${dir}, a.id ASC`;
  const [[count], rows] = await Promise.all([
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "Alert" a JOIN "Patient" p ON p.id = a."patientId" ${where}`,
    db.$queryRaw<WorklistRow[]>`
      SELECT a.id, a.severity::text AS severity, a.status::text AS status, a.message, a."createdAt", a."acknowledgedAt", a."resolvedAt",
             a."resolutionNote", a."assignedToId", u.name AS "assigneeName", p.id AS "patientId", p."firstName", p."lastName", p.mrn,
             p."timeZone", r."measuredAt" AS "readingMeasuredAt", ru.kind::text AS "ruleKind"
        FROM "Alert" a
        JOIN "Patient" p ON p.id = a."patientId"
        LEFT JOIN "User" u ON u.id = a."assignedToId"
        LEFT JOIN "Reading" r ON r.id = a."readingId"
        LEFT JOIN "AlertRule" ru ON ru.id = a."ruleId"
       ${where} ${orderBy}
       LIMIT ${params.size} OFFSET ${(params.page - 1) * params.size}`,
  ]);
  return { rows: rows.map(toWorklistAlert), total: count?.total ?? 0, page: params.page, size: params.size };
}

// Open counts per severity for the worklist's header.
export async function openAlertCounts(): Promise<Record<string, number>> {
  const groups = await db.alert.groupBy({ by: ["severity"], where: { status: { in: ["open", "acknowledged"] } }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.severity, g._count._all]));
}

// A patient's alert as the patient page shows it (unresolved list and resolved history).
export type PatientAlert = Pick<
  Prisma.AlertGetPayload<object>,
  "id" | "severity" | "status" | "message" | "createdAt" | "resolvedAt" | "resolutionNote" | "assignedToId" | "resolvedById" | "acknowledgedById"
>;

// A patient's alert as the SQL returns it: the alert and the names of the staff who acted on it.
type PatientAlertRow = PatientAlert & { assignedToName: string | null; resolvedByName: string | null; acknowledgedByName: string | null };

function patientAlertQuery(patientId: string, resolved: boolean, historyLimit: number): Prisma.Sql {
  const where = resolved ? Prisma.sql`a.status = 'resolved'` : Prisma.sql`a.status IN ('open', 'acknowledged')`;
  const order = resolved ? Prisma.sql`ORDER BY a."resolvedAt" DESC, a.id ASC LIMIT ${historyLimit}` : Prisma.sql`ORDER BY a.severity DESC, a."createdAt" ASC`;
  return Prisma.sql`
    SELECT a.id, a.severity::text AS severity, a.status::text AS status, a.message, a."createdAt", a."resolvedAt", a."resolutionNote",
           a."assignedToId", a."resolvedById", a."acknowledgedById",
           u1.name AS "assignedToName", u2.name AS "resolvedByName", u3.name AS "acknowledgedByName"
      FROM "Alert" a
      LEFT JOIN "User" u1 ON u1.id = a."assignedToId"
      LEFT JOIN "User" u2 ON u2.id = a."resolvedById"
      LEFT JOIN "User" u3 ON u3.id = a."acknowledgedById"
     WHERE a."patientId" = ${patientId} AND ${where}
     ${order}`;
}

function toPatientAlert({ assignedToName, resolvedByName, acknowledgedByName, ...alert }: PatientAlertRow, staffNames: Map<string, string>): PatientAlert {
  if (alert.assignedToId && assignedToName !== null) staffNames.set(alert.assignedToId, assignedToName);
  if (alert.resolvedById && resolvedByName !== null) staffNames.set(alert.resolvedById, resolvedByName);
  if (alert.acknowledgedById && acknowledgedByName !== null) staffNames.set(alert.acknowledgedById, acknowledgedByName);
  return alert;
}

// A patient's unresolved alerts (most severe, oldest first) and their resolved ones (latest first), with the names
// of the staff who acted on them. Plain SQL with the names joined, on the pool (lib/database/read-rows.ts): the
// patient page reads it on every view, and through Prisma it was three model queries.
export async function patientAlerts(patientId: string, historyLimit = 20): Promise<{ open: PatientAlert[]; history: PatientAlert[]; staffNames: Map<string, string> }> {
  const [open, history] = await Promise.all([
    readRows<PatientAlertRow>(patientAlertQuery(patientId, false, historyLimit)),
    readRows<PatientAlertRow>(patientAlertQuery(patientId, true, historyLimit)),
  ]);
  const staffNames = new Map<string, string>();
  return { open: open.map((a) => toPatientAlert(a, staffNames)), history: history.map((a) => toPatientAlert(a, staffNames)), staffNames };
}
