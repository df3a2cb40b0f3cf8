import { z } from "zod";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";

export const shipmentListSchema = listParamsSchema(["updatedAt", "createdAt", "status"] as const, "updatedAt");
export const readingListSchema = listParamsSchema(["measuredAt"] as const, "measuredAt").extend({ metric: z.string().max(40).optional().catch(undefined) });
export const alertListSchema = listParamsSchema(["createdAt", "severity"] as const, "severity").extend({
  status: z.enum(["open", "acknowledged", "resolved"]).optional().catch(undefined),
});

const shipmentSelect = {
  id: true,
  vendor: true,
  fulfiller: true,
  status: true,
  trackingLink: true,
  carrier: true,
  createdAt: true,
  updatedAt: true,
  patient: { select: { id: true, firstName: true, lastName: true } },
  device: { select: { vendorType: true } },
} satisfies Prisma.ShipmentSelect;

// One page of shipments, newest activity first by default.
export async function listShipments(params: z.infer<typeof shipmentListSchema>): Promise<Page<Prisma.ShipmentGetPayload<{ select: typeof shipmentSelect }>>> {
  const where: Prisma.ShipmentWhereInput = params.q ? { OR: [{ status: { contains: params.q, mode: "insensitive" } }, { patient: { lastName: { contains: params.q, mode: "insensitive" } } }] } : {};
  const [total, rows] = await Promise.all([
    db.shipment.count({ where }),
    db.shipment.findMany({ where, orderBy: [{ [params.sort]: params.dir }, { id: "asc" }], skip: (params.page - 1) * params.size, take: params.size, select: shipmentSelect }),
  ]);
  return { rows, total, page: params.page, size: params.size };
}

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

// How many readings past the current page the feed counts. Counting every reading on each view cost a scan of
// the whole table (seconds at ten million rows); past this the total shows as "10,000+".
export const READING_COUNT_AHEAD = 10_000;

// One page of readings clinic-wide, newest first; deleted-at-vendor readings are left out.
export async function listReadings(
  params: z.infer<typeof readingListSchema>,
  countAhead = READING_COUNT_AHEAD,
): Promise<Page<Prisma.ReadingGetPayload<{ select: typeof readingSelect }>>> {
  const where: Prisma.ReadingWhereInput = { deletedAt: null, metric: params.metric || undefined };
  const skip = (params.page - 1) * params.size;
  const countLimit = skip + countAhead;
  const [counted, rows] = await Promise.all([
    db.reading.count({ where, take: countLimit + 1 }),
    db.reading.findMany({ where, orderBy: [{ measuredAt: params.dir === "asc" ? "asc" : "desc" }, { id: "desc" }], skip, take: params.size, select: readingSelect }),
  ]);
  return { rows, total: Math.min(counted, countLimit), isTotalCapped: counted > countLimit, page: params.page, size: params.size };
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
  // "Not resolved" spelled as the two other statuses, so the (status, severity, createdAt) index serves it.
  const where: Prisma.AlertWhereInput = params.status ? { status: params.status } : { status: { in: ["open", "acknowledged"] } };
  const orderBy: Prisma.AlertOrderByWithRelationInput[] = params.sort === "severity" ? [{ severity: "desc" }, { createdAt: "asc" }] : [{ createdAt: params.dir }];
  const [total, rows] = await Promise.all([
    db.alert.count({ where }),
    db.alert.findMany({ where, orderBy, skip: (params.page - 1) * params.size, take: params.size, select: alertSelect }),
  ]);
  return { rows, total, page: params.page, size: params.size };
}
