import { createHash, randomInt } from "node:crypto";

import { RECOVERY_CODE_COUNT } from "@/lib/auth/two-step-schemas";

// Recovery codes: one-time codes shown once when two-step verification is turned on (or renewed), for signing in
// when the phone with the authenticator app is lost or broken. Each works once.

// 32 symbols without the look-alikes 0/O and 1/I; 16 of them carry 80 bits, far beyond guessing, so a fast hash
// stores them safely (passwords need a slow one because people choose them).
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 16;

const digest = (symbols: string) => createHash("sha256").update(symbols).digest("hex");

// A new set: the codes to show, as "K7QM-2WXH-PZ4C-9RTB" (four groups, easy to read off a printout), and what to store.
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const symbols = Array.from({ length: RECOVERY_CODE_COUNT }, () => Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""));
  return { codes: symbols.map((code) => code.match(/.{4}/g)?.join("-") ?? code), hashes: symbols.map(digest) };
}

// The stored form of a code as typed (any case, with or without dashes and spaces); null for what cannot be one.
export function recoveryCodeHash(typed: string): string | null {
  const symbols = typed.toUpperCase().replace(/[\s-]+/g, "");
  if (symbols.length !== CODE_LENGTH || [...symbols].some((symbol) => !ALPHABET.includes(symbol))) return null;
  return digest(symbols);
}
