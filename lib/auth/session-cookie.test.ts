import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";

import { readSessionClaims, SESSION_COOKIE_NAMES, unchangedSessionClaims, type CookieSource } from "@/lib/auth/session-cookie";

const SECRET = "session-cookie-test-secret-0123456789abcdef";
const LIMITS = { idleMinutes: 15, maxHours: 12 };
const NOW = 1_800_000_000_000;
const [SECURE_NAME, PLAIN_NAME] = SESSION_COOKIE_NAMES;

function jar(cookies: Record<string, string>): CookieSource {
  return { get: (name) => (name in cookies ? { value: cookies[name] ?? "" } : undefined) };
}

function seal(claims: Record<string, unknown>, salt: string = PLAIN_NAME, secret = SECRET): Promise<string> {
  return encode({ secret, salt, token: claims, maxAge: 900 });
}

const fresh = { uid: "user-1", role: "coordinator", sv: 3, authTime: NOW - 60_000, seenAt: NOW - 10_000 };

describe("reading the session cookie on the server", () => {
  it("opens a cookie next-auth sealed and returns its claims", async () => {
    const claims = await readSessionClaims(jar({ [PLAIN_NAME]: await seal(fresh) }), SECRET, LIMITS, NOW);
    expect(claims).toMatchObject(fresh);
  });

  it("reads the __Secure- cookie of an HTTPS deployment", async () => {
    const claims = await readSessionClaims(jar({ [SECURE_NAME]: await seal(fresh, SECURE_NAME) }), SECRET, LIMITS, NOW);
    expect(claims).toMatchObject({ uid: "user-1" });
  });

  it("reassembles a token next-auth split into chunks", async () => {
    const token = await seal(fresh);
    const cut = Math.floor(token.length / 2);
    const claims = await readSessionClaims(jar({ [`${PLAIN_NAME}.0`]: token.slice(0, cut), [`${PLAIN_NAME}.1`]: token.slice(cut) }), SECRET, LIMITS, NOW);
    expect(claims).toMatchObject({ uid: "user-1" });
  });

  it("has no session without a cookie or without a secret", async () => {
    expect(await readSessionClaims(jar({}), SECRET, LIMITS, NOW)).toBeNull();
    expect(await readSessionClaims(jar({ [PLAIN_NAME]: await seal(fresh) }), undefined, LIMITS, NOW)).toBeNull();
  });

  it("refuses a token sealed with another secret, a tampered token and one sealed for the other cookie name", async () => {
    expect(await readSessionClaims(jar({ [PLAIN_NAME]: await seal(fresh, PLAIN_NAME, `${SECRET}-other`) }), SECRET, LIMITS, NOW)).toBeNull();
    const token = await seal(fresh);
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    expect(await readSessionClaims(jar({ [PLAIN_NAME]: tampered }), SECRET, LIMITS, NOW)).toBeNull();
    expect(await readSessionClaims(jar({ [PLAIN_NAME]: await seal(fresh, SECURE_NAME) }), SECRET, LIMITS, NOW)).toBeNull();
  });

  it("ends a session unused for longer than the idle limit or older than the absolute limit", async () => {
    const idle = { ...fresh, seenAt: NOW - 16 * 60_000 };
    expect(await readSessionClaims(jar({ [PLAIN_NAME]: await seal(idle) }), SECRET, LIMITS, NOW)).toBeNull();
    const old = { ...fresh, authTime: NOW - 13 * 3_600_000 };
    expect(await readSessionClaims(jar({ [PLAIN_NAME]: await seal(old) }), SECRET, LIMITS, NOW)).toBeNull();
  });

  it("refuses a token without the session timestamps (fail closed)", async () => {
    expect(await readSessionClaims(jar({ [PLAIN_NAME]: await seal({ uid: "user-1", role: "admin", sv: 0 }) }), SECRET, LIMITS, NOW)).toBeNull();
  });

  it("lets the proxy skip next-auth only for a cookie renewed less than a minute ago", async () => {
    expect(await unchangedSessionClaims(jar({ [PLAIN_NAME]: await seal(fresh) }), SECRET, LIMITS, NOW)).toMatchObject({ uid: "user-1", seenAt: fresh.seenAt });
    // Due for renewal: still a session for the pages, but next-auth must seal the new cookie.
    const due = { ...fresh, seenAt: NOW - 2 * 60_000 };
    expect(await unchangedSessionClaims(jar({ [PLAIN_NAME]: await seal(due) }), SECRET, LIMITS, NOW)).toBeNull();
    expect(await readSessionClaims(jar({ [PLAIN_NAME]: await seal(due) }), SECRET, LIMITS, NOW)).toMatchObject({ uid: "user-1", seenAt: NOW });
    // Expired or broken: next-auth clears the cookie.
    expect(await unchangedSessionClaims(jar({ [PLAIN_NAME]: await seal({ ...fresh, seenAt: NOW - 16 * 60_000 }) }), SECRET, LIMITS, NOW)).toBeNull();
    expect(await unchangedSessionClaims(jar({ [PLAIN_NAME]: "not-a-token" }), SECRET, LIMITS, NOW)).toBeNull();
    expect(await unchangedSessionClaims(jar({}), SECRET, LIMITS, NOW)).toBeNull();
  });

  describe("a token that opened once", () => {
    afterEach(() => vi.useRealTimers());

    it("is still judged by the secret, the cookie name and its expiry when it comes again", async () => {
      const token = await seal(fresh);
      expect(await readSessionClaims(jar({ [PLAIN_NAME]: token }), SECRET, LIMITS, NOW)).toMatchObject({ uid: "user-1" });
      expect(await readSessionClaims(jar({ [PLAIN_NAME]: token }), SECRET, LIMITS, NOW)).toMatchObject({ uid: "user-1" });
      expect(await readSessionClaims(jar({ [PLAIN_NAME]: token }), `${SECRET}-rotated`, LIMITS, NOW)).toBeNull();
      expect(await readSessionClaims(jar({ [SECURE_NAME]: token }), SECRET, LIMITS, NOW)).toBeNull();
      // Its limits are judged at each request's time, as before.
      expect(await readSessionClaims(jar({ [PLAIN_NAME]: token }), SECRET, LIMITS, NOW + 16 * 60_000)).toBeNull();
      // Past the token's own expiry (900 s, plus jose's 15 s of leeway) it no longer opens.
      vi.useFakeTimers({ now: Date.now() + 916_000 });
      expect(await readSessionClaims(jar({ [PLAIN_NAME]: token }), SECRET, LIMITS, NOW)).toBeNull();
    });
  });
});
