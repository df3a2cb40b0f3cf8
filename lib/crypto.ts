import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const ALGORITHM = "aes-256-gcm";
const VERSION = "v1";

// The keys in force: the current one seals, any of them opens (base64, 32 bytes each).
export type KeyRing = { current: string | undefined; previous?: string[] };

function keyFrom(base64: string): Buffer {
  const key = Buffer.from(base64, "base64");
  if (key.length !== 32) throw new AppError("CONFIGURATION", "An encryption key must be 32 bytes, base64-encoded.");
  return key;
}

// A short id of a key, stored with each ciphertext so rotation knows which key sealed it.
function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

// ENCRYPTION_KEY and the comma-separated ENCRYPTION_KEY_PREVIOUS: the default for every function here.
export function envKeyRing(): KeyRing {
  const previous = (env.ENCRYPTION_KEY_PREVIOUS ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  return { current: env.ENCRYPTION_KEY, previous };
}

function currentKey(keys: KeyRing): Buffer {
  if (!keys.current) throw new AppError("CONFIGURATION", "ENCRYPTION_KEY is not set; secrets cannot be stored.");
  return keyFrom(keys.current);
}

function knownKeys(keys: KeyRing): Buffer[] {
  return [currentKey(keys), ...(keys.previous ?? []).map(keyFrom)];
}

// Seals a secret with AES-256-GCM under the current key: "v1.<key id>.<iv>.<tag>.<ciphertext>" (base64url parts).
export function encryptSecret(plaintext: string, keys: KeyRing = envKeyRing()): string {
  const key = currentKey(keys);
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, keyId(key), iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

// Opens a sealed secret with whichever known key (current or previous) sealed it.
export function decryptSecret(sealed: string, keys: KeyRing = envKeyRing()): string {
  const [version, id, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !id || !iv || !tag || ciphertext === undefined) throw new AppError("CONFIGURATION", "A stored secret has an unknown format.");
  const key = knownKeys(keys).find((k) => keyId(k) === id);
  if (!key) throw new AppError("CONFIGURATION", "A stored secret was sealed with a key that is no longer configured (see ENCRYPTION_KEY_PREVIOUS).");
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

// True when a sealed secret was not sealed with the current key (the re-encrypt command rewrites those).
export function needsReencryption(sealed: string, keys: KeyRing = envKeyRing()): boolean {
  return sealed.split(".")[1] !== keyId(currentKey(keys));
}
