export const METRIC_LABELS: Record<string, string> = {
  blood_pressure: "Blood pressure",
  pulse: "Pulse",
  blood_glucose: "Blood glucose",
  body_weight: "Weight",
  spo2: "SpO₂",
  body_temperature: "Temperature",
  diaper_event: "Diaper event",
};

const DIAPER_KINDS = ["wet", "void", "bowel", "soiled", "dry"];

// A smart-diaper event's kind, from its flags ("wet", "void, bowel"); "event" when none says.
export function diaperEventKind(flags: string[]): string {
  return flags.filter((f) => DIAPER_KINDS.includes(f)).join(", ") || "event";
}

// Units vendors spell out, as staff read them.
const UNIT_SYMBOLS: Record<string, string> = { percent: "%" };

// A reading's value as staff read it: "128/82 mmHg", "95%", "Hi (612 mg/dL)" for a meter's out-of-range flag, and a
// smart-diaper event's kind ("Wet"; each event is one reading of value 1).
export function formatReadingValue(reading: { metric: string; value: number; value2: number | null; unit: string; flags: string[] }): string {
  if (reading.metric === "diaper_event") {
    const kind = diaperEventKind(reading.flags);
    return `${kind.charAt(0).toUpperCase()}${kind.slice(1)}`;
  }
  const round = (n: number) => (Math.round(n * 10) / 10).toString();
  const value = reading.metric === "blood_pressure" && reading.value2 !== null ? `${round(reading.value)}/${round(reading.value2)}` : round(reading.value);
  const unit = Object.hasOwn(UNIT_SYMBOLS, reading.unit) ? UNIT_SYMBOLS[reading.unit] : reading.unit;
  const text = unit === "%" ? `${value}%` : `${value} ${unit}`;
  if (reading.flags.includes("glucose_high")) return `Hi (${text})`;
  if (reading.flags.includes("glucose_low")) return `Lo (${text})`;
  return text;
}
