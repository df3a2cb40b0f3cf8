"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { db } from "@/lib/db";
import { saveClinicSettings } from "@/lib/settings/clinic-settings";
import { clinicSettingsSchema } from "@/lib/settings/schemas";

// Saves the clinic-wide settings (glucose unit, silent-device and shipment-exception thresholds, whether two-step
// verification is required).
export const updateClinicSettingsAction = authActionClient
  .metadata({ action: "settings.update", permission: "settings.manage" })
  .inputSchema(clinicSettingsSchema)
  .action(async ({ parsedInput, ctx }) => {
    const changed = await db.$transaction((tx) => saveClinicSettings(parsedInput, tx));
    Object.assign(ctx.audit, { type: "clinic_settings", details: { changed: changed.join(",") || "none" } });
    return { changed };
  });
