import { describe, expect, it } from "vitest";

import { timeOrderedId } from "@/lib/ingest/vendor-records";

describe("timeOrderedId", () => {
  it("is a version-7 UUID whose first 48 bits are the time in milliseconds", () => {
    const at = Date.UTC(2026, 10, 22, 9, 30);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
  });

  it("sorts ids of later milliseconds after earlier ones, and never repeats", () => {
    const start = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 500 }, (_, i) => timeOrderedId(start + i * 37));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => timeOrderedId(start))).size).toBe(1000);
  });
});
