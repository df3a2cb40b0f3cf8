// Counts failures per key in a sliding window, in memory (per process; enough to slow guessing, not a quota).
export type FailureLimiter = {
  // Seconds until the key may try again, or 0 when it is not limited.
  retryAfterSeconds: (key: string, now?: number) => number;
  recordFailure: (key: string, now?: number) => void;
};

// A sliding-window limiter: a key with `limit` failures inside `windowMs` is refused until the oldest one ages out.
export function createFailureLimiter(options: { limit: number; windowMs: number; maxKeys?: number }): FailureLimiter {
  const failures = new Map<string, number[]>();
  const maxKeys = options.maxKeys ?? 10_000;

  function recent(key: string, now: number): number[] {
    const kept = (failures.get(key) ?? []).filter((at) => at > now - options.windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  }

  return {
    retryAfterSeconds(key, now = Date.now()) {
      const kept = recent(key, now);
      if (kept.length < options.limit) return 0;
      const oldest = kept[kept.length - options.limit] ?? now;
      return Math.max(1, Math.ceil((oldest + options.windowMs - now) / 1000));
    },
    recordFailure(key, now = Date.now()) {
      const kept = recent(key, now);
      // Bounded memory: forget the key that was touched longest ago.
      if (!failures.has(key) && failures.size >= maxKeys) {
        const first = failures.keys().next();
        if (!first.done) failures.delete(first.value);
      }
      failures.delete(key);
      failures.set(key, [...kept, now].slice(-options.limit));
    },
  };
}
