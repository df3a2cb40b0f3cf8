import { z } from "zod";

import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";
import { likeContains, type SqlClient } from "@/lib/queries/sql";
import {
  CLIENT_ACTION_STATUS,
  DELIVERED_STATUS,
  EXCEPTION_REASONS,
  ON_HOLD_STATUS,
  RETURNED_STATUS,
  SHIPPING_STATUSES,
  type ExceptionReason,
  type ShipmentExceptionSettings,
} from "@/lib/shipments/exceptions";

export const SHIPMENT_SORTS = ["updatedAt", "createdAt", "status", "stateSince"] as const;

export const shipmentListSchema = listParamsSchema(SHIPMENT_SORTS, "updatedAt").extend({
  view: z.enum(["all", "exceptions"]).catch("all").default("all"),
  reason: z.enum(EXCEPTION_REASONS).optional().catch(undefined),
  status: z.string().trim().max(60).optional().catch(undefined),
  vendor: z.enum(["tenovi", "validic", "smartz"]).optional().catch(undefined),
  fulfiller: z.enum(["clinic", "vendor"]).optional().catch(undefined),
});

export type ShipmentListParams = z.infer<typeof shipmentListSchema>;

export type ShipmentRow = {
  id: string;
  vendor: string;
  fulfiller: "clinic" | "vendor";
  status: string;
  carrier: string | null;
  trackingLink: string | null;
  isGatewayOnly: boolean;
  createdAt: Date;
  updatedAt: Date;
  // When the shipment entered its current status: the latest matching status change, else the shipped/delivered date,
  // else when it was requested.
  stateSince: Date;
  reason: ExceptionReason | null;
  patient: { id: string; name: string; mrn: string };
  device: { id: string; vendorType: string; identifier: string | null } | null;
};

type RawRow = {
  total: number;
  id: string | null;
  vendor: string;
  fulfiller: ShipmentRow["fulfiller"];
  status: string;
  carrier: string | null;
  trackingLink: string | null;
  isGatewayOnly: boolean;
  createdAt: Date;
  updatedAt: Date;
  stateSince: Date;
  reason: ExceptionReason | null;
  patientId: string;
  firstName: string;
  lastName: string;
  mrn: string;
  deviceId: string | null;
  vendorType: string | null;
  deviceIdentifier: string | null;
};

