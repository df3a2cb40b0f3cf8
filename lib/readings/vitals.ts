import { z } from "zod";

import { COMPARATOR_LABELS, compare, type RuleLike } from "@/lib/alerts/rules";
import { canonicalUnit, convertValue } from "@/lib/alerts/units";
import type { DeviceCategory } from "@/lib/generated/prisma/enums";
import { diaperEventKind } from "@/lib/readings/format";
import { deviceFlagLabel, isDeviceFlagged } from "@/lib/readings/metrics";
import { addDays, daysBetween, formatZonedDateTime, localDay, startOfLocalDay } from "@/lib/time/zone";

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_CUSTOM_DAYS = 366;
export const RANGE_PRESETS = { "7d": 7, "30d": 30, "90d": 90 } as const;
export type RangeKey = keyof typeof RANGE_PRESETS | "custom";

// The vitals page's view, from the URL: a preset range or a custom one (local days), whether to list readings
// deleted at the vendor, and the page of the readings table.
export const vitalsParamsSchema = z.object({
  range: z.enum(["7d", "30d", "90d", "custom"]).catch("30d").default("30d"),
  from: z.string().regex(DAY_PATTERN).optional().catch(undefined),
  to: z.string().regex(DAY_PATTERN).optional().catch(undefined),
  deleted: z.enum(["show"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type VitalsParams = z.infer<typeof vitalsParamsSchema>;

export type VitalsRange = { key: RangeKey; from: Date; to: Date; fromDay: string; toDay: string; days: number; error?: string };

// The instants a range covers: whole local days in the patient's time zone, ending today for presets. A custom
// range that is backwards, too long or not real dates falls back to 30 days with a message saying why.
export function resolveRange(params: Pick<VitalsParams, "range" | "from" | "to">, timeZone: string, now: Date): VitalsRange {
  const today = localDay(now, timeZone);
  const build = (key: RangeKey, fromDay: string, toDay: string, error?: string): VitalsRange => ({
    key,
    fromDay,
    toDay,
    from: startOfLocalDay(fromDay, timeZone),
    to: startOfLocalDay(addDays(toDay, 1), timeZone),
    days: daysBetween(fromDay, toDay) + 1,
    error,
  });
  const preset = (key: keyof typeof RANGE_PRESETS, error?: string) => build(key, addDays(today, -(RANGE_PRESETS[key] - 1)), today, error);
  if (params.range !== "custom") return preset(params.range);
  const { from, to } = params;
  if (!from || !to || !isRealDay(from) || !isRealDay(to)) return preset("30d", "Pick both a start and an end date.");
  if (from > to) return preset("30d", "The start date is after the end date.");
  if (daysBetween(from, to) + 1 > MAX_CUSTOM_DAYS) return preset("30d", `Pick at most ${MAX_CUSTOM_DAYS} days.`);
  return build("custom", from, to);
}

function isRealDay(day: string): boolean {
  return addDays(day, 0) === day;
}

export type VitalsReading = {
  id: string;
  metric: string;
  value: number;
  value2: number | null;
  unit: string;
  flags: string[];
  mealContext: string | null;
  measuredAt: Date;
  deviceCategory: DeviceCategory | null;
};

export type SeriesSpec = { key: string; label: string; unit: string; color: string; axis: "left" | "right"; dashed?: boolean };
export type ChartDatum = { t: number; flag: "HI" | "LO" | null; note: string | null } & Record<string, number | string | null>;
export type ThresholdMark = { value: number; comparator: RuleLike["comparator"]; label: string; severity: RuleLike["severity"] };
export type TableRow = { key: string; cells: string[]; isFlagged: boolean };

// Everything one chart needs, serialisable so a server component can hand it to the client chart.
export type VitalsChart = {
  id: string;
  title: string;
  kind: "line" | "scatter";
  // A scatter of events by kind: one row (lane) per kind, drawn at y = 1, 2, … and labelled on the axis.
  lanes?: string[];
  series: SeriesSpec[];
  data: ChartDatum[];
  thresholds: ThresholdMark[];
  // Read by screen readers as the chart's description; also shown under the title.
  summary: string;
  stats: { label: string; value: string }[];
  table: { columns: string[]; rows: TableRow[] };
};

// What the chart itself draws: the card around it shows the stats and the data table, so they are not sent to the
// browser a second time with the chart's props.
export type VitalsChartPlot = Pick<VitalsChart, "title" | "summary" | "kind" | "lanes" | "series" | "data" | "thresholds">;

// The plot of a chart, for the client component that draws it.
export function chartPlot({ title, summary, kind, lanes, series, data, thresholds }: VitalsChart): VitalsChartPlot {
  return { title, summary, kind, lanes, series, data, thresholds };
}

const COLORS = { systolic: "#1d4ed8", diastolic: "#c2410c", pulse: "#7c3aed", glucose: "#0f766e", weight: "#1d4ed8", spo2: "#0369a1", temperature: "#b45309" };
// One colour per smart-diaper lane, in lane order.
const DIAPER_COLORS = ["#6d28d9", "#0369a1", "#b45309", "#0f766e", "#be185d", "#475569"];

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function sortByTime<T extends { measuredAt: Date }>(readings: readonly T[]): T[] {
  return [...readings].sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
}

// Threshold rules for a metric, converted into the unit the chart shows.
export function thresholdMarks(rules: readonly RuleLike[], metric: string, displayUnit: string): ThresholdMark[] {
  return rules
    .filter((r) => r.kind === "threshold" && r.metric === metric && r.isActive)
    .flatMap((r) => {
      const value = r.unit ? convertValue(r.thresholdValue, r.unit, displayUnit) : r.thresholdValue;
      if (value === null) return [];
      return [{ value: round(value, 2), comparator: r.comparator, severity: r.severity, label: `Alert ${COMPARATOR_LABELS[r.comparator]} ${round(value, 1)} ${displayUnit}` }];
    });
}

type SeriesValues = { label: string; unit: string; values: { value: number; isFlagged: boolean }[]; thresholds?: ThresholdMark[] };

// A sentence per series for screen readers: range, average (device-flagged values left out) and alert crossings.
function describeSeries(series: SeriesValues): string {
  if (series.values.length === 0) return `No ${series.label.toLowerCase()} readings.`;
  const all = series.values.map((v) => v.value);
  const counted = series.values.filter((v) => !v.isFlagged).map((v) => v.value);
  const flagged = series.values.length - counted.length;
  const parts = [`${series.label} ranged from ${round(Math.min(...all))} to ${round(Math.max(...all))} ${series.unit}`];
  if (counted.length > 0) parts.push(`average ${round(counted.reduce((a, b) => a + b, 0) / counted.length)} ${series.unit}${flagged > 0 ? ` (${flagged} device-flagged value${flagged === 1 ? "" : "s"} left out)` : ""}`);
  for (const mark of series.thresholds ?? []) {
    const crossing = all.filter((v) => compare(v, mark.comparator, mark.value)).length;
    if (crossing > 0) parts.push(`${crossing} ${COMPARATOR_LABELS[mark.comparator]} the ${mark.value} ${series.unit} alert threshold`);
  }
  return `${parts.join("; ")}.`;
}

function countSentence(count: number, range: VitalsRange, noun = "reading"): string {
  return `${count} ${noun}${count === 1 ? "" : "s"} from ${range.fromDay} to ${range.toDay}.`;
}

function displayUnit(readings: readonly VitalsReading[], fallback: string): string {
  const latest = readings.at(-1);
  return canonicalUnit(latest?.unit ?? fallback);
}

function inUnit(reading: VitalsReading, unit: string): number | null {
  return convertValue(reading.value, reading.unit, unit);
}

function format(value: number | null | undefined, unit: string): string {
  return value === null || value === undefined ? "—" : `${round(value)} ${unit}`;
}

function flagCell(reading: VitalsReading): string {
  return deviceFlagLabel(reading.flags) ?? "";
}

// Blood pressure: systolic and diastolic on one chart, with the systolic alert thresholds drawn.
function bloodPressureChart(readings: VitalsReading[], rules: readonly RuleLike[], range: VitalsRange, timeZone: string): VitalsChart {
  const thresholds = thresholdMarks(rules, "blood_pressure", "mmHg");
  return {
    id: "blood-pressure",
    title: "Blood pressure",
    kind: "line",
    series: [
      { key: "systolic", label: "Systolic", unit: "mmHg", color: COLORS.systolic, axis: "left" },
      { key: "diastolic", label: "Diastolic", unit: "mmHg", color: COLORS.diastolic, axis: "left", dashed: true },
    ],
    data: readings.map((r) => ({ t: r.measuredAt.getTime(), systolic: r.value, diastolic: r.value2, flag: deviceFlagLabel(r.flags), note: null })),
    thresholds,
    summary: [
      countSentence(readings.length, range),
      describeSeries({ label: "Systolic", unit: "mmHg", values: readings.map((r) => ({ value: r.value, isFlagged: isDeviceFlagged(r.flags) })), thresholds }),
      describeSeries({ label: "Diastolic", unit: "mmHg", values: readings.flatMap((r) => (r.value2 === null ? [] : [{ value: r.value2, isFlagged: isDeviceFlagged(r.flags) }])) }),
    ].join(" "),
    stats: latestStat(readings, (r) => `${round(r.value, 0)}/${r.value2 === null ? "—" : round(r.value2, 0)} mmHg`, timeZone),
    table: {
      columns: ["Measured", "Systolic", "Diastolic", "Flag"],
      rows: readings.toReversed().map((r) => ({ key: r.id, cells: [formatZonedDateTime(r.measuredAt, timeZone), format(r.value, "mmHg"), format(r.value2, "mmHg"), flagCell(r)], isFlagged: isDeviceFlagged(r.flags) })),
    },
  };
}

function latestStat(readings: readonly VitalsReading[], text: (r: VitalsReading) => string, timeZone: string): { label: string; value: string }[] {
  const latest = readings.at(-1);
  return latest ? [{ label: "Latest", value: `${text(latest)} · ${formatZonedDateTime(latest.measuredAt, timeZone)}` }] : [];
}

// A single-metric line chart (pulse, temperature), in the unit of the latest reading.
function singleMetricChart(input: { id: string; title: string; metric: string; color: string; fallbackUnit: string; readings: VitalsReading[]; rules: readonly RuleLike[]; range: VitalsRange; timeZone: string }): VitalsChart {
  const unit = displayUnit(input.readings, input.fallbackUnit);
  const thresholds = thresholdMarks(input.rules, input.metric, unit);
  const points = input.readings.map((r) => ({ reading: r, value: inUnit(r, unit) }));
  return {
    id: input.id,
    title: input.title,
    kind: "line",
    series: [{ key: "value", label: input.title, unit, color: input.color, axis: "left" }],
    data: points.map(({ reading, value }) => ({ t: reading.measuredAt.getTime(), value, flag: deviceFlagLabel(reading.flags), note: null })),
    thresholds,
    summary: [
      countSentence(points.length, input.range),
      describeSeries({ label: input.title, unit, thresholds, values: points.flatMap(({ reading, value }) => (value === null ? [] : [{ value, isFlagged: isDeviceFlagged(reading.flags) }])) }),
    ].join(" "),
    stats: latestStat(input.readings, (r) => format(inUnit(r, unit), unit), input.timeZone),
    table: {
      columns: ["Measured", input.title, "Flag"],
      rows: points.toReversed().map(({ reading, value }) => ({ key: reading.id, cells: [formatZonedDateTime(reading.measuredAt, input.timeZone), format(value, unit), flagCell(reading)], isFlagged: isDeviceFlagged(reading.flags) })),
    },
  };
}

// Blood glucose in the clinic's unit, with meal context and the meter's HI/LO flags (value kept, left out of the
// average).
function glucoseChart(readings: VitalsReading[], rules: readonly RuleLike[], unit: string, range: VitalsRange, timeZone: string): VitalsChart {
  const thresholds = thresholdMarks(rules, "blood_glucose", unit);
  const points = readings.map((r) => ({ reading: r, value: inUnit(r, unit) }));
  const digits = canonicalUnit(unit) === "mmol/L" ? 1 : 0;
  return {
    id: "blood-glucose",
    title: "Blood glucose",
    kind: "line",
    series: [{ key: "value", label: "Glucose", unit, color: COLORS.glucose, axis: "left" }],
    data: points.map(({ reading, value }) => ({ t: reading.measuredAt.getTime(), value: value === null ? null : round(value, digits), flag: deviceFlagLabel(reading.flags), note: reading.mealContext ? `Meal: ${reading.mealContext}` : null })),
    thresholds,
    summary: [
      countSentence(points.length, range),
      describeSeries({ label: "Glucose", unit, thresholds, values: points.flatMap(({ reading, value }) => (value === null ? [] : [{ value, isFlagged: isDeviceFlagged(reading.flags) }])) }),
    ].join(" "),
    stats: latestStat(readings, (r) => `${flagCell(r) ? `${flagCell(r)} ` : ""}${format(inUnit(r, unit), unit)}`, timeZone),
    table: {
      columns: ["Measured", "Glucose", "Meal", "Flag"],
      rows: points.toReversed().map(({ reading, value }) => ({
        key: reading.id,
        cells: [formatZonedDateTime(reading.measuredAt, timeZone), format(value, unit), reading.mealContext ?? "", flagCell(reading)],
        isFlagged: isDeviceFlagged(reading.flags),
      })),
    },
  };
}

export type WeightChange = { days: number; change: number; from: number; to: number; since: Date; unit: string };

// Weight change over the last `days` up to the latest reading: from the last reading at or before the window's
// start, or the earliest one inside it when there is none. Null without two readings.
export function weightChange(history: readonly VitalsReading[], days: number, unit: string): WeightChange | null {
  const readings = sortByTime(history.filter((r) => !isDeviceFlagged(r.flags))).flatMap((r) => {
    const value = inUnit(r, unit);
    return value === null ? [] : [{ at: r.measuredAt, value }];
  });
  const latest = readings.at(-1);
  if (!latest || readings.length < 2) return null;
  const start = latest.at.getTime() - days * DAY_MS;
  const before = readings.filter((r) => r.at.getTime() <= start).at(-1);
  const baseline = before ?? readings.find((r) => r.at.getTime() > start && r !== latest);
  if (!baseline || baseline === latest) return null;
  return { days, change: round(latest.value - baseline.value, 2), from: baseline.value, to: latest.value, since: baseline.at, unit };
}

function describeChange(change: WeightChange | null, timeZone: string): string {
  if (!change) return "Not enough readings";
  const sign = change.change > 0 ? "+" : change.change < 0 ? "−" : "±";
  return `${sign}${round(Math.abs(change.change))} ${change.unit} (since ${formatZonedDateTime(change.since, timeZone)})`;
}

function weightChart(readings: VitalsReading[], history: VitalsReading[], rules: readonly RuleLike[], range: VitalsRange, timeZone: string): VitalsChart {
  const chart = singleMetricChart({ id: "weight", title: "Weight", metric: "body_weight", color: COLORS.weight, fallbackUnit: "kg", readings, rules, range, timeZone });
  const unit = displayUnit(history.length > 0 ? sortByTime(history) : readings, "kg");
  const changes = [7, 30].map((days) => ({ days, change: weightChange(history, days, unit) }));
  return {
    ...chart,
    summary: `${chart.summary} ${changes.map(({ days, change }) => `Change over ${days} days: ${describeChange(change, timeZone)}.`).join(" ")}`,
    stats: [...chart.stats, ...changes.map(({ days, change }) => ({ label: `Change over ${days} days`, value: describeChange(change, timeZone) }))],
  };
}

// SpO₂ with the oximeter's pulse on a second axis.
function spo2Chart(spo2: VitalsReading[], pulse: VitalsReading[], rules: readonly RuleLike[], range: VitalsRange, timeZone: string): VitalsChart {
  const thresholds = thresholdMarks(rules, "spo2", "%");
  const byTime = new Map<number, ChartDatum>();
  for (const r of spo2) byTime.set(r.measuredAt.getTime(), { t: r.measuredAt.getTime(), spo2: r.value, pulse: null, flag: deviceFlagLabel(r.flags), note: null });
  for (const r of pulse) {
    const t = r.measuredAt.getTime();
    byTime.set(t, { ...(byTime.get(t) ?? { t, spo2: null, flag: null, note: null }), pulse: r.value });
  }
  const data = [...byTime.values()].sort((a, b) => a.t - b.t);
  return {
    id: "spo2",
    title: "SpO₂ and pulse",
    kind: "line",
    series: [
      { key: "spo2", label: "SpO₂", unit: "%", color: COLORS.spo2, axis: "left" },
      { key: "pulse", label: "Pulse", unit: "bpm", color: COLORS.pulse, axis: "right", dashed: true },
    ],
    data,
    thresholds,
    summary: [
      countSentence(spo2.length, range, "SpO₂ reading"),
      describeSeries({ label: "SpO₂", unit: "%", thresholds, values: spo2.map((r) => ({ value: r.value, isFlagged: isDeviceFlagged(r.flags) })) }),
      describeSeries({ label: "Pulse", unit: "bpm", values: pulse.map((r) => ({ value: r.value, isFlagged: false })) }),
    ].join(" "),
    stats: latestStat(spo2, (r) => `${round(r.value, 0)} %`, timeZone),
    table: {
      columns: ["Measured", "SpO₂", "Pulse", "Flag"],
      rows: data.toReversed().map((d) => ({
        key: String(d.t),
        cells: [formatZonedDateTime(new Date(d.t), timeZone), typeof d.spo2 === "number" ? `${d.spo2} %` : "—", typeof d.pulse === "number" ? `${d.pulse} bpm` : "—", d.flag ?? ""],
        isFlagged: d.flag !== null,
      })),
    },
  };
}

// Smart-diaper events on the same timeline, one lane per kind (from the event's flags), so when voids or bowel
// movements happen reads at a glance; each event is one reading of value 1, so a value axis would say nothing.
function diaperChart(readings: VitalsReading[], range: VitalsRange, timeZone: string): VitalsChart {
  const kindOf = (r: VitalsReading) => diaperEventKind(r.flags);
  const counts = new Map<string, number>();
  for (const r of readings) counts.set(kindOf(r), (counts.get(kindOf(r)) ?? 0) + 1);
  const lanes = [...counts.keys()].sort();
  return {
    id: "diaper",
    title: "Smart-diaper events",
    kind: "scatter",
    lanes,
    series: lanes.map((kind, i) => ({ key: kind, label: kind, unit: "", color: DIAPER_COLORS[i % DIAPER_COLORS.length] ?? "#6d28d9", axis: "left" })),
    data: readings.map((r) => ({ t: r.measuredAt.getTime(), [kindOf(r)]: lanes.indexOf(kindOf(r)) + 1, flag: null, note: kindOf(r) })),
    thresholds: [],
    summary: `${countSentence(readings.length, range, "diaper event")}${counts.size > 0 ? ` ${[...counts].map(([kind, n]) => `${kind}: ${n}`).join("; ")}.` : ""}`,
    stats: latestStat(readings, kindOf, timeZone),
    table: {
      columns: ["Measured", "Kind"],
      rows: readings.toReversed().map((r) => ({ key: r.id, cells: [formatZonedDateTime(r.measuredAt, timeZone), kindOf(r)], isFlagged: false })),
    },
  };
}

// The vitals page's charts, in the order clinicians read them. Pulse from a blood-pressure cuff sits beside blood
// pressure; pulse from an oximeter goes with SpO₂. Charts without readings in the range are still returned, so the
// page can say so.
export function buildVitalsCharts(input: {
  readings: readonly VitalsReading[];
  weightHistory: readonly VitalsReading[];
  rules: readonly RuleLike[];
  glucoseUnit: string;
  range: VitalsRange;
  timeZone: string;
}): VitalsChart[] {
  const sorted = sortByTime(input.readings);
  const of = (metric: string) => sorted.filter((r) => r.metric === metric);
  const pulse = of("pulse");
  const { range, timeZone, rules } = input;
  return [
    bloodPressureChart(of("blood_pressure"), rules, range, timeZone),
    singleMetricChart({ id: "pulse", title: "Pulse", metric: "pulse", color: COLORS.pulse, fallbackUnit: "bpm", readings: pulse.filter((r) => r.deviceCategory !== "pulse_oximeter"), rules, range, timeZone }),
    glucoseChart(of("blood_glucose"), rules, input.glucoseUnit, range, timeZone),
    weightChart(of("body_weight"), [...input.weightHistory], rules, range, timeZone),
    spo2Chart(of("spo2"), pulse.filter((r) => r.deviceCategory === "pulse_oximeter"), rules, range, timeZone),
    singleMetricChart({ id: "temperature", title: "Temperature", metric: "body_temperature", color: COLORS.temperature, fallbackUnit: "°F", readings: of("body_temperature"), rules, range, timeZone }),
    diaperChart(of("diaper_event"), range, timeZone),
  ];
}

// Axis ticks at local midnights, about eight across the range, so every chart shares the same day marks.
export function dayTicks(range: VitalsRange, timeZone: string, maxTicks = 8): number[] {
  const step = Math.max(1, Math.ceil(range.days / maxTicks));
  const ticks: number[] = [];
  for (let offset = 0; offset <= range.days; offset += step) ticks.push(startOfLocalDay(addDays(range.fromDay, offset), timeZone).getTime());
  return ticks;
}
