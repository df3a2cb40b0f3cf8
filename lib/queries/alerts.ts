import { z } from "zod";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";

// The worklist's view from the URL: unresolved alerts by default, most severe and oldest first.
export const alertWorklistSchema = listParamsSchema(["severity", "createdAt"] as const, "severity").extend({
  status: z.enum(["active", "open", "acknowledged", "resolved"]).catch("active").default("active"),
  severity: z.enum(["critical", "high", "medium", "low"]).optional().catch(undefined),
  assignee: z.enum(["me", "unassigned"]).optional().catch(undefined),
});
export type AlertWorklistParams = z.infer<typeof alertWorklistSchema>;

const worklistSelect = {
  id: true,
  severity: true,
  status: true,
  message: true,
  createdAt: true,
  acknowledgedAt: true,
  resolvedAt: true,
  resolutionNote: true,
  assignedToId: true,
  assignedTo: { select: { name: true } },
  patient: { select: { id: true, firstName: true, lastName: true, mrn: true, timeZone: true } },
  reading: { select: { measuredAt: true } },
  rule: { select: { kind: true } },
} satisfies Prisma.AlertSelect;

export type WorklistAlert = Prisma.AlertGetPayload<{ select: typeof worklistSelect }>;

function statusFilter(status: AlertWorklistParams["status"]): Prisma.AlertWhereInput {
  return status === "active" ? { status: { in: ["open", "acknowledged"] } } : { status };
}

// One page of the alert worklist. Severity descending (the page's default) puts the most severe first and, within
// a severity, the one that has waited longest; "Raised" sorts by age either way.
export async function listAlertWorklist(params: AlertWorklistParams, userId: string): Promise<Page<WorklistAlert>> {
  const where: Prisma.AlertWhereInput = {
    ...statusFilter(params.status),
    ...(params.severity ? { severity: params.severity } : {}),
    ...(params.assignee === "me" ? { assignedToId: userId } : params.assignee === "unassigned" ? { assignedToId: null } : {}),
    ...(params.q ? { OR: [{ patient: { lastName: { contains: params.q, mode: "insensitive" } } }, { patient: { mrn: { contains: params.q, mode: "insensitive" } } }, { message: { contains: params.q, mode: "insensitive" } }] } : {}),
  };
  const orderBy: Prisma.AlertOrderByWithRelationInput[] =
    params.sort === "severity" ? [{ severity: params.dir }, { createdAt: "asc" }, { id: "asc" }] : [{ createdAt: params.dir }, { id: "asc" }];
  const [total, rows] = await Promise.all([
    db.alert.count({ where }),
    db.alert.findMany({ where, orderBy, skip: (params.page - 1) * params.size, take: params.size, select: worklistSelect }),
  ]);
  return { rows, total, page: params.page, size: params.size };
}

// Open counts per severity for the worklist's header.
export async function openAlertCounts(): Promise<Record<string, number>> {
  const groups = await db.alert.groupBy({ by: ["severity"], where: { status: { in: ["open", "acknowledged"] } }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.severity, g._count._all]));
}

const historySelect = {
  id: true,
  severity: true,
  status: true,
  message: true,
  createdAt: true,
  resolvedAt: true,
  resolutionNote: true,
  assignedToId: true,
  resolvedById: true,
  acknowledgedById: true,
} satisfies Prisma.AlertSelect;

export type PatientAlert = Prisma.AlertGetPayload<{ select: typeof historySelect }>;

// A patient's unresolved alerts (most severe, oldest first) and their resolved ones (latest first), with the names
// of the staff who acted on them.
export async function patientAlerts(patientId: string, historyLimit = 20): Promise<{ open: PatientAlert[]; history: PatientAlert[]; staffNames: Map<string, string> }> {
  const [open, history] = await Promise.all([
    db.alert.findMany({ where: { patientId, status: { in: ["open", "acknowledged"] } }, orderBy: [{ severity: "desc" }, { createdAt: "asc" }], select: historySelect }),
    db.alert.findMany({ where: { patientId, status: "resolved" }, orderBy: [{ resolvedAt: "desc" }, { id: "asc" }], take: historyLimit, select: historySelect }),
  ]);
  const ids = [...new Set([...open, ...history].flatMap((a) => [a.assignedToId, a.resolvedById, a.acknowledgedById]).filter((id): id is string => Boolean(id)))];
  const staff = ids.length > 0 ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  return { open, history, staffNames: new Map(staff.map((s) => [s.id, s.name])) };
}
