import { z } from "zod";

import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";
import { likeContains } from "@/lib/queries/sql";

export const LIFECYCLE_STATES = ["in_stock", "assigned", "shipping", "delivered", "active", "silent", "disconnected", "returned"] as const;

export const deviceListSchema = listParamsSchema(["updatedAt", "lastReadingAt", "lifecycle", "vendor"] as const, "updatedAt").extend({
  vendor: z.enum(["tenovi", "validic", "smartz"]).optional().catch(undefined),
  lifecycle: z.enum(LIFECYCLE_STATES).optional().catch(undefined),
});

export type DeviceListParams = z.infer<typeof deviceListSchema>;

// A row of the devices list: the device with its gateway, patient and latest shipment's status.
export type DeviceRow = Prisma.DeviceGetPayload<{
  select: {
    id: true;
    vendor: true;
    category: true;
    vendorType: true;
    imei: true;
    vendorDeviceId: true;
    lifecycle: true;
    vendorStatus: true;
    lastReadingAt: true;
    gateway: { select: { gatewayUuid: true } };
    patient: { select: { id: true; firstName: true; lastName: true } };
    shipments: { select: { status: true } };
  };
}>;

// The row as the SQL returns it.
type SqlRow = Omit<DeviceRow, "gateway" | "patient" | "shipments"> & {
  gatewayUuid: string | null;
  patientId: string | null;
  firstName: string | null;
  lastName: string | null;
  shipmentStatus: string | null;
};

// Each sort key inside the page query (on the device) and outside it (on the page's rows, whose enums were read as
// text: cast back so they sort in declaration order, as on the device).
const SORT_KEYS = {
  updatedAt: { inner: Prisma.sql`d."updatedAt"`, outer: Prisma.sql`page."updatedAt"` },
  lastReadingAt: { inner: Prisma.sql`d."lastReadingAt"`, outer: Prisma.sql`page."lastReadingAt"` },
  lifecycle: { inner: Prisma.sql`d.lifecycle`, outer: Prisma.sql`page.lifecycle::"DeviceLifecycle"` },
  vendor: { inner: Prisma.sql`d.vendor`, outer: Prisma.sql`page.vendor::"Vendor"` },
} as const;

function deviceWhere(params: DeviceListParams): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (params.vendor) conditions.push(Prisma.sql`d.vendor = ${params.vendor}::"Vendor"`);
  if (params.lifecycle) conditions.push(Prisma.sql`d.lifecycle = ${params.lifecycle}::"DeviceLifecycle"`);
  if (params.q) {
    const pattern = likeContains(params.q);
    conditions.push(Prisma.sql`(d.imei LIKE ${pattern} OR d."vendorDeviceId" ILIKE ${pattern} OR g."gatewayUuid" ILIKE ${pattern} OR p."lastName" ILIKE ${pattern})`);
  }
  return conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

function toDeviceRow({ gatewayUuid, patientId, firstName, lastName, shipmentStatus, ...device }: SqlRow): DeviceRow {
  return {
    ...device,
    gateway: gatewayUuid === null ? null : { gatewayUuid },
    patient: patientId === null || firstName === null || lastName === null ? null : { id: patientId, firstName, lastName },
    shipments: shipmentStatus === null ? [] : [{ status: shipmentStatus }],
  };
}

// One page of devices across vendors, filtered by vendor and lifecycle, searched by IMEI, gateway, vendor id or the
// patient's last name. Plain SQL with the gateway, patient and latest shipment joined: through Prisma's select that
// was four queries per page.
export async function listDevices(params: DeviceListParams): Promise<Page<DeviceRow>> {
  const where = deviceWhere(params);
  const joins = Prisma.sql`LEFT JOIN "Gateway" g ON g.id = d."gatewayId" LEFT JOIN "Patient" p ON p.id = d."patientId"`;
  const dir = params.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const nulls = params.sort === "lastReadingAt" ? Prisma.sql`NULLS LAST` : Prisma.empty;
  const order = SORT_KEYS[params.sort];
  // The gateway and patient are joined inside the page query only when the search needs them; otherwise only the
  // page's rows are joined, after ORDER BY … LIMIT, as is their latest shipment (a lateral join ahead of the LIMIT
  // looked up a shipment for every device of the list, 30,000 at clinic scale, to keep 25).
  const searchJoins = params.q ? joins : Prisma.empty;
  const [[count], rows] = await Promise.all([
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "Device" d ${searchJoins} ${where}`,
    db.$queryRaw<SqlRow[]>`
      SELECT page.id, page.vendor, page.category, page."vendorType", page.imei, page."vendorDeviceId", page.lifecycle, page."vendorStatus",
             page."lastReadingAt", g."gatewayUuid", p.id AS "patientId", p."firstName", p."lastName", s.status AS "shipmentStatus"
        FROM (SELECT d.id, d.vendor::text AS vendor, d.category::text AS category, d."vendorType", d.imei, d."vendorDeviceId",
                     d.lifecycle::text AS lifecycle, d."vendorStatus", d."lastReadingAt", d."updatedAt", d."gatewayId", d."patientId"
                FROM "Device" d ${searchJoins}
               ${where}
               ORDER BY ${order.inner} ${dir} ${nulls}, d.id ASC
               LIMIT ${params.size} OFFSET ${(params.page - 1) * params.size}) page
        LEFT JOIN "Gateway" g ON g.id = page."gatewayId"
        LEFT JOIN "Patient" p ON p.id = page."patientId"
        LEFT JOIN LATERAL (SELECT x.status FROM "Shipment" x WHERE x."deviceId" = page.id ORDER BY x."createdAt" DESC, x.id DESC LIMIT 1) s ON TRUE
       ORDER BY ${order.outer} ${dir} ${nulls}, page.id ASC`,
  ]);
  return { rows: rows.map(toDeviceRow), total: count?.total ?? 0, page: params.page, size: params.size };
}
