import { describe, expect, it } from "vitest";

import { glucoseDisplayUnit, glucoseDisplayUnitForPage } from "@/lib/readings/settings";

describe("the clinic's glucose unit", () => {
  // Read-only: the setting is clinic-wide and other test files read it in parallel (clinic-settings.test.ts changes
  // it inside a transaction it rolls back).
  it("reads the same unit on the pool as through Prisma", async () => {
    const unit = await glucoseDisplayUnit();
    expect(await glucoseDisplayUnitForPage()).toBe(unit);
    expect(["mg/dL", "mmol/L"]).toContain(unit);
  });
});
