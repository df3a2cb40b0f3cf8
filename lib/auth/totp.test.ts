import { describe, expect, it } from "vitest";

import { fromBase32, hotp, matchTotp, newTotpSecret, toBase32, totpStep, totpUri } from "@/lib/auth/totp";
import { totpCodeSchema } from "@/lib/auth/two-step-schemas";

// RFC 6238 Appendix B's SHA-1 key and times; its eight-digit values, whose last six digits are what apps show.
const RFC_SECRET = Buffer.from("12345678901234567890");
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP", () => {
  it("produces RFC 6238's test values", () => {
    for (const [seconds, expected] of RFC_VECTORS) {
      expect(hotp(RFC_SECRET, totpStep(seconds * 1000), 8)).toBe(expected);
      expect(hotp(RFC_SECRET, totpStep(seconds * 1000))).toBe(expected.slice(2));
    }
  });

  it("produces RFC 4226's HOTP values", () => {
    expect([0, 1, 2, 9].map((counter) => hotp(RFC_SECRET, counter))).toEqual(["755224", "287082", "359152", "520489"]);
  });

  it("encodes base32 as RFC 4648 does, and back", () => {
    expect(toBase32(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
    expect(fromBase32("MZXW6YTBOI======").toString()).toBe("foobar");
    expect(fromBase32("mzxw6ytboi").toString()).toBe("foobar");
    expect(toBase32(RFC_SECRET)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(() => fromBase32("M1")).toThrow(RangeError);
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(toBase32(fromBase32(secret))).toBe(secret);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it("accepts the current code and one step either side, once each, and nothing further off", () => {
    const secret = toBase32(RFC_SECRET);
    const now = 1_234_567_890_000;
    const step = totpStep(now);
    const code = (offset: number) => hotp(RFC_SECRET, step + offset);
    expect(matchTotp(secret, code(0), null, now)).toBe(step);
    expect(matchTotp(secret, code(-1), null, now)).toBe(step - 1);
    expect(matchTotp(secret, code(1), null, now)).toBe(step + 1);
    expect(matchTotp(secret, code(-2), null, now)).toBeNull();
    expect(matchTotp(secret, code(2), null, now)).toBeNull();
    // A code already used, or one older than the last used, is refused: an overheard code cannot be replayed.
    expect(matchTotp(secret, code(0), step, now)).toBeNull();
    expect(matchTotp(secret, code(-1), step, now)).toBeNull();
    expect(matchTotp(secret, code(1), step, now)).toBe(step + 1);
    expect(matchTotp(secret, "12345", null, now)).toBeNull();
  });

  it("reads a code typed with spaces and refuses anything but six digits", () => {
    expect(totpCodeSchema.parse(" 123 456 ")).toBe("123456");
    for (const bad of ["12345", "1234567", "12a456", ""]) expect(totpCodeSchema.safeParse(bad).success).toBe(false);
  });

  it("builds the otpauth link apps read from the QR code", () => {
    const uri = new URL(totpUri("JBSWY3DPEHPK3PXP", "ana@clinic.example", "Pulseboard"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Pulseboard:ana@clinic.example");
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret: "JBSWY3DPEHPK3PXP", issuer: "Pulseboard", algorithm: "SHA1", digits: "6", period: "30" });
  });
});
