import type { DeviceCategory } from "@/lib/generated/prisma/enums";

// A meter's out-of-range flags: the value is kept and shown as Hi/Lo, and left out of averages.
export const OUT_OF_RANGE_FLAGS = ["glucose_high", "glucose_low"] as const;

// True when the device flagged the value as beyond its measuring range.
export function isDeviceFlagged(flags: readonly string[]): boolean {
  return flags.some((flag) => (OUT_OF_RANGE_FLAGS as readonly string[]).includes(flag));
}

// "HI" or "LO" for a flagged reading, null otherwise.
export function deviceFlagLabel(flags: readonly string[]): "HI" | "LO" | null {
  if (flags.includes("glucose_high")) return "HI";
  if (flags.includes("glucose_low")) return "LO";
  return null;
}

// What each kind of device measures, so a program-default adherence rule only watches patients who have the device.
export const METRICS_BY_DEVICE_CATEGORY: Partial<Record<DeviceCategory, readonly string[]>> = {
  blood_pressure: ["blood_pressure", "pulse"],
  glucometer: ["blood_glucose"],
  scale: ["body_weight"],
  pulse_oximeter: ["spo2", "pulse"],
  thermometer: ["body_temperature"],
  smart_diaper: ["diaper_event"],
  peak_flow: ["peak_expiratory_flow", "forced_expiratory_volume"],
  watch: ["steps", "heart_rate_statistics", "sleep"],
};

// Device lifecycle states in which the patient has the device at home and is expected to measure.
export const MEASURING_LIFECYCLES = ["delivered", "active", "silent"] as const;

// The metrics Pulseboard knows how to chart and alert on, in the order staff pick them.
export const RULE_METRICS = ["blood_pressure", "pulse", "blood_glucose", "body_weight", "spo2", "body_temperature", "diaper_event"] as const;
