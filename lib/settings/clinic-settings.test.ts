import { describe, expect, it } from "vitest";

import { requireTwoStep } from "@/lib/auth/two-step-setting";
import { silentAfterDays } from "@/lib/ingest/silent-devices";
import { glucoseDisplayUnit } from "@/lib/readings/settings";
import { readClinicSettings, saveClinicSettings } from "@/lib/settings/clinic-settings";
import { clinicSettingsSchema } from "@/lib/settings/schemas";
import { shipmentExceptionSettings } from "@/lib/shipments/exceptions";
import { inIsolatedSchema } from "@/tests/isolated-schema";

describe("clinic settings", () => {
  // Settings are clinic-wide: the test works on a private copy of the table so parallel test files never see it.
  it("saves only what changed, and every reader of a setting sees the new value", async () => {
    await inIsolatedSchema(["ClinicSetting"], async (tx) => {
      const defaults = await readClinicSettings(tx);
      expect(defaults).toEqual({ glucoseUnit: "mg/dL", silentAfterDays: 3, stuckAfterDays: 7, noReadingAfterDays: 5, requireTwoStep: false });
      expect(await saveClinicSettings({ ...defaults, glucoseUnit: "mmol/L", stuckAfterDays: 10, requireTwoStep: true }, tx)).toEqual([
        "glucoseUnit",
        "stuckAfterDays",
        "requireTwoStep",
      ]);
      expect(await requireTwoStep(tx)).toBe(true);
      expect(await glucoseDisplayUnit(tx)).toBe("mmol/L");
      expect((await shipmentExceptionSettings(tx)).stuckAfterDays).toBe(10);
      expect(await silentAfterDays(tx)).toBe(3);
      expect(await tx.clinicSetting.count()).toBe(3);
      expect(await saveClinicSettings(await readClinicSettings(tx), tx)).toEqual([]);
    });
  });

  it("refuses fractions, zero, values past the limit and unknown units with a message", () => {
    const base = { glucoseUnit: "mg/dL", silentAfterDays: 3, stuckAfterDays: 7, noReadingAfterDays: 5, requireTwoStep: false };
    for (const bad of [{ silentAfterDays: 1.5 }, { stuckAfterDays: 0 }, { noReadingAfterDays: 366 }, { glucoseUnit: "mmol" }, { silentAfterDays: "3" }, { requireTwoStep: "yes" }]) {
      const parsed = clinicSettingsSchema.safeParse({ ...base, ...bad });
      expect(parsed.success, JSON.stringify(bad)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBeTruthy();
    }
  });
});
