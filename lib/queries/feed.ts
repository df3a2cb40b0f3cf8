import { z } from "zod";

import { db } from "@/lib/db";
import { Prisma, type Reading } from "@/lib/generated/prisma/client";
import type { Severity } from "@/lib/generated/prisma/enums";
import { listName } from "@/lib/patients/names";
import { formatReadingValue, METRIC_LABELS } from "@/lib/readings/format";
import { OUT_OF_RANGE_FLAGS, isDeviceFlagged } from "@/lib/readings/metrics";
import { formatZonedDateTime } from "@/lib/time/zone";

// The live feed's filters, from the URL or the polling request.
export const feedParamsSchema = z.object({
  metric: z
    .string()
    .regex(/^[a-z0-9_]{1,40}$/)
    .optional()
    .catch(undefined),
  outOfRange: z.enum(["1"]).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(200).catch(50).default(50),
});
export type FeedParams = z.infer<typeof feedParamsSchema>;

// One feed row, ready to show: the browser only adds "2 minutes ago".
export type FeedRow = {
  id: string;
  patient: { id: string; name: string } | null;
  metric: string;
  metricLabel: string;
  valueText: string;
  measuredAt: string;
  measuredText: string;
  vendor: string;
  arrival: string;
  isOutOfRange: boolean;
  isDeviceFlagged: boolean;
  alertSeverity: Severity | null;
};

// A feed row as the SQL returns it: the reading, its patient and the most severe alert it raised.
type FeedSqlRow = Pick<Reading, "id" | "metric" | "value" | "value2" | "unit" | "flags" | "vendor" | "arrival" | "measuredAt" | "patientId"> & {
  firstName: string | null;
  lastName: string | null;
  timeZone: string | null;
  alertSeverity: Severity | null;
};

// The newest readings clinic-wide (deleted-at-vendor ones left out), optionally one metric or only out-of-range
// ones: readings that raised an alert or that the device flagged Hi/Lo. One plain-SQL query (the page and its
// polling route call it every few seconds per open feed); through Prisma's select it was three.
export async function readingFeed(params: FeedParams): Promise<FeedRow[]> {
  const conditions = [Prisma.sql`r."deletedAt" IS NULL`];
  if (params.metric) conditions.push(Prisma.sql`r.metric = ${params.metric}`);
  if (params.outOfRange) conditions.push(Prisma.sql`(EXISTS (SELECT 1 FROM "Alert" x WHERE x."readingId" = r.id) OR r.flags && ${[...OUT_OF_RANGE_FLAGS]}::text[])`);
  const rows = await db.$queryRaw<FeedSqlRow[]>`
    WITH page AS (
      SELECT r.id, r.metric, r.value, r.value2, r.unit, r.flags, r.vendor::text AS vendor, r.arrival, r."measuredAt", r."patientId"
        FROM "Reading" r
       WHERE ${Prisma.join(conditions, " AND ")}
       ORDER BY r."measuredAt" DESC, r.id DESC
       LIMIT ${params.limit}
    )
    SELECT page.*, p."firstName", p."lastName", p."timeZone", al.severity AS "alertSeverity"
      FROM page
      LEFT JOIN "Patient" p ON p.id = page."patientId"
      LEFT JOIN (SELECT a."readingId", max(a.severity)::text AS severity FROM "Alert" a WHERE a."readingId" IN (SELECT id FROM page) GROUP BY a."readingId") al
        ON al."readingId" = page.id
     ORDER BY page."measuredAt" DESC, page.id DESC`;
  return rows.map((r) => {
    const severity = r.alertSeverity;
    const flagged = isDeviceFlagged(r.flags);
    const patient = r.patientId !== null && r.firstName !== null && r.lastName !== null ? { id: r.patientId, name: listName({ firstName: r.firstName, lastName: r.lastName }) } : null;
    return {
      id: r.id.toString(),
      patient,
      metric: r.metric,
      metricLabel: METRIC_LABELS[r.metric] ?? r.metric,
      valueText: formatReadingValue(r),
      measuredAt: r.measuredAt.toISOString(),
      measuredText: formatZonedDateTime(r.measuredAt, r.timeZone ?? "UTC"),
      vendor: r.vendor,
      arrival: r.arrival,
      isOutOfRange: severity !== null || flagged,
      isDeviceFlagged: flagged,
      alertSeverity: severity,
    };
  });
}
