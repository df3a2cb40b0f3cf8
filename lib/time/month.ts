import { z } from "zod";

// Calendar months as "YYYY-MM", the form the monthly report and the record's care-time card take them in.
export const calendarMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Use a month as YYYY-MM.");

// The month `offset` months from `month` ("2026-11", -1 → "2026-10").
export function shiftMonth(month: string, offset: number): string {
  const [year = 0, monthNumber = 1] = month.split("-").map(Number);
  return new Date(Date.UTC(year, monthNumber - 1 + offset, 1)).toISOString().slice(0, 7);
}
