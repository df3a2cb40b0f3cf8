import { describe, expect, it } from "vitest";

import { decryptSecret, encryptSecret, needsReencryption } from "@/lib/crypto";

describe("secret encryption (AES-256-GCM)", () => {
  it("round-trips and never contains the plaintext", () => {
    const sealed = encryptSecret("marketplace-token-123");
    expect(sealed).not.toContain("marketplace-token-123");
    expect(decryptSecret(sealed)).toBe("marketplace-token-123");
    expect(needsReencryption(sealed)).toBe(false);
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same")).not.toBe(encryptSecret("same"));
  });

  it("rejects a tampered ciphertext", () => {
    const parts = encryptSecret("secret").split(".");
    const body = Buffer.from(parts[4] ?? "", "base64url");
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString("base64url");
    expect(() => decryptSecret(parts.join("."))).toThrow();
  });
});
