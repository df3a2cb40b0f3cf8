import type { TenoviMeasurementKind } from "@/lib/vendors/tenovi/device-catalog";

// Plausible vitals per Tenovi device kind, for the simulator's measurement webhooks and measurement endpoints.

// One metric of a reading, before it is put on the wire.
export type GeneratedReading = { metric: string; value1: number; value2: number | null };

function between(random: () => number, min: number, max: number, decimals = 0): number {
  const factor = 10 ** decimals;
  return Math.round((min + random() * (max - min)) * factor) / factor;
}

// The coincident metrics one use of a device produces (a BPM gives blood_pressure and pulse with one timestamp).
// ASSUMPTION: weight in lb, temperature in °F, glucose in mg/dL; value_2 is null where the metric has no second value.
export function plausibleReadings(kind: TenoviMeasurementKind, random: () => number): GeneratedReading[] {
  switch (kind) {
    case "bpm": {
      const systolic = between(random, 104, 152);
      const diastolic = between(random, 62, Math.min(96, systolic - 25));
      return [
        { metric: "blood_pressure", value1: systolic, value2: diastolic },
        { metric: "pulse", value1: between(random, 56, 98), value2: null },
      ];
    }
    case "pulse-ox":
      return [
        { metric: "spO2", value1: between(random, 92, 99), value2: null },
        { metric: "pulse", value1: between(random, 56, 102), value2: null },
      ];
    case "glucometer":
      return [{ metric: "glucose", value1: between(random, 78, 190), value2: null }];
    case "scale":
      return [{ metric: "weight", value1: between(random, 118, 245, 1), value2: null }];
    case "thermometer":
      return [{ metric: "temperature", value1: between(random, 97.1, 99.9, 1), value2: null }];
    case "watch": {
      const mean = between(random, 62, 84);
      return [
        { metric: "steps", value1: between(random, 1200, 9500), value2: null },
        { metric: "heart_rate_statistics", value1: mean, value2: mean + between(random, 15, 45) },
      ];
    }
    case "peak-flow":
      return [
        { metric: "peak_expiratory_flow", value1: between(random, 260, 580), value2: null },
        { metric: "forced_expiratory_volume", value1: between(random, 1.6, 3.9, 2), value2: null },
      ];
    case "pillbox":
      // No vital: Tenovi's pillbox metric is not published, so the simulator sends none.
      return [];
  }
}
