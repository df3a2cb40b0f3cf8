import { describe, expect, it } from "vitest";

import { assertLoopback, createErrorTally, createLedger, loadVerdict, pacingSchedule, type ReadingKey } from "@/scripts/bench/load";

// The pure parts of the load phase: the open-loop schedule, the accounting of acknowledged against stored readings,
// the verdict and the loopback guard. Nothing here is timed.

const reading = (vendor: ReadingKey["vendor"], vendorRecordId: string, metric = "blood_pressure"): ReadingKey => ({ vendor, vendorRecordId, metric });

describe("pacingSchedule", () => {
  const kinds = [
    { key: "validic100" as const, share: 0.5, readingsPerRequest: 150 },
    { key: "tenovi-single" as const, share: 0.25, readingsPerRequest: 1 },
    { key: "tenovi-array" as const, share: 0.25, readingsPerRequest: 2 },
  ];

  it("plans each kind's share of rate × seconds readings, inside the window, in time order", () => {
    const schedule = pacingSchedule({ readingsPerSecond: 300, seconds: 60, kinds });
    const count = (key: string) => schedule.filter((send) => send.key === key).length;
    // 150 readings/s in pushes of 150 → 1/s; 75 single rows/s; 75 readings/s in pairs → 37.5/s.
    expect(count("validic100")).toBe(60);
    expect(count("tenovi-single")).toBe(75 * 60);
    expect(count("tenovi-array")).toBe(37.5 * 60);
    const readings = kinds.reduce((sum, kind) => sum + count(kind.key) * kind.readingsPerRequest, 0);
    expect(readings).toBe(300 * 60);
    expect(schedule.every((send) => send.atMs >= 0 && send.atMs < 60_000)).toBe(true);
    expect(schedule.every((send, i) => i === 0 || (schedule[i - 1]?.atMs ?? 0) <= send.atMs)).toBe(true);
  });

  it("spaces one kind's sends evenly and numbers them from 0", () => {
    const schedule = pacingSchedule({ readingsPerSecond: 10, seconds: 2, kinds: [{ key: "tenovi-single", share: 1, readingsPerRequest: 1 }] });
    expect(schedule.map((send) => send.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const gaps = schedule.slice(1).map((send, i) => send.atMs - (schedule[i]?.atMs ?? 0));
    for (const gap of gaps) expect(gap).toBeCloseTo(100, 6);
    expect(schedule[0]?.atMs).toBeCloseTo(50, 6);
  });

  it("plans nothing for a kind with no share", () => {
    const schedule = pacingSchedule({ readingsPerSecond: 100, seconds: 5, kinds: [{ key: "validic100", share: 0, readingsPerRequest: 100 }] });
    expect(schedule).toEqual([]);
  });
});

describe("createLedger", () => {
  it("counts an acknowledged reading the database lacks as lost", () => {
    const ledger = createLedger();
    ledger.acknowledge([reading("validic", "r1"), reading("validic", "r1", "pulse"), reading("tenovi", "t1")]);
    ledger.markStored([reading("validic", "r1"), reading("tenovi", "t1")]);
    const summary = ledger.summary();
    expect(summary).toMatchObject({ acknowledged: 3, stored: 2, lost: 1 });
    expect(summary.lostSamples).toEqual(["validic r1 pulse"]);
    expect(ledger.outstanding()).toEqual([reading("validic", "r1", "pulse")]);
  });

  it("ignores stored readings that were never acknowledged, and counts a reading acknowledged twice once", () => {
    const ledger = createLedger();
    ledger.acknowledge([reading("tenovi", "t1")]);
    ledger.acknowledge([reading("tenovi", "t1")]);
    ledger.markStored([reading("tenovi", "not-acknowledged"), reading("validic", "t1")]);
    expect(ledger.summary()).toMatchObject({ acknowledged: 1, stored: 0, lost: 1 });
    ledger.markStored([reading("tenovi", "t1")]);
    ledger.markStored([reading("tenovi", "t1")]);
    expect(ledger.summary()).toMatchObject({ acknowledged: 1, stored: 1, lost: 0 });
    expect(ledger.outstanding()).toEqual([]);
  });

  it("names the ingest events that still owe readings, each once", () => {
    const ledger = createLedger();
    ledger.acknowledge([reading("tenovi", "t1", "blood_pressure"), reading("tenovi", "t1", "pulse")], "41");
    ledger.acknowledge([reading("validic", "r1")], "42");
    ledger.acknowledge([reading("validic", "r2")]);
    expect(ledger.outstandingEventIds()).toEqual(["41", "42"]);
    ledger.markStored([reading("validic", "r1"), reading("tenovi", "t1", "pulse")]);
    expect(ledger.outstandingEventIds()).toEqual(["41"]);
  });

  it("keeps a reading acknowledged again after it was stored as stored", () => {
    const ledger = createLedger();
    ledger.acknowledge([reading("validic", "r9")]);
    ledger.markStored([reading("validic", "r9")]);
    ledger.acknowledge([reading("validic", "r9")]);
    expect(ledger.summary()).toMatchObject({ acknowledged: 1, stored: 1, lost: 0 });
  });
});

describe("loadVerdict and the error tally", () => {
  it("passes only with no errors, nothing lost and something acknowledged", () => {
    expect(loadVerdict({ errors: 0, lost: 0, acknowledged: 10 })).toEqual({ isPassed: true, reasons: [] });
    expect(loadVerdict({ errors: 2, lost: 0, acknowledged: 10 }).isPassed).toBe(false);
    expect(loadVerdict({ errors: 0, lost: 1, acknowledged: 10 }).reasons).toEqual(["1 acknowledged readings not in the database"]);
    expect(loadVerdict({ errors: 0, lost: 0, acknowledged: 0 }).isPassed).toBe(false);
  });

  it("counts errors by label", () => {
    const tally = createErrorTally();
    tally.add("validic100 503", "unavailable");
    tally.add("validic100 503");
    tally.add("page timeout");
    expect(tally.byLabel).toEqual({ "validic100 503": 2, "page timeout": 1 });
    expect(tally.total()).toBe(3);
    expect(tally.samples[0]).toBe("validic100 503: unavailable");
  });
});

describe("assertLoopback", () => {
  it("accepts loopback targets", () => {
    for (const url of ["http://127.0.0.1:3700", "http://localhost:3000", "http://[::1]:3700", "http://127.1.2.3"]) expect(() => assertLoopback(url)).not.toThrow();
  });

  it("refuses anything else", () => {
    for (const url of ["http://10.0.0.5:3700", "https://pulseboard.example.com", "http://0.0.0.0:3700", "http://127.0.0.1.evil.example"]) {
      expect(() => assertLoopback(url)).toThrow(/loopback/);
    }
  });
});
