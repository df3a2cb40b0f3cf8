import { z } from "zod";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";

export const LIFECYCLE_STATES = ["in_stock", "assigned", "shipping", "delivered", "active", "silent", "disconnected", "returned"] as const;

export const deviceListSchema = listParamsSchema(["updatedAt", "lastReadingAt", "lifecycle", "vendor"] as const, "updatedAt").extend({
  vendor: z.enum(["tenovi", "validic", "smartz"]).optional().catch(undefined),
  lifecycle: z.enum(LIFECYCLE_STATES).optional().catch(undefined),
});

export type DeviceListParams = z.infer<typeof deviceListSchema>;

const deviceSelect = {
  id: true,
  vendor: true,
  category: true,
  vendorType: true,
  imei: true,
  vendorDeviceId: true,
  lifecycle: true,
  vendorStatus: true,
  lastReadingAt: true,
  gateway: { select: { gatewayUuid: true } },
  patient: { select: { id: true, firstName: true, lastName: true } },
  shipments: { select: { status: true }, orderBy: { createdAt: "desc" }, take: 1 },
} satisfies Prisma.DeviceSelect;

export type DeviceRow = Prisma.DeviceGetPayload<{ select: typeof deviceSelect }>;

// One page of devices across vendors, filtered by vendor and lifecycle, searched by IMEI, gateway or vendor id.
export async function listDevices(params: DeviceListParams): Promise<Page<DeviceRow>> {
  const where: Prisma.DeviceWhereInput = {
    vendor: params.vendor,
    lifecycle: params.lifecycle,
    ...(params.q
      ? {
          OR: [
            { imei: { contains: params.q } },
            { vendorDeviceId: { contains: params.q, mode: "insensitive" } },
            { gateway: { gatewayUuid: { contains: params.q, mode: "insensitive" } } },
            { patient: { lastName: { contains: params.q, mode: "insensitive" } } },
          ],
        }
      : {}),
  };
  const orderBy: Prisma.DeviceOrderByWithRelationInput[] = [{ [params.sort]: params.sort === "lastReadingAt" ? { sort: params.dir, nulls: "last" } : params.dir }, { id: "asc" }];
  const [total, rows] = await Promise.all([
    db.device.count({ where }),
    db.device.findMany({ where, orderBy, skip: (params.page - 1) * params.size, take: params.size, select: deviceSelect }),
  ]);
  return { rows, total, page: params.page, size: params.size };
}
