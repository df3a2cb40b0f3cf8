// Spaces requests at least `1000 / requestsPerSecond` ms apart (start to start), for vendors with a per-key rate
// limit. Slots are handed out synchronously, so concurrent callers queue up instead of sharing one.
export type Pacer = { requestsPerSecond: number; take: () => Promise<void> };

// A pacer; share one between runs so back-to-back runs (a schedule right after an on-demand run) respect it too.
export function createPacer(requestsPerSecond: number, options: { sleep?: (ms: number) => Promise<void>; now?: () => number } = {}): Pacer {
  const gapMs = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  let nextSlot = 0;
  return {
    requestsPerSecond,
    take: async () => {
      const slot = Math.max(now(), nextSlot);
      nextSlot = slot + gapMs;
      const wait = slot - now();
      if (wait > 0) await sleep(wait);
    },
  };
}

// A fetch that waits for the pacer before every request (list pages and retries included), counting them.
export function pacedFetch(pacer: Pacer, baseFetch: typeof fetch = fetch): { fetch: typeof fetch; requests: () => number } {
  let count = 0;
  const paced: typeof fetch = async (input, init) => {
    await pacer.take();
    count += 1;
    return baseFetch(input, init);
  };
  return { fetch: paced, requests: () => count };
}
