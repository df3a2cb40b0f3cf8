import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

// Apart from lib/auth/two-step.ts, whose QR-code library every request that reads the session would otherwise load.

type SettingsClient = Pick<Prisma.TransactionClient, "clinicSetting">;

// The clinic setting that makes two-step verification compulsory (lib/auth.ts reads it with the session's user).
export const REQUIRE_TWO_STEP_SETTING = "auth.requireTwoStep";

// Whether the clinic requires two-step verification of every account (off unless an admin turned it on).
export async function requireTwoStep(client: SettingsClient = db): Promise<boolean> {
  const row = await client.clinicSetting.findUnique({ where: { key: REQUIRE_TWO_STEP_SETTING } });
  return row?.value === true;
}
