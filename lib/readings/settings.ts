import { canonicalUnit } from "@/lib/alerts/units";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { GlucoseUnit } from "@/lib/settings/schemas";

export const GLUCOSE_UNIT_SETTING = "glucose.unit";

// The unit the clinic reads glucose in (ClinicSetting "glucose.unit"); mg/dL unless set to mmol/L.
export async function glucoseDisplayUnit(client: Pick<Prisma.TransactionClient, "clinicSetting"> = db): Promise<GlucoseUnit> {
  const setting = await client.clinicSetting.findUnique({ where: { key: GLUCOSE_UNIT_SETTING }, select: { value: true } });
  const value = typeof setting?.value === "string" ? canonicalUnit(setting.value) : null;
  return value === "mmol/L" ? "mmol/L" : "mg/dL";
}
