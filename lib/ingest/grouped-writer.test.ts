import { describe, expect, it } from "vitest";

import { createGate } from "@/lib/gate";
import { createGroupedWriter } from "@/lib/ingest/grouped-writer";

const SETTINGS = { maxQueued: 10, maxWaitMs: 5_000, retryAfterSeconds: 5, busyMessage: (reason: string) => `busy: ${reason}` };

// A writer over a one-slot gate whose statements are recorded; `hold` keeps the slot busy until released.
function recordingWriter(limits: { maxRows?: number; maxBytes?: number } = {}, failOn?: string) {
  const gate = createGate({ concurrency: 1, ...SETTINGS });
  const statements: string[][] = [];
  const writer = createGroupedWriter<string, string>({
    gate,
    writeRows: async (rows) => {
      statements.push(rows);
      if (failOn && rows.includes(failOn)) throw new Error(`refused ${failOn}`);
      return rows.map((row) => `stored ${row}`);
    },
    maxRows: limits.maxRows ?? 100,
    maxBytes: limits.maxBytes ?? 1_000,
    sizeOf: (row) => row.length,
  });
  const hold = async () => {
    let release = () => undefined as void;
    let started = () => undefined as void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const held = gate.run(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          started();
        }),
    );
    await isStarted;
    return async () => {
      release();
      await held;
    };
  };
  return { writer, statements, hold };
}

describe("grouped writer", () => {
  it("writes a row at once, alone, when the gate has a free slot", async () => {
    const { writer, statements } = recordingWriter();
    expect(await writer.write("a")).toBe("stored a");
    expect(await writer.write("b")).toBe("stored b");
    expect(statements).toEqual([["a"], ["b"]]);
  });

  it("groups the rows that arrive while the slot is busy into one statement, each caller getting its own result", async () => {
    const { writer, statements, hold } = recordingWriter();
    const release = await hold();
    const results = ["a", "b", "c"].map((row) => writer.write(row));
    await release();
    expect(await Promise.all(results)).toEqual(["stored a", "stored b", "stored c"]);
    expect(statements).toEqual([["a", "b", "c"]]);
  });

  it("starts a new group past maxRows or maxBytes; a row larger than maxBytes goes alone", async () => {
    const { writer, statements, hold } = recordingWriter({ maxRows: 2, maxBytes: 5 });
    const release = await hold();
    const results = ["a", "b", "c", "dddd", "eeeeeeee", "f"].map((row) => writer.write(row));
    await release();
    await Promise.all(results);
    expect(statements).toEqual([["a", "b"], ["c", "dddd"], ["eeeeeeee"], ["f"]]);
  });

  it("fails every row of a failed statement, and only those", async () => {
    const { writer, statements, hold } = recordingWriter({ maxRows: 2 }, "b");
    const release = await hold();
    const results = ["a", "b", "c"].map((row) => writer.write(row).catch((error: Error) => error.message));
    await release();
    expect(await Promise.all(results)).toEqual(["refused b", "refused b", "stored c"]);
    expect(statements).toEqual([["a", "b"], ["c"]]);
  });

  it("passes the gate's refusal to every row of a group it refused", async () => {
    const gate = createGate({ concurrency: 1, ...SETTINGS, maxQueued: 0 });
    const writer = createGroupedWriter<string, string>({ gate, writeRows: async (rows) => rows, maxRows: 10, maxBytes: 100, sizeOf: (row) => row.length });
    let release = () => undefined as void;
    const held = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    const results = ["a", "b"].map((row) => writer.write(row).catch((error: Error) => error.message));
    expect(await Promise.all(results)).toEqual(["busy: queue full", "busy: queue full"]);
    release();
    await held;
    expect(await writer.write("c")).toBe("c");
  });
});
