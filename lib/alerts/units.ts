// Units as vendors spell them, compared case-insensitively ("mg/dl" in Validic's rules doc is "mg/dL"), and the
// conversions alert rules and charts need.
export const MG_DL_PER_MMOL_L = 18.016;
const KG_PER_LB = 0.45359237;

const CANONICAL: Record<string, string> = {
  "mg/dl": "mg/dL",
  "mmol/l": "mmol/L",
  kg: "kg",
  kgs: "kg",
  lb: "lb",
  lbs: "lb",
  pound: "lb",
  pounds: "lb",
  c: "°C",
  "°c": "°C",
  celsius: "°C",
  f: "°F",
  "°f": "°F",
  fahrenheit: "°F",
  "%": "percent",
  percent: "percent",
  mmhg: "mmHg",
  bpm: "bpm",
};

// The one spelling Pulseboard uses for a unit; unknown units come back trimmed, as given.
export function canonicalUnit(unit: string): string {
  const trimmed = unit.trim();
  return CANONICAL[trimmed.toLowerCase()] ?? trimmed;
}

// True when two spellings name the same unit ("mg/dl" and "mg/dL").
export function isSameUnit(a: string, b: string): boolean {
  return canonicalUnit(a).toLowerCase() === canonicalUnit(b).toLowerCase();
}

const CONVERSIONS: Record<string, (value: number) => number> = {
  "mmol/L>mg/dL": (v) => v * MG_DL_PER_MMOL_L,
  "mg/dL>mmol/L": (v) => v / MG_DL_PER_MMOL_L,
  "lb>kg": (v) => v * KG_PER_LB,
  "kg>lb": (v) => v / KG_PER_LB,
  "°F>°C": (v) => ((v - 32) * 5) / 9,
  "°C>°F": (v) => (v * 9) / 5 + 32,
};

// A value in another unit, or null when Pulseboard knows no conversion between the two.
export function convertValue(value: number, from: string, to: string): number | null {
  if (isSameUnit(from, to)) return value;
  const convert = CONVERSIONS[`${canonicalUnit(from)}>${canonicalUnit(to)}`];
  return convert ? convert(value) : null;
}

// Every spelling Pulseboard recognises for a unit ("mg/dL" → mg/dl, mg/dL), to match stored readings.
export function unitSpellings(unit: string): string[] {
  const canonical = canonicalUnit(unit);
  return [...new Set([unit.trim(), canonical, ...Object.keys(CANONICAL).filter((key) => CANONICAL[key] === canonical)])];
}
