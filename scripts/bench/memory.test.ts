import pg from "pg";
import { describe, expect, it } from "vitest";

import { cpuSubjects, localPostmasterPid } from "@/scripts/bench/memory";

describe("the bench's PostgreSQL CPU subjects", () => {
  it("finds the postmaster of a server on this machine from a connection's backend, and charges its backends", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const backendPid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid ?? 0;
      const postmaster = localPostmasterPid(backendPid);
      expect(postmaster).toEqual(expect.any(Number));
      expect(cpuSubjects(process.pid, undefined, postmaster).postgres()).toContain(backendPid);
    } finally {
      await client.end();
    }
  });

  it("charges nothing to PostgreSQL for a server elsewhere", () => {
    expect(localPostmasterPid(process.pid)).toBeUndefined();
    expect(cpuSubjects(process.pid).postgres()).toEqual([]);
  });
});
