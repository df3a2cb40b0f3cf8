import { describe, expect, it } from "vitest";

import { isAppError } from "@/lib/errors";
import { createGate } from "@/lib/gate";

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const settings = { concurrency: 2, maxQueued: 1, maxWaitMs: 60_000, retryAfterSeconds: 7, busyMessage: (reason: string) => `busy: ${reason}` };

describe("gate", () => {
  it("runs at most `concurrency` steps at once, queues one more in order, and refuses the next with Retry-After", async () => {
    const gate = createGate(settings);
    const release = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = release.map((d, i) =>
      gate.run(async () => {
        started.push(i);
        await d.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.stats()).toEqual({ active: 2, queued: 1 });
    const refused = await gate.run(async () => "never").catch((error: unknown) => error);
    expect(isAppError(refused) && refused.code === "DATABASE_UNAVAILABLE" && refused.message === "busy: queue full").toBe(true);
    expect(isAppError(refused) ? refused.details : null).toEqual({ retryAfterSeconds: 7 });
    release[0]?.resolve();
    await runs[0];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    release[1]?.resolve();
    release[2]?.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(gate.stats()).toEqual({ active: 0, queued: 0 });
  });

  it("refuses a step that waited too long, and a failing step frees its slot", async () => {
    const gate = createGate({ ...settings, concurrency: 1, maxWaitMs: 20 });
    const hold = deferred();
    const first = gate.run(() => hold.promise);
    const late = await gate.run(async () => "late").catch((error: unknown) => error);
    expect(isAppError(late) ? late.message : late).toBe("busy: waited too long");
    hold.resolve();
    await first;
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "free again")).toBe("free again");
  });
});
