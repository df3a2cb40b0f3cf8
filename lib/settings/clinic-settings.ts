import { REQUIRE_TWO_STEP_SETTING, requireTwoStep } from "@/lib/auth/two-step-setting";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { silentAfterDays, SILENT_AFTER_DAYS_SETTING } from "@/lib/ingest/silent-devices";
import { GLUCOSE_UNIT_SETTING, glucoseDisplayUnit } from "@/lib/readings/settings";
import type { ClinicSettingName, ClinicSettings } from "@/lib/settings/schemas";
import { SHIPMENT_SETTING_KEYS, shipmentExceptionSettings } from "@/lib/shipments/exceptions";

// Where each setting lives in ClinicSetting; its reader (and default) stays with the code that uses it.
const SETTING_KEYS: Record<ClinicSettingName, string> = {
  glucoseUnit: GLUCOSE_UNIT_SETTING,
  silentAfterDays: SILENT_AFTER_DAYS_SETTING,
  stuckAfterDays: SHIPMENT_SETTING_KEYS.stuckAfterDays,
  noReadingAfterDays: SHIPMENT_SETTING_KEYS.noReadingAfterDays,
  requireTwoStep: REQUIRE_TWO_STEP_SETTING,
};

type SettingsClient = Pick<Prisma.TransactionClient, "clinicSetting">;

// The settings in effect (defaults where the clinic has set nothing).
export async function readClinicSettings(client: SettingsClient = db): Promise<ClinicSettings> {
  const [glucoseUnit, silent, shipments, twoStep] = await Promise.all([
    glucoseDisplayUnit(client),
    silentAfterDays(client),
    shipmentExceptionSettings(client),
    requireTwoStep(client),
  ]);
  return { glucoseUnit, silentAfterDays: silent, ...shipments, requireTwoStep: twoStep };
}

// Stores the settings that differ from those in effect and names them; run it in a transaction.
export async function saveClinicSettings(settings: ClinicSettings, tx: SettingsClient): Promise<ClinicSettingName[]> {
  const current = await readClinicSettings(tx);
  const changed = (Object.keys(SETTING_KEYS) as ClinicSettingName[]).filter((name) => settings[name] !== current[name]);
  for (const name of changed) {
    const key = SETTING_KEYS[name];
    const value = settings[name];
    await tx.clinicSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
  }
  return changed;
}
