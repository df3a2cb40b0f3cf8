import { createHash, timingSafeEqual } from "node:crypto";

// Compares a presented secret with the expected one in constant time (for equal lengths; the length check comes
// first, as crypto.timingSafeEqual requires, and only reveals the length).
export function safeEqual(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, "utf8");
  const b = Buffer.from(expected, "utf8");
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

// Compares through SHA-256 digests, which always have the same length, so not even the length leaks.
export function digestEqual(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

// Hex SHA-256, the form in which bearer tokens are stored.
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}
