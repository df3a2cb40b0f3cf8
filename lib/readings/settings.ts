import { canonicalUnit } from "@/lib/alerts/units";
import { readRows } from "@/lib/database/read-rows";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { GlucoseUnit } from "@/lib/settings/schemas";

export const GLUCOSE_UNIT_SETTING = "glucose.unit";

function glucoseUnitOf(value: unknown): GlucoseUnit {
  return typeof value === "string" && canonicalUnit(value) === "mmol/L" ? "mmol/L" : "mg/dL";
}

// The unit the clinic reads glucose in (ClinicSetting "glucose.unit"); mg/dL unless set to mmol/L.
export async function glucoseDisplayUnit(client: Pick<Prisma.TransactionClient, "clinicSetting"> = db): Promise<GlucoseUnit> {
  const setting = await client.clinicSetting.findUnique({ where: { key: GLUCOSE_UNIT_SETTING }, select: { value: true } });
  return glucoseUnitOf(setting?.value);
}

// The same, read on the pool (lib/database/read-rows.ts) for the vitals page, which reads it on every view.
export async function glucoseDisplayUnitForPage(): Promise<GlucoseUnit> {
  const [setting] = await readRows<{ value: unknown }>(Prisma.sql`SELECT value FROM "ClinicSetting" WHERE key = ${GLUCOSE_UNIT_SETTING}`);
  return glucoseUnitOf(setting?.value);
}
