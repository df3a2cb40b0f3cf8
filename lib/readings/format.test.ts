import { describe, expect, it } from "vitest";

import { formatReadingValue } from "@/lib/readings/format";

const reading = (metric: string, value: number, unit: string, extra: { value2?: number; flags?: string[] } = {}) => ({
  metric,
  value,
  value2: extra.value2 ?? null,
  unit,
  flags: extra.flags ?? [],
});

describe("reading values as staff read them", () => {
  it.each([
    [reading("blood_pressure", 128, "mmHg", { value2: 82 }), "128/82 mmHg"],
    [reading("body_weight", 88.24, "kg"), "88.2 kg"],
    // Vendors spell the percent sign out.
    [reading("spo2", 95, "percent"), "95%"],
    [reading("blood_glucose", 612, "mg/dL", { flags: ["glucose_high"] }), "Hi (612 mg/dL)"],
    // A smart-diaper event is its kind, not "1 event".
    [reading("diaper_event", 1, "event", { flags: ["void", "bowel"] }), "Void, bowel"],
    [reading("diaper_event", 1, "event", { flags: ["other_flag"] }), "Event"],
    // A unit named like an Object property is shown as it is.
    [reading("steps", 10, "constructor"), "10 constructor"],
  ])("%j → %s", (input, text) => {
    expect(formatReadingValue(input)).toBe(text);
  });
});
