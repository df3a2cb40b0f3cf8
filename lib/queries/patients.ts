import { z } from "zod";

import { FIRST_CODE_MINUTES } from "@/lib/care-time/schemas";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { listName } from "@/lib/patients/names";
import { LIFECYCLE_STATES } from "@/lib/queries/devices";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";
import { likeContains, type SqlClient } from "@/lib/queries/sql";

export const PATIENT_SORTS = ["name", "mrn", "status", "enrolledAt", "lastReadingAt", "openAlerts", "careMinutes"] as const;
export const PROGRAM_STATUSES = ["enrolled", "offboarded"] as const;
export const VENDOR_NAMES = ["tenovi", "validic", "smartz"] as const;
// This month's care time against CPT 99457: "short" is an enrolled patient who has not met it yet.
export const CARE_TIME_FILTERS = ["short", "met"] as const;

export const patientListSchema = listParamsSchema(PATIENT_SORTS, "name").extend({
  status: z.enum(PROGRAM_STATUSES).optional().catch(undefined),
  vendor: z.enum(VENDOR_NAMES).optional().catch(undefined),
  // A device lifecycle state; with a vendor, the same device must match both.
  lifecycle: z.enum(LIFECYCLE_STATES).optional().catch(undefined),
  alerts: z.enum(["open", "none"]).optional().catch(undefined),
  care: z.enum(CARE_TIME_FILTERS).optional().catch(undefined),
  // A staff account's id, "me" (the viewer's: see withViewer) or "none" (patients nobody follows).
  manager: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .optional()
    .catch(undefined),
});

export type PatientListParams = z.infer<typeof patientListSchema>;

// The list as the viewer asked for it: "me" becomes their own account.
export function withViewer(params: PatientListParams, viewerId: string): PatientListParams {
  return params.manager === "me" ? { ...params, manager: viewerId } : params;
}

export type PatientRow = {
  id: string;
  mrn: string;
  name: string;
  status: (typeof PROGRAM_STATUSES)[number];
  enrolledAt: Date;
  vendors: string[];
  deviceCount: number;
  lastReadingAt: Date | null;
  openAlerts: number;
  // Care time logged in the patient's current calendar month (their time zone), and whether any was a live call.
  careMinutes: number;
  careLiveCall: boolean;
  careManager: { name: string; isActive: boolean } | null;
};

type RawRow = {
  total: number;
  id: string | null;
  mrn: string;
  firstName: string;
  lastName: string;
  status: PatientRow["status"];
  enrolledAt: Date;
  vendors: string[] | null;
  deviceCount: number;
  lastReadingAt: Date | null;
  openAlerts: number;
  careMinutes: number;
  careLiveCall: boolean;
  careManagerName: string | null;
  careManagerActive: boolean | null;
};

// Digits typed in the search box match phone numbers and IMEIs once there are enough of them to mean something.
const MIN_SEARCH_DIGITS = 4;
// An alert stays on the patient's count until it is resolved (acknowledged ones still need follow-up).
const OPEN_ALERT = Prisma.sql`a.status <> 'resolved'::"AlertStatus"`;

// Name words must each match a first or last name ("maria garcia", "Garcia, M"); MRN, phone digits and IMEI also match.
// Written as a union of id sets so each branch can use its trigram index (an OR across tables would scan every patient).
function searchCondition(q: string): Prisma.Sql {
  const words = q.split(/[\s,]+/).filter(Boolean);
  const nameMatch = words.length
    ? Prisma.join(
        words.map((w) => Prisma.sql`(s."firstName" ILIKE ${likeContains(w)} OR s."lastName" ILIKE ${likeContains(w)})`),
        " AND ",
      )
    : Prisma.sql`FALSE`;
  const patientMatches = [nameMatch, Prisma.sql`s.mrn ILIKE ${likeContains(q)}`];
  const digits = q.replace(/\D/g, "");
  const hasDigits = digits.length >= MIN_SEARCH_DIGITS;
  if (hasDigits) patientMatches.push(Prisma.sql`s.phone LIKE ${likeContains(digits)}`);
  const byPatient = Prisma.sql`SELECT s.id FROM "Patient" s WHERE ${Prisma.join(patientMatches, " OR ")}`;
  const byImei = hasDigits
    ? Prisma.sql`UNION SELECT d."patientId" FROM "Device" d WHERE d."patientId" IS NOT NULL AND d.imei LIKE ${likeContains(digits)}`
    : Prisma.empty;
  return Prisma.sql`p.id IN (${byPatient} ${byImei})`;
}

// The first day of the calendar month `now` falls in where the patient (alias given) lives: their CareTimeMonth.
function currentCareMonth(patient: string, now: Date): Prisma.Sql {
  return Prisma.sql`date_trunc('month', ${now}::timestamptz AT TIME ZONE ${Prisma.raw(patient)}."timeZone")::date`;
}

