import type { z } from "zod";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";

export const shipmentListSchema = listParamsSchema(["updatedAt", "createdAt", "status"] as const, "updatedAt");

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