// When the shipment entered its current status: the latest status change to it, else the shipped/delivered date,
// else when it was requested. One index lookup per shipment, so it is computed only for the rows that need it.
function stateSince(alias: "s" | "pg"): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${alias}."${name}"`);
  return Prisma.sql`coalesce(
             (SELECT max(c."occurredAt") FROM "ShipmentStatusChange" c WHERE c."shipmentId" = ${col("id")} AND lower(c.status) = lower(${col("status")})),
             CASE WHEN lower(${col("status")}) = ${DELIVERED_STATUS} THEN ${col("deliveredAt")} END,
             CASE WHEN lower(${col("status")}) IN ('shipped', 'dropshipped') THEN ${col("shippedAt")} END,
             ${col("createdAt")}
           )`;
}

// Every shipment and, for a shipment of an enrolled patient, why it is an exception. Thresholds count from exactly
// N days: a shipment "Shipped" for 7 × 24 h with a 7-day setting is stuck. Offboarded patients are left out of the
// worklist: their returns are expected. The reason needs the state's start only for shipments still on their way
// (and delivered ones without a delivery date), so only those look it up ("reasonSince"); a sort by it asks for
// "stateSince" on every row.
function enrichedShipments(settings: ShipmentExceptionSettings, now: Date, withStateSince = false): Prisma.Sql {
  const stuckBefore = new Date(now.getTime() - settings.stuckAfterDays * 86_400_000);
  const silentBefore = new Date(now.getTime() - settings.noReadingAfterDays * 86_400_000);
  const shipping = Prisma.join([...SHIPPING_STATUSES]);
  const base = Prisma.sql`
    SELECT s.id, s.vendor::text AS vendor, s.fulfiller::text AS fulfiller, s.status, s.carrier, s."trackingLink", s."isGatewayOnly",
           s."createdAt", s."updatedAt", s."shippedAt", s."deliveredAt", s."deviceId",
           p.id AS "patientId", p."firstName", p."lastName", p.mrn, p.status AS "programStatus",
           d."vendorType", coalesce(d.imei, d."vendorDeviceId") AS "deviceIdentifier", d."lastReadingAt",
           CASE WHEN lower(s.status) IN (${shipping}) OR (lower(s.status) = ${DELIVERED_STATUS} AND s."deliveredAt" IS NULL)
                THEN ${stateSince("s")} END AS "reasonSince"
           ${withStateSince ? Prisma.sql`, ${stateSince("s")} AS "stateSince"` : Prisma.empty}
      FROM "Shipment" s
      JOIN "Patient" p ON p.id = s."patientId"
      LEFT JOIN "Device" d ON d.id = s."deviceId"`;
  return Prisma.sql`
    SELECT e.*,
           CASE
             WHEN e."programStatus" <> 'enrolled'::"ProgramStatus" THEN NULL
             WHEN lower(e.status) IN (${shipping}) AND e."reasonSince" <= ${stuckBefore} THEN 'stuck'
             WHEN lower(e.status) = ${DELIVERED_STATUS} AND e."deviceId" IS NOT NULL
                  AND coalesce(e."deliveredAt", e."reasonSince") <= ${silentBefore}
                  AND (e."lastReadingAt" IS NULL OR e."lastReadingAt" < coalesce(e."deliveredAt", e."reasonSince")) THEN 'no_first_reading'
             WHEN lower(e.status) = ${RETURNED_STATUS} THEN 'returned'
             WHEN lower(e.status) = ${CLIENT_ACTION_STATUS} THEN 'client_action'
             WHEN lower(e.status) = ${ON_HOLD_STATUS} THEN 'on_hold'
           END AS reason
      FROM (${base}) e`;
}

function whereClause(params: ShipmentListParams): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (params.view === "exceptions") conditions.push(params.reason ? Prisma.sql`x.reason = ${params.reason}` : Prisma.sql`x.reason IS NOT NULL`);
  if (params.status) conditions.push(Prisma.sql`lower(x.status) = lower(${params.status})`);
  if (params.vendor) conditions.push(Prisma.sql`x.vendor = ${params.vendor}`);
  if (params.fulfiller) conditions.push(Prisma.sql`x.fulfiller = ${params.fulfiller}`);
  if (params.q) {
    const like = likeContains(params.q);
    conditions.push(Prisma.sql`(x."lastName" ILIKE ${like} OR x."firstName" ILIKE ${like} OR x.mrn ILIKE ${like}
                                OR x."deviceIdentifier" ILIKE ${like} OR x."trackingLink" ILIKE ${like} OR x.status ILIKE ${like})`);
  }
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

function orderClause(params: ShipmentListParams, alias: "m" | "pg"): Prisma.Sql {
  const dir = params.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const col = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const column = params.sort === "stateSince" ? "stateSince" : params.sort;
  return Prisma.sql`ORDER BY ${col(column)} ${dir}, ${col("id")} ASC`;
}

// One page of shipments (all of them, or the exceptions worklist), filtered, sorted and counted in one SQL statement.
export async function listShipments(
  params: ShipmentListParams,
  settings: ShipmentExceptionSettings,
  now = new Date(),
  client: SqlClient = db,
): Promise<Page<ShipmentRow>> {
  const offset = (params.page - 1) * params.size;
  // Sorting by the state's start needs it for every match; otherwise only the page's rows look it up.
  const isSortedByState = params.sort === "stateSince";
  const rows = await client.$queryRaw<RawRow[]>`
    WITH matched AS (
      SELECT x.* FROM (${enrichedShipments(settings, now, isSortedByState)}) x ${whereClause(params)}
    ),
    pg AS (
      SELECT m.* FROM matched m ${orderClause(params, "m")} LIMIT ${params.size} OFFSET ${offset}
    )
    SELECT t.total, pg.* ${isSortedByState ? Prisma.empty : Prisma.sql`, ${stateSince("pg")} AS "stateSince"`}
      FROM (SELECT count(*)::int AS total FROM matched) t LEFT JOIN pg ON TRUE
     ${orderClause(params, "pg")}`;
  return { rows: rows.flatMap(toShipmentRow), total: rows[0]?.total ?? 0, page: params.page, size: params.size };
}

function toShipmentRow(r: RawRow): ShipmentRow[] {
  if (r.id === null) return [];
  return [
    {
      id: r.id,
      vendor: r.vendor,
      fulfiller: r.fulfiller,
      status: r.status,
      carrier: r.carrier,
      trackingLink: r.trackingLink,
      isGatewayOnly: r.isGatewayOnly,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      stateSince: r.stateSince,
      reason: r.reason,
      patient: { id: r.patientId, name: `${r.lastName}, ${r.firstName}`, mrn: r.mrn },
      device: r.deviceId ? { id: r.deviceId, vendorType: r.vendorType ?? "", identifier: r.deviceIdentifier } : null,
    },
  ];
}

// How many shipments are on the worklist for each reason (for the tabs).
export async function countShipmentExceptions(
  settings: ShipmentExceptionSettings,
  now = new Date(),
  client: SqlClient = db,
): Promise<Record<ExceptionReason, number>> {
  const rows = await client.$queryRaw<{ reason: ExceptionReason; n: number }[]>`
    SELECT x.reason, count(*)::int AS n FROM (${enrichedShipments(settings, now)}) x WHERE x.reason IS NOT NULL GROUP BY x.reason`;
  const counts = Object.fromEntries(EXCEPTION_REASONS.map((r) => [r, 0])) as Record<ExceptionReason, number>;
  for (const row of rows) counts[row.reason] = row.n;
  return counts;
}

// The statuses shipments are in today, for the status filter (vendors add statuses, so the list is not fixed).
export async function shipmentStatuses(client: SqlClient = db): Promise<string[]> {
  const rows = await client.$queryRaw<{ status: string }[]>`SELECT DISTINCT status FROM "Shipment" ORDER BY status`;
  return rows.map((r) => r.status);
}
