import { z } from "zod";

import { LOST_OUTCOME_MARKS } from "@/lib/audit";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";

// The outcomes recordAudit writes. "started" (a server action about to run) is listed only when asked for: every
// action that ran has its outcome beside it, and a "started" without one is an action whose outcome was lost.
export const AUDIT_OUTCOMES = ["success", "denied", "failure", "started"] as const;
// An outcome filter besides those: "started" events with no outcome after them, actions whose outcome could not be
// written (the database lost between the action and its audit write). Whether their change happened is to be
// checked, so they are listed on their own; one started in the last few minutes may still be running (lib/audit.ts).
export const UNRECORDED_OUTCOME_FILTER = "unrecorded";
// Actor filter values besides a user id: work nobody clicked, and requests without a signed-in user.
export const SYSTEM_ACTOR_FILTER = "system";
export const ANONYMOUS_ACTOR_FILTER = "anonymous";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => v || undefined)
    .optional()
    .catch(undefined);
const optionalDay = z.iso.date().optional().catch(undefined);

// The audit filters, shared by the audit page and the CSV export; dates are whole UTC days, both ends included.
export const auditFilterSchema = z.object({
  actor: optionalText(64),
  action: optionalText(80),
  outcome: z.enum([...AUDIT_OUTCOMES, UNRECORDED_OUTCOME_FILTER]).optional().catch(undefined),
  patientId: optionalText(64),
  from: optionalDay,
  to: optionalDay,
});
// Parsed audit filters.
export type AuditFilters = z.infer<typeof auditFilterSchema>;

// The audit page's URL: filters plus page, size, sort and direction.
export const auditListSchema = listParamsSchema(["createdAt", "action", "outcome"] as const, "createdAt").extend(auditFilterSchema.shape);

const DAY_MS = 86_400_000;

// The Prisma filter for a set of audit filters.
async function auditWhere(filters: AuditFilters): Promise<Prisma.AuditEventWhereInput> {
  const actor: Prisma.AuditEventWhereInput =
    filters.actor === SYSTEM_ACTOR_FILTER
      ? { actorId: null, actorRole: "system" }
      : filters.actor === ANONYMOUS_ACTOR_FILTER
        ? { actorId: null, actorRole: null }
        : { actorId: filters.actor };
  return {
    ...actor,
    action: filters.action,
    ...(filters.outcome === UNRECORDED_OUTCOME_FILTER ? { id: { in: await unrecordedActionIds() } } : { outcome: filters.outcome ?? { not: "started" } }),
    patientId: filters.patientId,
    createdAt: {
      gte: filters.from ? new Date(`${filters.from}T00:00:00Z`) : undefined,
      lt: filters.to ? new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + DAY_MS) : undefined,
    },
  };
}

// The "started" events no outcome followed (UnfinishedAction, kept by lib/audit.ts). Few by nature, so their ids
// travel as a list into the page's own filters.
const UNRECORDED = Prisma.sql`FROM ${LOST_OUTCOME_MARKS}`;

async function unrecordedActionIds(): Promise<bigint[]> {
  const rows = await db.$queryRaw<{ id: bigint }[]>`SELECT "startedEventId" AS id ${UNRECORDED}`;
  return rows.map((row) => row.id);
}

// How many actions have no recorded outcome, for the admin page to point at.
export async function countUnrecordedActions(): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count ${UNRECORDED}`;
  return row?.count ?? 0;
}

const auditSelect = {
  id: true,
  createdAt: true,
  actorId: true,
  actorRole: true,
  action: true,
  outcome: true,
  targetType: true,
  targetId: true,
  patientId: true,
  sourceIp: true,
  requestId: true,
  details: true,
} satisfies Prisma.AuditEventSelect;

// An audit event as lists and exports show it.
export type AuditRow = Prisma.AuditEventGetPayload<{ select: typeof auditSelect }> & { actorName: string | null };

// Adds the staff member's name to each row (the audit row keeps only the id, so renames do not rewrite history).
async function withActorNames(rows: Prisma.AuditEventGetPayload<{ select: typeof auditSelect }>[]): Promise<AuditRow[]> {
  const ids = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => Boolean(id)))];
  const users = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  const names = new Map(users.map((u) => [u.id, u.name]));
  return rows.map((r) => ({ ...r, actorName: r.actorId ? (names.get(r.actorId) ?? null) : null }));
}

// One page of audit events, newest first by default.
export async function listAuditEvents(params: z.infer<typeof auditListSchema>): Promise<Page<AuditRow>> {
  const where = await auditWhere(params);
  const [total, rows] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({ where, orderBy: [{ [params.sort]: params.dir }, { id: params.dir }], skip: (params.page - 1) * params.size, take: params.size, select: auditSelect }),
  ]);
  return { rows: await withActorNames(rows), total, page: params.page, size: params.size };
}

// Every matching event in id order, a batch at a time, for exports of any size.
export async function* auditEventBatches(filters: AuditFilters, batchSize = 1_000): AsyncGenerator<AuditRow[]> {
  const where = await auditWhere(filters);
  let afterId: bigint | undefined;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { AND: [where, afterId === undefined ? {} : { id: { gt: afterId } }] },
      orderBy: { id: "asc" },
      take: batchSize,
      select: auditSelect,
    });
    if (rows.length) yield withActorNames(rows);
    afterId = rows.at(-1)?.id;
    if (rows.length < batchSize) return;
  }
}

// The staff and the distinct actions to filter by. The actions come from a loose index scan over
// (action, createdAt), which stays fast however long the log grows.
export async function auditFilterOptions(): Promise<{ staff: { id: string; name: string }[]; actions: string[] }> {
  const [staff, actions] = await Promise.all([
    db.user.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.$queryRaw<{ action: string }[]>`
      WITH RECURSIVE distinct_actions AS (
        SELECT min("action") AS action FROM "AuditEvent"
        UNION ALL
        SELECT (SELECT min("action") FROM "AuditEvent" WHERE "action" > d.action) FROM distinct_actions d WHERE d.action IS NOT NULL
      )
      SELECT action FROM distinct_actions WHERE action IS NOT NULL`,
  ]);
  return { staff, actions: actions.map((a) => a.action) };
}
