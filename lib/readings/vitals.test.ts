import { describe, expect, it } from "vitest";

import type { RuleLike } from "@/lib/alerts/rules";
import { buildVitalsCharts, resolveRange, thresholdMarks, vitalsParamsSchema, weightChange, type VitalsReading } from "@/lib/readings/vitals";

const NY = "America/New_York";
const NOW = new Date("2026-03-10T16:00:00Z");
const DAY = 86_400_000;

const rule = (overrides: Partial<RuleLike>): RuleLike => ({
  id: "r",
  patientId: null,
  kind: "threshold",
  metric: "blood_glucose",
  unit: "mg/dL",
  origin: null,
  comparator: "greater_than",
  thresholdValue: 300,
  window: null,
  severity: "high",
  message: "m",
  isActive: true,
  ...overrides,
});

let id = 0;
const reading = (overrides: Partial<VitalsReading> & { measuredAt: Date }): VitalsReading => ({
  id: String(++id),
  metric: "blood_glucose",
  value: 100,
  value2: null,
  unit: "mg/dL",
  flags: [],
  mealContext: null,
  deviceCategory: null,
  ...overrides,
});

describe("vitals range", () => {
  it("covers whole local days ending today, across the DST change", () => {
    const range = resolveRange(vitalsParamsSchema.parse({ range: "7d" }), NY, NOW);
    expect(range).toMatchObject({ key: "7d", fromDay: "2026-03-04", toDay: "2026-03-10", days: 7 });
    expect(range.from.toISOString()).toBe("2026-03-04T05:00:00.000Z");
    expect(range.to.toISOString()).toBe("2026-03-11T04:00:00.000Z");
  });

  it("accepts a custom range and falls back to 30 days, saying why, for a bad one", () => {
    expect(resolveRange(vitalsParamsSchema.parse({ range: "custom", from: "2026-02-01", to: "2026-02-28" }), NY, NOW)).toMatchObject({ key: "custom", days: 28 });
    expect(resolveRange(vitalsParamsSchema.parse({ range: "custom", from: "2026-03-05", to: "2026-03-01" }), NY, NOW)).toMatchObject({ key: "30d", error: "The start date is after the end date." });
    expect(resolveRange(vitalsParamsSchema.parse({ range: "custom", from: "2026-02-30", to: "2026-03-01" }), NY, NOW)).toMatchObject({ key: "30d" });
    expect(resolveRange(vitalsParamsSchema.parse({ range: "custom", from: "2024-01-01", to: "2026-03-01" }), NY, NOW).error).toMatch(/at most 366/);
    expect(vitalsParamsSchema.parse({ range: "1y", deleted: "yes", page: "-2" })).toEqual({ range: "30d", deleted: undefined, from: undefined, to: undefined, page: 1 });
    expect(vitalsParamsSchema.parse({ range: "90d", page: "3" })).toMatchObject({ range: "90d", page: 3 });
  });
});

