export const METRIC_LABELS: Record<string, string> = {
  blood_pressure: "Blood pressure",
  pulse: "Pulse",
  blood_glucose: "Blood glucose",
  body_weight: "Weight",
  spo2: "SpO₂",
  body_temperature: "Temperature",
  diaper_event: "Diaper event",
};

// A reading's value as staff read it: "128/82 mmHg", "Hi (612 mg/dL)" for a meter's out-of-range flag.
export function formatReadingValue(reading: { metric: string; value: number; value2: number | null; unit: string; flags: string[] }): string {
  const round = (n: number) => (Math.round(n * 10) / 10).toString();
  const value = reading.metric === "blood_pressure" && reading.value2 !== null ? `${round(reading.value)}/${round(reading.value2)}` : round(reading.value);
  const text = `${value} ${reading.unit}`;
  if (reading.flags.includes("glucose_high")) return `Hi (${text})`;
  if (reading.flags.includes("glucose_low")) return `Lo (${text})`;
  return text;
}
