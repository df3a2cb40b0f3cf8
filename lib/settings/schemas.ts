import { z } from "zod";

// Units the clinic can read glucose in.
export const GLUCOSE_UNITS = ["mg/dL", "mmol/L"] as const;
export type GlucoseUnit = (typeof GLUCOSE_UNITS)[number];

const days = (max: number) => z.number().int("Whole days only.").min(1, "At least 1 day.").max(max, `At most ${max} days.`);

// The clinic-wide settings an admin can change, with the limits each one accepts.
export const clinicSettingsSchema = z.object({
  glucoseUnit: z.enum(GLUCOSE_UNITS),
  silentAfterDays: days(90),
  stuckAfterDays: days(365),
  noReadingAfterDays: days(365),
  // Every staff account must use two-step verification: those without it reach only their account page until they
  // set it up.
  requireTwoStep: z.boolean(),
});
export type ClinicSettings = z.infer<typeof clinicSettingsSchema>;
export type ClinicSettingName = keyof ClinicSettings;
