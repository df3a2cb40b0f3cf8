import { AppError } from "@/lib/errors";
import type { DerivedReading } from "@/lib/ingest/readings";
import { parseTenoviTimestamp, type TenoviMeasurement } from "@/lib/vendors/tenovi/webhook-schemas";

// How a Tenovi measurement row becomes a reading: units, conversions and the record key. No database access, so the
// benchmark's payload builder can use it without one.

// What Tenovi does not publish about its measurements, adopted here as ASSUMPTIONS (vendor-notes §1 "Measurement
// webhook"); one place to change once a real account shows otherwise.
export const TENOVI_MEASUREMENT_ASSUMPTIONS = {
  // ASSUMPTION: timezone_offset is in minutes (stored as seconds in Reading.utcOffsetSeconds).
  timezoneOffsetSecondsPerUnit: 60,
  // ASSUMPTION: thermometers report °F; stored converted to °C, the unit Validic uses.
  temperatureUnit: "F" as "F" | "C",
  // ASSUMPTION: scales report pounds.
  weightUnit: "lb",
};

export type TenoviMeasurementAssumptions = typeof TENOVI_MEASUREMENT_ASSUMPTIONS;

type MetricRule = { metric: string; unit: string; keepValue2: boolean; flags?: string[]; convert?: (value: number) => number };

const fahrenheitToCelsius = (value: number) => Math.round(((value - 32) * 5) / 9 * 100) / 100;

// Tenovi metric → our metric, unit and treatment. Keys are lower-cased (Tenovi writes `spO2`). ASSUMPTION:
// `value_2` of pulse and spO2 is a standard deviation, so it is not stored as a reading value (it stays in the
// vendor record); heart_rate_statistics keeps v1 mean and v2 max. Unknown metrics are kept as sent.
function metricRules(assumptions: TenoviMeasurementAssumptions): Record<string, MetricRule> {
  const isFahrenheit = assumptions.temperatureUnit === "F";
  return {
    blood_pressure: { metric: "blood_pressure", unit: "mmHg", keepValue2: true },
    pulse: { metric: "pulse", unit: "bpm", keepValue2: false },
    spo2: { metric: "spo2", unit: "percent", keepValue2: false },
    perfusion_index: { metric: "perfusion_index", unit: "percent", keepValue2: false },
    weight: { metric: "weight", unit: assumptions.weightUnit, keepValue2: false },
    temperature: { metric: "temperature", unit: "C", keepValue2: false, convert: isFahrenheit ? fahrenheitToCelsius : undefined },
    glucose: { metric: "blood_glucose", unit: "mg/dL", keepValue2: false },
    blood_glucose: { metric: "blood_glucose", unit: "mg/dL", keepValue2: false },
    // Not a vital sign: kept for device health, flagged so it never bills or alerts as one.
    battery_percentage: { metric: "battery_percentage", unit: "percent", keepValue2: false, flags: ["non_vital"] },
    irregular_heartbeat: { metric: "irregular_heartbeat", unit: "count", keepValue2: false },
    steps: { metric: "steps", unit: "steps", keepValue2: false },
    heart_rate_statistics: { metric: "heart_rate_statistics", unit: "bpm", keepValue2: true },
    sleep: { metric: "sleep", unit: "hours", keepValue2: false },
    peak_expiratory_flow: { metric: "peak_expiratory_flow", unit: "L/min", keepValue2: false },
    forced_expiratory_volume: { metric: "forced_expiratory_volume", unit: "L", keepValue2: false },
  };
}

// The key that pairs the rows of one measurement (a BPM's blood_pressure and pulse): device, device time and
// measurement index; never arrival order. Also the readings' vendorRecordId. The timestamp is normalised to ISO
// UTC so the webhook and the measurements API (backfill) produce the same key.
export function tenoviRecordKey(row: TenoviMeasurement): string {
  const at = parseTenoviTimestamp(row.timestamp);
  const index = row.filter_params?.measurement_index ?? 0;
  return `${row.hwi_device_id}:${at ? at.toISOString() : row.timestamp}:${index}`;
}

// The reading one measurement row gives.
export function deriveTenoviReading(row: TenoviMeasurement, isKnownDevice: boolean, assumptions = TENOVI_MEASUREMENT_ASSUMPTIONS): DerivedReading {
  const rules = metricRules(assumptions);
  const rule: MetricRule = rules[row.metric.toLowerCase()] ?? { metric: row.metric, unit: "unknown", keepValue2: true };
  const convert = rule.convert ?? ((value: number) => value);
  const measuredAt = parseTenoviTimestamp(row.timestamp);
  if (!measuredAt) throw new AppError("INVALID_INPUT", "Tenovi measurement without a valid timestamp.");
  const offset = row.timezone_offset;
  const flags = [...(rule.flags ?? []), ...(isKnownDevice ? [] : ["unknown_device"]), ...(row.estimated_timestamp ? ["estimated_time"] : [])];
  return {
    metric: rule.metric,
    value: convert(row.value_1),
    value2: rule.keepValue2 && row.value_2 !== null ? convert(row.value_2) : null,
    unit: rule.unit,
    measuredAt,
    utcOffsetSeconds: offset === null ? null : Math.round(offset * assumptions.timezoneOffsetSecondsPerUnit),
    origin: "device",
    flags,
    mealContext: null,
  };
}
