import { canonicalUnit } from "@/lib/alerts/units";
import { db } from "@/lib/db";

export const GLUCOSE_UNIT_SETTING = "glucose.unit";
export const GLUCOSE_UNITS = ["mg/dL", "mmol/L"] as const;
export type GlucoseUnit = (typeof GLUCOSE_UNITS)[number];

// The unit the clinic reads glucose in (ClinicSetting "glucose.unit"); mg/dL unless set to mmol/L.
export async function glucoseDisplayUnit(): Promise<GlucoseUnit> {
  const setting = await db.clinicSetting.findUnique({ where: { key: GLUCOSE_UNIT_SETTING }, select: { value: true } });
  const value = typeof setting?.value === "string" ? canonicalUnit(setting.value) : null;
  return value === "mmol/L" ? "mmol/L" : "mg/dL";
}