describe("vitals charts", () => {
  const range = resolveRange(vitalsParamsSchema.parse({ range: "30d" }), NY, NOW);

  it("draws glucose thresholds in the clinic's unit", () => {
    expect(thresholdMarks([rule({}), rule({ comparator: "less_than", thresholdValue: 70 })], "blood_glucose", "mmol/L")).toEqual([
      { value: 16.65, comparator: "greater_than", severity: "high", label: "Alert above 16.7 mmol/L" },
      { value: 3.89, comparator: "less_than", severity: "high", label: "Alert below 3.9 mmol/L" },
    ]);
  });

  it("keeps a HI value on the chart, flags it, and leaves it out of the average", () => {
    const charts = buildVitalsCharts({
      readings: [reading({ value: 100, measuredAt: new Date(NOW.getTime() - 2 * DAY), mealContext: "before" }), reading({ value: 600, flags: ["glucose_high"], measuredAt: new Date(NOW.getTime() - DAY) })],
      weightHistory: [],
      rules: [rule({})],
      glucoseUnit: "mg/dL",
      range,
      timeZone: NY,
    });
    const glucose = charts.find((c) => c.id === "blood-glucose");
    expect(glucose?.data.map((d) => [d.value, d.flag, d.note])).toEqual([[100, null, "Meal: before"], [600, "HI", null]]);
    expect(glucose?.summary).toContain("average 100 mg/dL (1 device-flagged value left out)");
    expect(glucose?.summary).toContain("1 above the 300 mg/dL alert threshold");
    expect(glucose?.table.rows[0]?.cells).toEqual(["Mar 9, 2026, 12:00 PM EDT", "600 mg/dL", "", "HI"]);
  });

  it("draws smart-diaper events in one lane per kind, the lanes named on the axis", () => {
    const at = (days: number) => new Date(NOW.getTime() - days * DAY);
    const diaper = (flags: string[], measuredAt: Date) => reading({ metric: "diaper_event", value: 1, unit: "event", flags, deviceCategory: "smart_diaper", measuredAt });
    const charts = buildVitalsCharts({
      readings: [diaper(["wet"], at(3)), diaper(["void", "bowel"], at(2)), diaper(["wet"], at(1))],
      weightHistory: [],
      rules: [],
      glucoseUnit: "mg/dL",
      range,
      timeZone: NY,
    });
    const chart = charts.find((c) => c.id === "diaper");
    expect(chart?.lanes).toEqual(["void, bowel", "wet"]);
    expect(chart?.series.map((s) => s.key)).toEqual(["void, bowel", "wet"]);
    expect(chart?.data.map((d) => [d.wet ?? null, d["void, bowel"] ?? null, d.note])).toEqual([
      [2, null, "wet"],
      [null, 1, "void, bowel"],
      [2, null, "wet"],
    ]);
    expect(chart?.summary).toContain("wet: 2; void, bowel: 1");
    expect(chart?.table.columns).toEqual(["Measured", "Kind"]);
  });

  it("puts cuff pulse beside blood pressure and oximeter pulse with SpO₂", () => {
    const at = new Date(NOW.getTime() - DAY);
    const charts = buildVitalsCharts({
      readings: [
        reading({ metric: "pulse", value: 70, unit: "bpm", deviceCategory: "blood_pressure", measuredAt: at }),
        reading({ metric: "pulse", value: 88, unit: "bpm", deviceCategory: "pulse_oximeter", measuredAt: at }),
        reading({ metric: "spo2", value: 93, unit: "percent", deviceCategory: "pulse_oximeter", measuredAt: at }),
      ],
      weightHistory: [],
      rules: [],
      glucoseUnit: "mg/dL",
      range,
      timeZone: NY,
    });
    expect(charts.map((c) => c.id)).toEqual(["blood-pressure", "pulse", "blood-glucose", "weight", "spo2", "temperature", "diaper"]);
    expect(charts.find((c) => c.id === "pulse")?.data.map((d) => d.value)).toEqual([70]);
    expect(charts.find((c) => c.id === "spo2")?.data).toEqual([{ t: at.getTime(), spo2: 93, pulse: 88, flag: null, note: null }]);
  });

  it("reports weight change over 7 and 30 days, converting pounds", () => {
    const history = [
      reading({ metric: "body_weight", value: 90, unit: "kg", measuredAt: new Date(NOW.getTime() - 40 * DAY) }),
      reading({ metric: "body_weight", value: 88, unit: "kg", measuredAt: new Date(NOW.getTime() - 31 * DAY) }),
      reading({ metric: "body_weight", value: 89, unit: "kg", measuredAt: new Date(NOW.getTime() - 8 * DAY) }),
      reading({ metric: "body_weight", value: 198.416, unit: "lb", measuredAt: new Date(NOW.getTime() - 3 * DAY) }),
      reading({ metric: "body_weight", value: 91, unit: "kg", measuredAt: NOW }),
    ];
    expect(weightChange(history, 7, "kg")).toMatchObject({ change: 2, from: 89, to: 91 });
    expect(weightChange(history, 30, "kg")).toMatchObject({ change: 3, from: 88 });
    expect(weightChange(history.slice(-1), 7, "kg")).toBeNull();
    // Nothing at or before the window's start: measure from the earliest reading inside it.
    expect(weightChange(history.slice(3), 7, "kg")?.change).toBeCloseTo(1, 2);
  });
});
