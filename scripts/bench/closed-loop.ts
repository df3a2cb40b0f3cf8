import { performance } from "node:perf_hooks";

// A closed-loop load generator: `concurrency` workers each send one request, wait for its answer, then send the
// next, until `maxItems` were started or `seconds` passed. Bounded in count and time, so it always stops.

// What one worker's call reports back.
export type CallResult = { ok: boolean; units: number; detail?: string };

// Everything a run measured.
export type LoadResult = { latenciesMs: number[]; okCount: number; errorCount: number; units: number; elapsedMs: number; errors: string[] };

// Runs `call(index)` with `concurrency` in flight; `units` counts what the calls report (readings, rows).
export async function runClosedLoop(options: {
  concurrency: number;
  maxItems: number;
  seconds: number;
  call: (index: number) => Promise<CallResult>;
}): Promise<LoadResult> {
  const result: LoadResult = { latenciesMs: [], okCount: 0, errorCount: 0, units: 0, elapsedMs: 0, errors: [] };
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let next = 0;
  async function worker() {
    while (next < options.maxItems && performance.now() < deadline) {
      const index = next++;
      const sent = performance.now();
      try {
        const outcome = await options.call(index);
        result.latenciesMs.push(performance.now() - sent);
        if (outcome.ok) {
          result.okCount += 1;
          result.units += outcome.units;
        } else {
          result.errorCount += 1;
          if (outcome.detail && result.errors.length < 5) result.errors.push(outcome.detail);
        }
      } catch (error) {
        result.errorCount += 1;
        if (result.errors.length < 5) result.errors.push(describeError(error));
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  result.elapsedMs = performance.now() - started;
  return result;
}

// fetch's own message is just "fetch failed"; the reason (a reset connection, a timeout) is in its cause.
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${(error.cause as Error & { code?: string }).code ?? error.cause.message}` : "";
  return `${error.message}${cause}`;
}
