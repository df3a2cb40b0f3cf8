import { z } from "zod";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Severity } from "@/lib/generated/prisma/enums";
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

const SEVERITY_ORDER: Severity[] = ["low", "medium", "high", "critical"];

const feedSelect = {
  id: true,
  metric: true,
  value: true,
  value2: true,
  unit: true,
  flags: true,
  vendor: true,
  arrival: true,
  measuredAt: true,
  patient: { select: { id: true, firstName: true, lastName: true, timeZone: true } },
  alerts: { select: { severity: true } },
} satisfies Prisma.ReadingSelect;

// The newest readings clinic-wide (deleted-at-vendor ones left out), optionally one metric or only out-of-range
// ones: readings that raised an alert or that the device flagged Hi/Lo.
export async function readingFeed(params: FeedParams): Promise<FeedRow[]> {
  const where: Prisma.ReadingWhereInput = {
    deletedAt: null,
    ...(params.metric ? { metric: params.metric } : {}),
    ...(params.outOfRange ? { OR: [{ alerts: { some: {} } }, { flags: { hasSome: [...OUT_OF_RANGE_FLAGS] } }] } : {}),
  };
  const rows = await db.reading.findMany({ where, orderBy: [{ measuredAt: "desc" }, { id: "desc" }], take: params.limit, select: feedSelect });
  return rows.map((r) => {
    const severity = r.alerts.map((a) => a.severity).sort((a, b) => SEVERITY_ORDER.indexOf(b) - SEVERITY_ORDER.indexOf(a))[0] ?? null;
    const flagged = isDeviceFlagged(r.flags);
    return {
      id: r.id.toString(),
      patient: r.patient ? { id: r.patient.id, name: `${r.patient.lastName}, ${r.patient.firstName}` } : null,
      metric: r.metric,
      metricLabel: METRIC_LABELS[r.metric] ?? r.metric,
      valueText: formatReadingValue(r),
      measuredAt: r.measuredAt.toISOString(),
      measuredText: formatZonedDateTime(r.measuredAt, r.patient?.timeZone ?? "UTC"),
      vendor: r.vendor,
      arrival: r.arrival,
      isOutOfRange: severity !== null || flagged,
      isDeviceFlagged: flagged,
      alertSeverity: severity,
    };
  });
}
