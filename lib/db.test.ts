import { describe, expect, it } from "vitest";

import { dbPool } from "@/lib/db";

describe("the database pool", () => {
  // Before Prisma's client has run a query (and added its own listener), as a page's first reads do.
  it("survives an idle connection the server closed", () => {
    expect(dbPool.listenerCount("error")).toBeGreaterThan(0);
    expect(() => dbPool.emit("error", new Error("terminating connection due to administrator command"))).not.toThrow();
  });
});
