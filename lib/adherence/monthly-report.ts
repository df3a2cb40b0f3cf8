import { bandFor, FULL_DAYS, NON_BILLABLE_METRICS } from "@/lib/adherence/billing-period";
import { careTimeBilling } from "@/lib/care-time/schemas";
import { db } from "@/lib/db";
import { toCsv } from "@/lib/reports/csv";
import { calendarMonthSchema } from "@/lib/time/month";

export type MonthlyAdherenceRow = {
  patientId: string;
  mrn: string;
  lastName: string;
  firstName: string;
  status: string;
  timeZone: string;
  enrolledOn: string;
  offboardedOn: string | null;
  daysWithReadings: number;
  daysInMonth: number;
  // Care time logged for the month (lib/care-time), and whether any of it was a live call.
  careMinutes: number;
  hadLiveCall: boolean;
};

// The current calendar month (UTC), the report's default.
export function currentMonth(now: Date = new Date()): string {
  return now.toISOString().slice(0, 7);
}

// Every patient enrolled at some point in the calendar month (in their own time zone), with the days of that
// month on which they sent at least one device reading and the care time logged for it (the month's totals the
// database keeps in CareTimeMonth: summing each patient's entries cost ~150 ms of the export). One query for the
// whole clinic.
export async function monthlyAdherence(month: string): Promise<MonthlyAdherenceRow[]> {
  const first = `${calendarMonthSchema.parse(month)}-01`;
  return db.$queryRaw<MonthlyAdherenceRow[]>`
    WITH m AS (SELECT ${first}::date AS first_day, (${first}::date + interval '1 month')::date AS next_first)
    SELECT p.id AS "patientId", p.mrn, p."lastName", p."firstName", p.status::text AS status, p."timeZone",
           to_char((p."enrolledAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone", 'YYYY-MM-DD') AS "enrolledOn",
           to_char((p."offboardedAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone", 'YYYY-MM-DD') AS "offboardedOn",
           COALESCE(d.days, 0)::int AS "daysWithReadings",
           (m.next_first - m.first_day)::int AS "daysInMonth",
           COALESCE(ct.minutes, 0) AS "careMinutes", COALESCE(ct."liveEntries", 0) > 0 AS "hadLiveCall"
    FROM "Patient" p
    CROSS JOIN m
    LEFT JOIN LATERAL (
      SELECT count(DISTINCT ((r."measuredAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone")::date) AS days
      FROM "Reading" r
      WHERE r."patientId" = p.id
        AND r."deletedAt" IS NULL
        AND r.origin <> 'manual'
        AND r.metric <> ALL(${NON_BILLABLE_METRICS}::text[])
        AND r."measuredAt" >= ((m.first_day::timestamp AT TIME ZONE p."timeZone") AT TIME ZONE 'UTC')
        AND r."measuredAt" < ((m.next_first::timestamp AT TIME ZONE p."timeZone") AT TIME ZONE 'UTC')
    ) d ON true
    LEFT JOIN "CareTimeMonth" ct ON ct."patientId" = p.id AND ct.month = m.first_day
    WHERE ((p."enrolledAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone")::date < m.next_first
      AND (p."offboardedAt" IS NULL OR ((p."offboardedAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone")::date >= m.first_day)
    ORDER BY p."lastName", p."firstName", p.mrn`;
}

const BAND_LABELS = { full: "16+ days", reduced: "2–15 days", below: "0–1 days" } as const;

export const ADHERENCE_CSV_HEADER = [
  "Month",
  "MRN",
  "Last name",
  "First name",
  "Program status",
  "Time zone",
  "Enrolled on",
  "Offboarded on",
  "Days with device readings",
  "Days in month",
  "Band",
  `Met ${FULL_DAYS} days`,
  "Care minutes",
  "Live call",
  "99457",
  "99458 units",
] as const;

// The report as CSV, one row per patient.
export function monthlyAdherenceCsv(month: string, rows: readonly MonthlyAdherenceRow[]): string {
  return toCsv(
    ADHERENCE_CSV_HEADER,
    rows.map((r) => {
      const care = careTimeBilling(r.careMinutes, r.hadLiveCall);
      return [
        ...[month, r.mrn, r.lastName, r.firstName, r.status, r.timeZone, r.enrolledOn, r.offboardedOn, r.daysWithReadings, r.daysInMonth],
        ...[BAND_LABELS[bandFor(r.daysWithReadings)], r.daysWithReadings >= FULL_DAYS, r.careMinutes, r.hadLiveCall, care.firstCodeMet, care.additionalUnits],
      ];
    }),
  );
}
