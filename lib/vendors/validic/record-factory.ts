import { createHash, randomBytes, randomInt } from "node:crypto";

import { SMART_METER_SOURCE, type SmartMeterDeviceType } from "@/lib/vendors/validic/schemas";

// Plausible Smart Meter measurement records in Validic's exact record shape, for the simulator.

type Metric = { type: string; origin: string; unit: string; value: number };
type Tag = { name: string; value: string };
type UserNote = { type: string; value: string };

// A Validic record as the simulator writes it (vendor-docs "Smart Meter Data" sample).
export type ValidicRecordWire = {
  checksum: string;
  created_at: string;
  deleted_at: string | null;
  end_time: string;
  id: string;
  log_id: string;
  metrics: Metric[];
  offset_origin: string;
  source: {
    type: string;
    device: { id: string; model: string; manufacturer: string; diagnostics: unknown[] } | null;
  };
  start_time: string;
  tags: Tag[];
  type: string;
  user: { organization_id: string; user_id: string; uid: string };
  user_notes: UserNote[];
  utc_offset: number;
  version: string;
};

// ASSUMPTION: only the pulse oximeter's model (`smc-ox`) is published; the other model strings are guesses.
export const DEFAULT_SMART_METER_MODELS: Record<SmartMeterDeviceType, string> = {
  blood_glucose: "smc-bg",
  blood_pressure: "smc-bp",
  weight_scale: "smc-ws",
  pulse_oximeter: "smc-ox",
};

// Meal context of a glucose reading (user_notes relationship_to_meal).
export type MealRelationship = "before" | "after";

// Everything a reading depends on; `random` is injectable so tests can force out-of-range values.
export type ReadingInput = {
  imei: string;
  deviceType: SmartMeterDeviceType;
  model: string;
  user: { organization_id: string; user_id: string; uid: string };
  // The user's IANA time zone, for utc_offset; null falls back to UTC.
  timezone: string | null;
  takenAt: Date;
  createdAt: Date;
  // Chance that a glucose reading is outside the meter's range (tagged low/high, value kept).
  glucoseOutOfBoundsRate: number;
  mealRelationship?: MealRelationship;
  random: () => number;
};

// One measurement record for a Smart Meter device.
export function buildSmartMeterRecord(input: ReadingInput): ValidicRecordWire {
  const { metrics, tags, userNotes } = readingFor(input);
  const startTime = isoSeconds(input.takenAt);
  return {
    checksum: createHash("md5").update(JSON.stringify({ metrics, tags, userNotes, startTime })).digest("hex"),
    created_at: input.createdAt.toISOString(),
    deleted_at: null,
    end_time: startTime,
    id: randomBytes(16).toString("hex"),
    // ASSUMPTION: Smart Meter log ids are 15-digit numeric strings, as in the vendor-docs sample.
    log_id: `5${String(randomInt(0, 10 ** 14)).padStart(14, "0")}`,
    metrics,
    offset_origin: "source",
    source: {
      type: SMART_METER_SOURCE,
      device: { id: input.imei, model: input.model, manufacturer: "smart meter", diagnostics: [] },
    },
    start_time: startTime,
    tags,
    type: "measurement",
    user: input.user,
    user_notes: userNotes,
    utc_offset: utcOffsetSeconds(input.timezone, input.takenAt),
    version: "1.0",
  };
}

// Seconds east of UTC for a time zone at an instant (Validic's utc_offset); 0 for an unknown zone.
export function utcOffsetSeconds(timezone: string | null, at: Date): number {
  if (!timezone) return 0;
  try {
    const name = new Intl.DateTimeFormat("en-US", { timeZone: timezone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((part) => part.type === "timeZoneName")?.value;
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
    if (!match) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
    return match[1] === "-" ? -seconds : seconds;
  } catch {
    return 0;
  }
}

// The times of a plausible day of readings for a device type, ending at `now`, with meal context for glucose.
export function dayOfReadingTimes(deviceType: SmartMeterDeviceType, now: Date, random: () => number): { at: Date; meal?: MealRelationship }[] {
  const hoursAgo: Record<SmartMeterDeviceType, number[]> = {
    blood_pressure: [23, 11],
    blood_glucose: [22, 17, 11, 5],
    weight_scale: [22],
    pulse_oximeter: [21, 14, 7],
  };
  return hoursAgo[deviceType].map((hours, i) => ({
    at: new Date(now.getTime() - hours * 3_600_000 + Math.round((random() - 0.5) * 40) * 60_000),
    meal: deviceType === "blood_glucose" ? (i % 2 === 0 ? "before" : "after") : undefined,
  }));
}

function readingFor(input: ReadingInput): { metrics: Metric[]; tags: Tag[]; userNotes: UserNote[] } {
  const { random } = input;
  const metric = (type: string, unit: string, value: number): Metric => ({ type, origin: "device", unit, value });
  switch (input.deviceType) {
    case "blood_pressure": {
      const systolic = between(random, 105, 150);
      const diastolic = Math.min(between(random, 65, 95), systolic - 25);
      return { metrics: [metric("systolic", "mmHg", systolic), metric("diastolic", "mmHg", diastolic), metric("pulse", "bpm", between(random, 55, 95))], tags: [], userNotes: [] };
    }
    case "blood_glucose":
      return glucoseReading(input);
    case "weight_scale": {
      // A stable weight per device, so a patient's chart looks like one person.
      const baseline = 55 + (parseInt(input.imei.slice(-4), 10) % 60);
      const kg = Math.round((baseline + (random() - 0.5) * 1.6) * 10) / 10;
      return { metrics: [metric("body_weight", "kg", kg)], tags: [], userNotes: [] };
    }
    case "pulse_oximeter":
      return { metrics: [metric("spo2", "percent", between(random, 93, 99)), metric("pulse", "bpm", between(random, 58, 98))], tags: [], userNotes: [] };
  }
}

function glucoseReading(input: ReadingInput): { metrics: Metric[]; tags: Tag[]; userNotes: UserNote[] } {
  const { random } = input;
  const meal = input.mealRelationship ?? (random() < 0.5 ? "before" : "after");
  const userNotes = [{ type: "relationship_to_meal", value: meal }];
  if (random() < input.glucoseOutOfBoundsRate) {
    // Outside 20–600 mg/dL the meter still reports its value and Validic adds the tag.
    const isLow = random() < 0.5;
    const value = isLow ? between(random, 10, 19) : between(random, 601, 680);
    return { metrics: [glucose(value)], tags: [{ name: "out_of_bounds_blood_glucose", value: isLow ? "low" : "high" }], userNotes };
  }
  const value = meal === "before" ? between(random, 80, 135) : between(random, 110, 210);
  return { metrics: [glucose(value)], tags: [], userNotes };
}

function glucose(value: number): Metric {
  return { type: "blood_glucose", origin: "device", unit: "mg/dL", value };
}

function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

// Validic writes start/end times without milliseconds ("2023-10-10T15:58:56Z").
function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
