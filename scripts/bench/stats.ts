// Latency statistics for the benchmark tables.

// Percentiles of a latency sample, in milliseconds.
export type LatencySummary = { count: number; p50: number; p95: number; p99: number; max: number; mean: number };

// Nearest-rank percentile of an ascending array.
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

// Summarises a set of latencies (ms).
export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(sorted.length > 0 ? sum / sorted.length : Number.NaN),
  };
}

// Two decimals, enough for milliseconds and ratios.
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// a / b, rounded; NaN when b is zero.
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : round(a / b);
}
