import { AppError } from "@/lib/errors";

// How many steps run at once, how many may wait, for how long, and what a refused caller is told (503 + Retry-After).
export type GateSettings = { concurrency: number; maxQueued: number; maxWaitMs: number; retryAfterSeconds: number; busyMessage: (reason: string) => string };

// Runs database-heavy steps with bounded concurrency and a bounded FIFO queue.
export type Gate = { run: <T>(step: () => Promise<T>) => Promise<T>; stats: () => { active: number; queued: number } };

function overloaded(settings: GateSettings, reason: string): AppError {
  return new AppError("DATABASE_UNAVAILABLE", settings.busyMessage(reason), { details: { retryAfterSeconds: settings.retryAfterSeconds } });
}

// A gate; a request it cannot take (queue full, waited too long) is refused with a DATABASE_UNAVAILABLE AppError
// carrying Retry-After, so an overloaded route answers 503 instead of a 500 or a pool timeout.
export function createGate(settings: GateSettings): Gate {
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