// Every patient's care minutes this month and whether any was a live call, for those with an entry: each patient's
// current month (their time zone's, converted once per zone: a handful) looked up in the totals the CareTimeEntry
// trigger keeps (CareTimeMonth). The patients' months are kept apart (MATERIALIZED) so they are joined to the totals
// on both keys; left to itself, PostgreSQL joined this month's totals to every zone first and then looked up each
// of 55,000 pairs' patient (238 ms). No time zone's date is more than a day behind UTC's, so none of their months
// began before the one UTC was in a day ago: that bound narrows the totals by their month index.
function careTotals(now: Date): Prisma.Sql {
  return Prisma.sql`(WITH zone_month AS (
      SELECT "timeZone" AS zone, date_trunc('month', ${now}::timestamptz AT TIME ZONE "timeZone")::date AS month FROM "Patient" GROUP BY "timeZone"
    ), patient_month AS MATERIALIZED (
      SELECT cp.id, zm.month FROM "Patient" cp JOIN zone_month zm ON zm.zone = cp."timeZone"
    )
    SELECT ctm."patientId", ctm.minutes, ctm."liveEntries" > 0 AS live
      FROM patient_month pm JOIN "CareTimeMonth" ctm ON ctm."patientId" = pm.id AND ctm.month = pm.month
     WHERE ctm.month >= date_trunc('month', (${now}::timestamptz AT TIME ZONE 'UTC') - interval '1 day')::date)`;
}

function careCondition(filter: (typeof CARE_TIME_FILTERS)[number], now: Date): Prisma.Sql {
  const met = Prisma.sql`SELECT t."patientId" FROM ${careTotals(now)} t WHERE t.minutes >= ${FIRST_CODE_MINUTES} AND t.live`;
  return filter === "met" ? Prisma.sql`p.id IN (${met})` : Prisma.sql`p.status = 'enrolled'::"ProgramStatus" AND p.id NOT IN (${met})`;
}

function whereClause(params: PatientListParams, now: Date): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (params.status) conditions.push(Prisma.sql`p.status = ${params.status}::"ProgramStatus"`);
  if (params.vendor || params.lifecycle) {
    const vendor = params.vendor ? Prisma.sql`AND d.vendor = ${params.vendor}::"Vendor"` : Prisma.empty;
    const lifecycle = params.lifecycle ? Prisma.sql`AND d.lifecycle = ${params.lifecycle}::"DeviceLifecycle"` : Prisma.empty;
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Device" d WHERE d."patientId" = p.id ${vendor} ${lifecycle})`);
  }
  if (params.alerts) {
    const exists = Prisma.sql`EXISTS (SELECT 1 FROM "Alert" a WHERE a."patientId" = p.id AND ${OPEN_ALERT})`;
    conditions.push(params.alerts === "open" ? exists : Prisma.sql`NOT ${exists}`);
  }
  if (params.care) conditions.push(careCondition(params.care, now));
  if (params.manager) conditions.push(params.manager === "none" ? Prisma.sql`p."careManagerId" IS NULL` : Prisma.sql`p."careManagerId" = ${params.manager}`);
  if (params.q) conditions.push(searchCondition(params.q));
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

// ORDER BY for the matched rows (alias m) and again for the page (alias pg); the id makes every order total.
function orderClause(params: PatientListParams, alias: "m" | "pg"): Prisma.Sql {
  const dir = params.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const col = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const byName = Prisma.sql`${col("lastName")} ASC, ${col("firstName")} ASC, ${col("id")} ASC`;
  switch (params.sort) {
    case "mrn":
      return Prisma.sql`ORDER BY ${col("mrn")} ${dir}`;
    case "status":
      return Prisma.sql`ORDER BY ${col("status")} ${dir}, ${byName}`;
    case "enrolledAt":
      return Prisma.sql`ORDER BY ${col("enrolledAt")} ${dir}, ${col("id")} ASC`;
    case "lastReadingAt":
      // Patients who never sent a reading come last either way: they are not "most recent" nor "longest ago".
      return Prisma.sql`ORDER BY ${col("sortLastReadingAt")} ${dir} NULLS LAST, ${col("id")} ASC`;
    case "openAlerts":
      return Prisma.sql`ORDER BY ${col("sortOpenAlerts")} ${dir}, ${byName}`;
    case "careMinutes":
      return Prisma.sql`ORDER BY ${col("sortCareMinutes")} ${dir}, ${byName}`;
    case "name":
      return Prisma.sql`ORDER BY ${col("lastName")} ${dir}, ${col("firstName")} ${dir}, ${col("id")} ASC`;
  }
}

