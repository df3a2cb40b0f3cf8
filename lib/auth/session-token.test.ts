import { decode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";

import { sessionTokenCodec } from "@/lib/auth/session-token";

const SECRET = "session-token-test-secret-0123456789abcdef";
const SALT = "authjs.session-token";

async function sealed(claims: Record<string, unknown>): Promise<string> {
  return sessionTokenCodec.encode({ secret: SECRET, salt: SALT, token: claims, maxAge: 900 });
}

describe("session cookie codec", () => {
  it("returns the cookie it decoded when the claims object comes back unchanged (no re-sealing)", async () => {
    const token = await sealed({ uid: "user-1", seenAt: 1 });
    const claims = await sessionTokenCodec.decode({ secret: SECRET, salt: SALT, token });
    expect(claims).toMatchObject({ uid: "user-1", seenAt: 1 });
    expect(await sessionTokenCodec.encode({ secret: SECRET, salt: SALT, token: claims ?? {}, maxAge: 900 })).toBe(token);
  });

  it("seals new claims into a new cookie that decodes to them", async () => {
    const token = await sealed({ uid: "user-1", seenAt: 1 });
    const claims = await sessionTokenCodec.decode({ secret: SECRET, salt: SALT, token });
    const renewed = await sessionTokenCodec.encode({ secret: SECRET, salt: SALT, token: { ...claims, seenAt: 2 }, maxAge: 900 });
    expect(renewed).not.toBe(token);
    expect(await decode({ secret: SECRET, salt: SALT, token: renewed })).toMatchObject({ uid: "user-1", seenAt: 2 });
  });

  it("refuses a cookie sealed with another secret", async () => {
    const token = await sealed({ uid: "user-1" });
    await expect(sessionTokenCodec.decode({ secret: `${SECRET}-other`, salt: SALT, token })).rejects.toThrow();
  });
});
