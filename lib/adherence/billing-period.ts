import { textArrayLiteral } from "@/lib/database/array-literal";
import { readRows } from "@/lib/database/read-rows";
import { Prisma } from "@/lib/generated/prisma/client";
import { daysBetween } from "@/lib/time/zone";

// Remote monitoring bills on days with at least one device reading in a 30-day period: 16 or more days for the
// full code, 2–15 days for the reduced one (CMS 2026).
export const PERIOD_DAYS = 30;
export const FULL_DAYS = 16;
export const REDUCED_MIN_DAYS = 2;

// Device-generated metrics that are not physiologic readings, so they do not make a day count.
export const NON_BILLABLE_METRICS = ["battery_percentage"];

export type AdherenceBand = "full" | "reduced" | "below";

export type PeriodAdherence = {
  patientId: string;
  // Calendar days in the patient's time zone, "YYYY-MM-DD".
  periodStart: string;
  periodEnd: string;
  today: string;
  daysWithReadings: number;
  hasReadingToday: boolean;
  // Days left in the period on which a reading could still make a day count: today (if it has none yet) onwards.
  daysStillOpen: number;
  canReachFull: boolean;
  band: AdherenceBand;
};

type PeriodRow = { patientId: string; periodStart: string; periodEnd: string; today: string; days: number; hasToday: boolean };

// The billing band for a count of days.
export function bandFor(days: number): AdherenceBand {
  if (days >= FULL_DAYS) return "full";
  if (days >= REDUCED_MIN_DAYS) return "reduced";
  return "below";
}

// Turns the period row into what the screens show: the band and whether 16 days are still reachable.
export function summarizePeriod(row: PeriodRow): PeriodAdherence {
  const daysStillOpen = Math.max(0, daysBetween(row.today, row.periodEnd)) + (row.hasToday ? 0 : 1);
  return {
    patientId: row.patientId,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    today: row.today,
    daysWithReadings: row.days,
    hasReadingToday: row.hasToday,
    daysStillOpen,
    canReachFull: row.days + daysStillOpen >= FULL_DAYS,
    band: bandFor(row.days),
  };
}

// For a page of patients, in one query: the current 30-day period (consecutive blocks from the enrolment day, in
// the patient's time zone) and the local calendar days in it, up to today, with at least one device reading
// (origin not manual, not deleted). Reading times are stored as UTC without a zone, so each is read as UTC and
// then converted; days are dates, so a 23- or 25-hour DST day is still one day. On the pool (lib/database/read-rows.ts):
// the patient list and the patient page read it on every view.
export async function currentPeriodAdherence(patientIds: string[], now: Date = new Date()): Promise<Map<string, PeriodAdherence>> {
  if (patientIds.length === 0) return new Map();
  const rows = await readRows<PeriodRow>(Prisma.sql`
    WITH p AS (
      SELECT id, "timeZone" AS tz,
             (("enrolledAt" AT TIME ZONE 'UTC') AT TIME ZONE "timeZone")::date AS enrol_day,
             (${now.toISOString()}::timestamptz AT TIME ZONE "timeZone")::date AS today
      FROM "Patient"
      WHERE id = ANY(${textArrayLiteral(patientIds)}::text[])
    ), w AS (
      SELECT id, tz, today, enrol_day + (GREATEST(today - enrol_day, 0) / ${PERIOD_DAYS}::int) * ${PERIOD_DAYS}::int AS period_start
      FROM p
    )
    SELECT w.id AS "patientId",
           to_char(w.period_start, 'YYYY-MM-DD') AS "periodStart",
           to_char(w.period_start + ${PERIOD_DAYS - 1}::int, 'YYYY-MM-DD') AS "periodEnd",
           to_char(w.today, 'YYYY-MM-DD') AS today,
           COALESCE(d.days, 0)::int AS days,
           COALESCE(d.has_today, false) AS "hasToday"
    FROM w
    LEFT JOIN LATERAL (
      SELECT count(DISTINCT ((r."measuredAt" AT TIME ZONE 'UTC') AT TIME ZONE w.tz)::date) AS days,
             bool_or(((r."measuredAt" AT TIME ZONE 'UTC') AT TIME ZONE w.tz)::date = w.today) AS has_today
      FROM "Reading" r
      WHERE r."patientId" = w.id
        AND r."deletedAt" IS NULL
        AND r.origin <> 'manual'
        AND r.metric <> ALL(${NON_BILLABLE_METRICS}::text[])
        AND r."measuredAt" >= ((w.period_start::timestamp AT TIME ZONE w.tz) AT TIME ZONE 'UTC')
        AND r."measuredAt" < (((LEAST(w.today, w.period_start + ${PERIOD_DAYS - 1}::int) + 1)::timestamp AT TIME ZONE w.tz) AT TIME ZONE 'UTC')
    ) d ON true`);
  return new Map(rows.map((row) => [row.patientId, summarizePeriod(row)]));
}
