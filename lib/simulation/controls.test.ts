import { describe, expect, it } from "vitest";

import { failureSwitchFor, vendorModes } from "@/lib/simulation/controls";
import { armFailureSchema } from "@/lib/simulation/schemas";

// The switch itself (setFailureSwitch/takeFailure) is shared by every test file of a run, so these tests only map
// the page's choices onto it; e2e/ui/simulation.spec.ts arms and clears it for real.

describe("failure switch choices", () => {
  it.each([
    [
      { kind: "timeout", count: "2" },
      { remaining: 2, mode: "timeout", status: 504 },
    ],
    [
      { kind: "server_error", count: "1" },
      { remaining: 1, mode: "status", status: 503 },
    ],
    [
      { kind: "server_error", count: "4", status: "500" },
      { remaining: 4, mode: "status", status: 500 },
    ],
    [
      { kind: "rate_limited", count: "3" },
      { remaining: 3, mode: "status", status: 429, retryAfterSeconds: 30 },
    ],
    [
      { kind: "rate_limited", count: "3", retryAfterSeconds: "7" },
      { remaining: 3, mode: "status", status: 429, retryAfterSeconds: 7 },
    ],
    [
      { kind: "client_error", count: "1" },
      { remaining: 1, mode: "status", status: 400 },
    ],
    [
      { kind: "client_error", count: "1", status: "404" },
      { remaining: 1, mode: "status", status: 404 },
    ],
    [
      { kind: "malformed", count: "5" },
      { remaining: 5, mode: "malformed", status: 200 },
    ],
  ])("%o arms %o", (choice, expected) => {
    expect(failureSwitchFor(armFailureSchema.parse({ vendor: "smartz", ...choice }))).toEqual(expected);
  });

  it.each([
    [{ kind: "server_error", count: "1", status: "404" }, "status", /500–599/],
    [{ kind: "client_error", count: "1", status: "503" }, "status", /400–499/],
    [{ kind: "client_error", count: "1", status: "429" }, "status", /Rate limited/],
    [{ kind: "timeout", count: "0" }, "count", /at least one/],
    [{ kind: "timeout", count: "101" }, "count", /At most 100/],
    [{ kind: "rate_limited", count: "1", retryAfterSeconds: "0" }, "retryAfterSeconds", /At least 1 second/],
  ])("%o is refused on %s", (choice, field, message) => {
    const issues = armFailureSchema.safeParse({ vendor: "tenovi", ...choice }).error?.issues ?? [];
    expect(issues.map((i) => i.path[0])).toEqual([field]);
    expect(issues[0]?.message).toMatch(message);
  });
});

describe("vendor modes", () => {
  it("runs every vendor against its simulator when no credentials are configured", () => {
    expect(vendorModes()).toEqual({ tenovi: "simulator", validic: "simulator", smartz: "simulator" });
  });
});
