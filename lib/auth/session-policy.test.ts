import { describe, expect, it } from "vitest";

import { isSessionCurrent, nextSessionClaims, SESSION_RENEW_AFTER_MS, type SessionClaims } from "@/lib/auth/session-policy";

const LIMITS = { idleMinutes: 15, maxHours: 12 };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);

function signIn(at = T0): SessionClaims {
  const claims = nextSessionClaims({}, { id: "user-1", role: "coordinator", sessionVersion: 3 }, at, LIMITS);
  if (!claims) throw new Error("sign-in produced no claims");
  return claims;
}

// Uses the session once every `everyMinutes` until `untilMinutes` after sign-in; returns the last answer.
function keepUsing(claims: SessionClaims, everyMinutes: number, untilMinutes: number): SessionClaims | null {
  let current: SessionClaims | null = claims;
  for (let t = everyMinutes; t <= untilMinutes && current; t += everyMinutes) current = nextSessionClaims(current, undefined, T0 + t * MINUTE, LIMITS);
  return current;
}

describe("session lifetime (jwt callback policy)", () => {
  it("records who signed in, their role and session version, and when", () => {
    expect(signIn()).toEqual({ uid: "user-1", role: "coordinator", sv: 3, authTime: T0, seenAt: T0 });
  });

  it("renews the idle clock on each use without moving the sign-in time", () => {
    const used = nextSessionClaims(signIn(), undefined, T0 + 10 * MINUTE, LIMITS);
    expect(used).toMatchObject({ authTime: T0, seenAt: T0 + 10 * MINUTE });
  });

  it("hands back the very same claims (so the cookie is not re-sealed) within a minute of the last renewal", () => {
    const claims = signIn();
    expect(nextSessionClaims(claims, undefined, T0 + SESSION_RENEW_AFTER_MS - 1, LIMITS)).toBe(claims);
    const renewed = nextSessionClaims(claims, undefined, T0 + SESSION_RENEW_AFTER_MS, LIMITS);
    expect(renewed).not.toBe(claims);
    expect(renewed).toMatchObject({ authTime: T0, seenAt: T0 + SESSION_RENEW_AFTER_MS });
  });

  it("still ends a session used only within the renewal minute once the idle timeout has passed since the last renewal", () => {
    const claims = signIn();
    const used = nextSessionClaims(claims, undefined, T0 + 30_000, LIMITS);
    expect(used).toBe(claims);
    expect(nextSessionClaims(claims, undefined, T0 + 15 * MINUTE + 1, LIMITS)).toBeNull();
  });

  it("ends a session unused for longer than the idle timeout", () => {
    const claims = signIn();
    expect(nextSessionClaims(claims, undefined, T0 + 15 * MINUTE, LIMITS)).not.toBeNull();
    expect(nextSessionClaims(claims, undefined, T0 + 15 * MINUTE + 1, LIMITS)).toBeNull();
  });

  it("ends a session at the absolute lifetime even when it is used all the time", () => {
    const claims = signIn();
    expect(keepUsing(claims, 10, 12 * 60)).not.toBeNull();
    expect(keepUsing(claims, 10, 12 * 60 + 10)).toBeNull();
  });

  it("refuses a token without sign-in or last-use time (forged or issued before these claims)", () => {
    expect(nextSessionClaims({ uid: "user-1", role: "admin", sv: 0 }, undefined, T0, LIMITS)).toBeNull();
    expect(nextSessionClaims({ uid: "user-1", role: "admin", sv: 0, authTime: T0 }, undefined, T0, LIMITS)).toBeNull();
  });

  it("starts a new lifetime at a new sign-in, whatever the old token said", () => {
    const stale: SessionClaims = { uid: "user-1", role: "clinician", sv: 1, authTime: T0 - 20 * HOUR, seenAt: T0 - HOUR };
    expect(nextSessionClaims(stale, { id: "user-1", role: "admin", sessionVersion: 2 }, T0, LIMITS)).toMatchObject({ role: "admin", sv: 2, authTime: T0 });
  });
});

describe("session still matches the user in the database", () => {
  const session = { role: "coordinator" as const, sessionVersion: 3 };
  it.each([
    ["unchanged", { role: "coordinator" as const, isActive: true, sessionVersion: 3 }, true],
    ["role changed", { role: "admin" as const, isActive: true, sessionVersion: 3 }, false],
    ["signed out elsewhere (version bumped)", { role: "coordinator" as const, isActive: true, sessionVersion: 4 }, false],
    ["deactivated", { role: "coordinator" as const, isActive: false, sessionVersion: 3 }, false],
    ["deleted", null, false],
  ])("%s → %s", (_label, user, isCurrent) => {
    expect(isSessionCurrent(session, user)).toBe(isCurrent);
  });
});