// Aggregates needed only to sort; joined in only when that sort is chosen, so the common case stays a plain scan.
function sortJoins(params: PatientListParams, now: Date): { columns: Prisma.Sql; joins: Prisma.Sql } {
  if (params.sort === "lastReadingAt") {
    return {
      columns: Prisma.sql`, lr."lastReadingAt" AS "sortLastReadingAt"`,
      joins: Prisma.sql`LEFT JOIN (SELECT d."patientId", max(d."lastReadingAt") AS "lastReadingAt" FROM "Device" d
                                   WHERE d."patientId" IS NOT NULL GROUP BY d."patientId") lr ON lr."patientId" = p.id`,
    };
  }
  if (params.sort === "openAlerts") {
    return {
      columns: Prisma.sql`, coalesce(oa.n, 0) AS "sortOpenAlerts"`,
      joins: Prisma.sql`LEFT JOIN (SELECT a."patientId", count(*) AS n FROM "Alert" a WHERE ${OPEN_ALERT} GROUP BY a."patientId") oa ON oa."patientId" = p.id`,
    };
  }
  if (params.sort === "careMinutes") {
    return {
      columns: Prisma.sql`, coalesce(ct.minutes, 0) AS "sortCareMinutes"`,
      joins: Prisma.sql`LEFT JOIN ${careTotals(now)} ct ON ct."patientId" = p.id`,
    };
  }
  return { columns: Prisma.empty, joins: Prisma.empty };
}

// Whether the matched patients are computed once and kept for both the count and the page (a filter or search is
// worth not running twice), or each reads the table its own way: unfiltered, the count is an index-only scan and the
// page walks an index in order and stops after one page, where keeping all 20,000 rows first took 13 ms (2.7).
function matchedMaterialization(params: PatientListParams): Prisma.Sql {
  const isUnfiltered = !params.status && !params.vendor && !params.lifecycle && !params.alerts && !params.care && !params.manager && !params.q;
  const isPlainSort = params.sort !== "lastReadingAt" && params.sort !== "openAlerts" && params.sort !== "careMinutes";
  return isUnfiltered && isPlainSort ? Prisma.sql`NOT MATERIALIZED` : Prisma.sql`MATERIALIZED`;
}

// One page of patients for the list: searched, filtered, sorted and counted in a single SQL statement, with the
// device, alert and care-time summaries computed for the page's rows only. Built for tens of thousands of patients.
// `now` places each patient's current month.
export async function listPatients(params: PatientListParams, client: SqlClient = db, now: Date = new Date()): Promise<Page<PatientRow>> {
  const { columns, joins } = sortJoins(params, now);
  const offset = (params.page - 1) * params.size;
  const rows = await client.$queryRaw<RawRow[]>`
    WITH matched AS ${matchedMaterialization(params)} (
      SELECT p.id, p.mrn, p."firstName", p."lastName", p.status, p."enrolledAt", p."timeZone", p."careManagerId" ${columns}
        FROM "Patient" p ${joins}
       ${whereClause(params, now)}
    ),
    pg AS (
      SELECT m.* FROM matched m ${orderClause(params, "m")} LIMIT ${params.size} OFFSET ${offset}
    )
    SELECT t.total, pg.id, pg.mrn, pg."firstName", pg."lastName", pg.status, pg."enrolledAt",
           dev.vendors, coalesce(dev."deviceCount", 0)::int AS "deviceCount", dev."lastReadingAt",
           coalesce(al."openAlerts", 0)::int AS "openAlerts",
           coalesce(care.minutes, 0)::int AS "careMinutes", coalesce(care."liveEntries" > 0, false) AS "careLiveCall",
           cm.name AS "careManagerName", cm."isActive" AS "careManagerActive"
      FROM (SELECT count(*)::int AS total FROM matched) t
      LEFT JOIN pg ON TRUE
      LEFT JOIN LATERAL (
        SELECT array_agg(DISTINCT d.vendor::text) AS vendors, count(*) AS "deviceCount", max(d."lastReadingAt") AS "lastReadingAt"
          FROM "Device" d WHERE d."patientId" = pg.id
      ) dev ON pg.id IS NOT NULL
      LEFT JOIN LATERAL (
        SELECT count(*) AS "openAlerts" FROM "Alert" a WHERE a."patientId" = pg.id AND ${OPEN_ALERT}
      ) al ON pg.id IS NOT NULL
      LEFT JOIN "CareTimeMonth" care ON pg.id IS NOT NULL AND care."patientId" = pg.id AND care.month = ${currentCareMonth("pg", now)}
      LEFT JOIN "User" cm ON cm.id = pg."careManagerId"
     ${orderClause(params, "pg")}`;
  const total = rows[0]?.total ?? 0;
  const page = rows.flatMap((r) =>
    r.id === null
      ? []
      : [
          {
            id: r.id,
            mrn: r.mrn,
            name: listName(r),
            status: r.status,
            enrolledAt: r.enrolledAt,
            vendors: [...(r.vendors ?? [])].sort(),
            deviceCount: r.deviceCount,
            lastReadingAt: r.lastReadingAt,
            openAlerts: r.openAlerts,
            careMinutes: r.careMinutes,
            careLiveCall: r.careLiveCall,
            careManager: r.careManagerName === null ? null : { name: r.careManagerName, isActive: r.careManagerActive === true },
          },
        ],
  );
  return { rows: page, total, page: params.page, size: params.size };
}
