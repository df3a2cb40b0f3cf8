import { z } from "zod";

import { calendarMonthSchema } from "@/lib/time/month";

// Monthly remote-monitoring treatment management (CMS, CPT 2026): 99457 for the first 20 minutes of a calendar month,
// which must include live (interactive) communication with the patient or caregiver; 99458 for each further full 20.
export const FIRST_CODE_MINUTES = 20;
export const ADDITIONAL_CODE_MINUTES = 20;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD.");

// One entry as staff log it. The date may not lie ahead of the server's today plus a day (time zones).
export const logCareTimeSchema = z.object({
  patientId: z.string().min(1).max(64),
  serviceDate: isoDate.refine((date) => !Number.isNaN(Date.parse(date)) && Date.parse(date) <= Date.now() + 86_400_000, "The date cannot be in the future."),
  minutes: z.number().int("Whole minutes only.").min(1, "At least 1 minute.").max(240, "At most 240 minutes in one entry."),
  interactive: z.boolean(),
  note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
});
export type LogCareTimeInput = z.infer<typeof logCareTimeSchema>;

export const removeCareTimeSchema = z.object({ entryId: z.string().min(1).max(64) });
export type RemoveCareTimeInput = z.infer<typeof removeCareTimeSchema>;

// A correction of an entry: the same fields as logging it, the patient aside.
export const updateCareTimeSchema = logCareTimeSchema.omit({ patientId: true }).extend({ entryId: z.string().min(1).max(64) });
export type UpdateCareTimeInput = z.infer<typeof updateCareTimeSchema>;

// The month a record's care-time card shows: the one asked for (`careMonth=YYYY-MM`) if it is not after the
// patient's current month, else the current month.
export function careMonthToShow(asked: string | undefined, currentMonth: string): string {
  return asked && calendarMonthSchema.safeParse(asked).success && asked <= currentMonth ? asked : currentMonth;
}

export type CareTimeBilling = { minutes: number; hasInteractive: boolean; firstCodeMet: boolean; additionalUnits: number };

// What a month's logged time supports: 99457 once 20 minutes include an interactive entry, then one 99458 unit for
// each further full 20 minutes.
export function careTimeBilling(minutes: number, hasInteractive: boolean): CareTimeBilling {
  const firstCodeMet = hasInteractive && minutes >= FIRST_CODE_MINUTES;
  const additionalUnits = firstCodeMet ? Math.floor((minutes - FIRST_CODE_MINUTES) / ADDITIONAL_CODE_MINUTES) : 0;
  return { minutes, hasInteractive, firstCodeMet, additionalUnits };
}
