import bcrypt from "bcryptjs";
import { z } from "zod";

const BCRYPT_COST = 12;

// Passwords people pick first; refused outright whatever their length.
const COMMON_PASSWORDS = new Set([
  "password", "password1", "password123", "123456789012", "qwertyuiopas", "letmein12345", "welcome12345",
  "iloveyou1234", "passw0rd1234", "administrator", "pulseboard123", "changeme1234",
]);

// At least 12 characters, not a common password, and not only one kind of character (ASVS 5.0 §6.2).
export const newPasswordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(128, "Use at most 128 characters.")
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), "This password is too common; choose another.")
  .refine((p) => new Set(p).size >= 5, "This password repeats too few characters.");

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Compared against when the email is unknown, so timing does not reveal which emails exist.
export const DUMMY_PASSWORD_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5R6u8iJ7F4a5yqW2a1Z8G1kXh6r4n2e";
