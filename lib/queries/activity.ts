import { z } from "zod";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";

export const readingListSchema = listParamsSchema(["measuredAt"] as const, "measuredAt").extend({ metric: z.string().max(40).optional().catch(undefined) });
export const alertListSchema = listParamsSchema(["createdAt", "severity"] as const, "severity").extend({
  status: z.enum(["open", "acknowledged", "resolved"]).optional().catch(undefined),
});

const readingSelect = {
  id: true,
  metric: true,
  value: true,
  value2: true,
  unit: true,
  flags: true,
  vendor: true,
  arrival: true,
  measuredAt: true,
  patient: { select: { id: true, firstName: true, lastName: true } },
} satisfies Prisma.ReadingSelect;

// One page of readings clinic-wide, newest first; deleted-at-vendor readings are left out.
export async function listReadings(params: z.infer<typeof readingListSchema>): Promise<Page<Prisma.ReadingGetPayload<{ select: typeof readingSelect }>>> {
  const where: Prisma.ReadingWhereInput = { deletedAt: null, metric: params.metric || undefined };
  const [total, rows] = await Promise.all([
    db.reading.count({ where }),
    db.reading.findMany({ where, orderBy: [{ measuredAt: params.dir === "asc" ? "asc" : "desc" }, { id: "desc" }], skip: (params.page - 1) * params.size, take: params.size, select: readingSelect }),
  ]);
  return { rows, total, page: params.page, size: params.size };
}

const alertSelect = {
  id: true,
  severity: true,
  status: true,
  message: true,
  createdAt: true,
  patient: { select: { id: true, firstName: true, lastName: true } },
  assignedTo: { select: { name: true } },
} satisfies Prisma.AlertSelect;

// One page of alerts; by default the unresolved ones, most severe and oldest first.
export async function listAlerts(params: z.infer<typeof alertListSchema>): Promise<Page<Prisma.AlertGetPayload<{ select: typeof alertSelect }>>> {
  const where: Prisma.AlertWhereInput = params.status ? { status: params.status } : { status: { not: "resolved" } };
  const orderBy: Prisma.AlertOrderByWithRelationInput[] = params.sort === "severity" ? [{ severity: "desc" }, { createdAt: "asc" }] : [{ createdAt: params.dir }];
  const [total, rows] = await Promise.all([
    db.alert.count({ where }),
    db.alert.findMany({ where, orderBy, skip: (params.page - 1) * params.size, take: params.size, select: alertSelect }),
  ]);
  return { rows, total, page: params.page, size: params.size };
}
