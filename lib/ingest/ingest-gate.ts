import { AppError } from "@/lib/errors";
import { INGEST_DB_TIMEOUTS } from "@/lib/ingest/ingest-db";

// How many receiver database steps run at once, how many may wait, and for how long.
export type IngestGateSettings = { concurrency: number; maxQueued: number; maxWaitMs: number; retryAfterSeconds: number };

// As many at once as the receivers' pool has connections (lib/ingest/ingest-db.ts), so a request never waits for a
// connection inside the pool (whose short timeout answers 503); the rest queue here, in arrival order.
export const INGEST_GATE_DEFAULTS: IngestGateSettings = {
  concurrency: INGEST_DB_TIMEOUTS.maxConnections,
  maxQueued: 512,
  // Below the 30 s most HTTP clients give a request: past it the sender has likely given up anyway.
  maxWaitMs: 25_000,
  retryAfterSeconds: 5,
};

// Runs receiver database steps with bounded concurrency and a bounded FIFO queue.
export type IngestGate = { run: <T>(step: () => Promise<T>) => Promise<T>; stats: () => { active: number; queued: number } };

function overloaded(settings: IngestGateSettings, reason: string): AppError {
  return new AppError("DATABASE_UNAVAILABLE", `The receiver is overloaded (${reason}); the delivery was not stored. Retry later.`, {
    details: { retryAfterSeconds: settings.retryAfterSeconds },
  });
}

// A gate; a request it cannot take (queue full, waited too long) is refused with a 503 + Retry-After AppError, so an
// overloaded receiver asks the vendor to retry instead of failing with a 500 or a pool timeout.
export function createIngestGate(overrides: Partial<IngestGateSettings> = {}): IngestGate {
  const settings = { ...INGEST_GATE_DEFAULTS, ...overrides };
  let active = 0;
  const waiting: { start: () => void; timer: NodeJS.Timeout }[] = [];

  function release() {
    const next = waiting.shift();
    if (!next) {
      active -= 1;
      return;
    }
    clearTimeout(next.timer);
    next.start();
  }

  function acquire(): Promise<void> {
    if (active < settings.concurrency) {
      active += 1;
      return Promise.resolve();
    }
    if (waiting.length >= settings.maxQueued) return Promise.reject(overloaded(settings, "queue full"));
    return new Promise((resolve, reject) => {
      const entry = {
        // The slot passes straight from the finishing step to this one; `active` stays as it is.
        start: () => resolve(),
        timer: setTimeout(() => {
          const index = waiting.indexOf(entry);
          if (index >= 0) waiting.splice(index, 1);
          reject(overloaded(settings, "waited too long"));
        }, settings.maxWaitMs),
      };
      waiting.push(entry);
    });
  }

  return {
    async run(step) {
      await acquire();
      try {
        return await step();
      } finally {
        release();
      }
    },
    stats: () => ({ active, queued: waiting.length }),
  };
}
