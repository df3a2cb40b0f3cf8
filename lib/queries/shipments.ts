import { z } from "zod";

import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { listName } from "@/lib/patients/names";
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
  exceptionCounts: Partial<ExceptionCounts>;
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

// Every shipment and, for a shipment of an enrolled patient, why it is an exception. Thresholds count from exactly
// N days: a shipment "Shipped" for 7 × 24 h with a 7-day setting is stuck. Offboarded patients are left out of the
// worklist: their returns are expected. "statusKey" (the status in lower case) and "stateSince" are kept by triggers
// (prisma/schema.prisma), so the rule reads plain columns.
function enrichedShipments(settings: ShipmentExceptionSettings, now: Date): Prisma.Sql {
  const stuckBefore = new Date(now.getTime() - settings.stuckAfterDays * 86_400_000);
  const silentBefore = new Date(now.getTime() - settings.noReadingAfterDays * 86_400_000);
  return Prisma.sql`
    SELECT s.id, s.vendor::text AS vendor, s.fulfiller::text AS fulfiller, s.status, s."statusKey", s.carrier, s."trackingLink", s."isGatewayOnly",
           s."createdAt", s."updatedAt", s."stateSince", s."deviceId",
           p.id AS "patientId", p."firstName", p."lastName", p.mrn,
           d."vendorType", coalesce(d.imei, d."vendorDeviceId") AS "deviceIdentifier",
           CASE
             WHEN p.status <> 'enrolled'::"ProgramStatus" THEN NULL
             WHEN s."statusKey" IN (${Prisma.join([...SHIPPING_STATUSES])}) AND s."stateSince" <= ${stuckBefore} THEN 'stuck'
             WHEN s."statusKey" = ${DELIVERED_STATUS} AND s."deviceId" IS NOT NULL
                  AND coalesce(s."deliveredAt", s."stateSince") <= ${silentBefore}
                  AND (d."lastReadingAt" IS NULL OR d."lastReadingAt" < coalesce(s."deliveredAt", s."stateSince")) THEN 'no_first_reading'
             WHEN s."statusKey" = ${RETURNED_STATUS} THEN 'returned'
             WHEN s."statusKey" = ${CLIENT_ACTION_STATUS} THEN 'client_action'
             WHEN s."statusKey" = ${ON_HOLD_STATUS} THEN 'on_hold'
           END AS reason
      FROM "Shipment" s
      JOIN "Patient" p ON p.id = s."patientId"
      LEFT JOIN "Device" d ON d.id = s."deviceId"`;
}

function whereClause(params: ShipmentListParams): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (params.view === "exceptions") conditions.push(params.reason ? Prisma.sql`x.reason = ${params.reason}` : Prisma.sql`x.reason IS NOT NULL`);
  if (params.status) conditions.push(Prisma.sql`x."statusKey" = lower(${params.status})`);
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
  return Prisma.sql`ORDER BY ${col(params.sort)} ${dir}, ${col("id")} ASC`;
}

export type ExceptionCounts = Record<ExceptionReason, number>;
export type ShipmentPage = Page<ShipmentRow> & { exceptionCounts: ExceptionCounts };

// One page of shipments (all of them, or the exceptions worklist), filtered, sorted and counted, with how many
// shipments are on the worklist for each reason (the tabs), in one SQL statement: the tabs and the list agree. The
// worklist's rows (a small share of all shipments) are kept and counted for the tabs, and the exceptions view pages
// through them, so there the rule runs once per shipment; the full list in its default order (last update) reads
// only its page's rows through the index on "updatedAt".
export async function listShipments(
  params: ShipmentListParams,
  settings: ShipmentExceptionSettings,
  now = new Date(),
  client: SqlClient = db,
): Promise<ShipmentPage> {
  const offset = (params.page - 1) * params.size;
  const rows = await client.$queryRaw<RawRow[]>`
    WITH worklist AS MATERIALIZED (
      SELECT e.* FROM (${enrichedShipments(settings, now)}) e WHERE e.reason IS NOT NULL
    ),
    counts AS (
      SELECT coalesce(jsonb_object_agg(r.reason, r.n), '{}') AS "exceptionCounts"
        FROM (SELECT reason, count(*)::int AS n FROM worklist GROUP BY reason) r
    ),
    matched AS NOT MATERIALIZED (
      SELECT x.* FROM ${params.view === "exceptions" ? Prisma.sql`worklist` : Prisma.sql`(${enrichedShipments(settings, now)})`} x ${whereClause(params)}
    ),
    pg AS (
      SELECT m.* FROM matched m ${orderClause(params, "m")} LIMIT ${params.size} OFFSET ${offset}
    )
    SELECT t.total, counts."exceptionCounts", pg.* FROM (SELECT count(*)::int AS total FROM matched) t CROSS JOIN counts LEFT JOIN pg ON TRUE
     ${orderClause(params, "pg")}`;
  const exceptionCounts = Object.fromEntries(EXCEPTION_REASONS.map((reason) => [reason, rows[0]?.exceptionCounts[reason] ?? 0])) as ExceptionCounts;
  return { rows: rows.flatMap(toShipmentRow), total: rows[0]?.total ?? 0, page: params.page, size: params.size, exceptionCounts };
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
      patient: { id: r.patientId, name: listName(r), mrn: r.mrn },
      device: r.deviceId ? { id: r.deviceId, vendorType: r.vendorType ?? "", identifier: r.deviceIdentifier } : null,
    },
  ];
}

// The statuses shipments are in today, for the status filter (vendors add statuses, so the list is not fixed).
export async function shipmentStatuses(client: SqlClient = db): Promise<string[]> {
  const rows = await client.$queryRaw<{ status: string }[]>`SELECT DISTINCT status FROM "Shipment" ORDER BY status`;
  return rows.map((r) => r.status);
}
