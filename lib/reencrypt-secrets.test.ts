import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { newTotpSecret } from "@/lib/auth/totp";
import { decryptSecret, encryptSecret, needsReencryption, type KeyRing } from "@/lib/crypto";
import { db } from "@/lib/db";
import { reencryptSecrets } from "@/lib/reencrypt-secrets";

const OLD_KEY = randomBytes(32).toString("base64");
const NEW_KEY = randomBytes(32).toString("base64");
const BEFORE: KeyRing = { current: OLD_KEY };
const AFTER: KeyRing = { current: NEW_KEY, previous: [OLD_KEY] };

// `count` Validic identities (one patient each: patient and vendor are unique together) whose marketplace
// tokens are sealed under `keys`; `where` scopes a run to them, so parallel test files are left alone.
async function identitiesWithTokens(count: number, keys: KeyRing) {
  const tokens = Array.from({ length: count }, (_, i) => `marketplace-token-${i}-${randomUUID()}`);
  const ids: string[] = [];
  for (const token of tokens) {
    const patient = await db.patient.create({
      data: { mrn: `MRN-ROT-${randomUUID()}`, firstName: "Rotation", lastName: "Test", dateOfBirth: new Date("1960-01-01"), timeZone: "America/Chicago" },
    });
    const identity = await db.vendorIdentity.create({ data: { patientId: patient.id, vendor: "validic", externalId: `rot-${randomUUID()}`, marketplaceTokenEncrypted: encryptSecret(token, keys) } });
    ids.push(identity.id);
  }
  return { ids, tokens, where: { vendorIdentity: { id: { in: ids } }, user: { id: { in: [] } } } };
}

async function storedTokens(ids: string[]) {
  const rows = await db.vendorIdentity.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" }, select: { id: true, marketplaceTokenEncrypted: true } });
  return new Map(rows.map((r) => [r.id, r.marketplaceTokenEncrypted ?? ""]));
}

describe("secrets:reencrypt (key rotation)", () => {
  it("re-seals every token sealed with the old key under the new one, in batches, keeping the plaintext", async () => {
    const { ids, tokens, where } = await identitiesWithTokens(5, BEFORE);
    const result = await reencryptSecrets({ keys: AFTER, batchSize: 2, where });
    expect(result).toEqual({ scanned: 5, reencrypted: 5, unreadable: [], changedMeanwhile: 0 });
    const stored = await storedTokens(ids);
    for (const [i, id] of ids.entries()) {
      const sealed = stored.get(id) ?? "";
      expect(needsReencryption(sealed, AFTER)).toBe(false);
      // Readable with the new key alone: the old key can now be retired.
      expect(decryptSecret(sealed, { current: NEW_KEY })).toBe(tokens[i]);
      expect(() => decryptSecret(sealed, { current: OLD_KEY })).toThrow();
    }
  });

  it("is idempotent: a second run rewrites nothing", async () => {
    const { ids, where } = await identitiesWithTokens(3, BEFORE);
    await reencryptSecrets({ keys: AFTER, where });
    const afterFirst = await storedTokens(ids);
    const second = await reencryptSecrets({ keys: AFTER, where });
    expect(second).toEqual({ scanned: 3, reencrypted: 0, unreadable: [], changedMeanwhile: 0 });
    expect(await storedTokens(ids)).toEqual(afterFirst);
  });

  it("leaves tokens already under the current key alone and reports ones no configured key can open", async () => {
    const current = await identitiesWithTokens(1, { current: NEW_KEY });
    const lost = await identitiesWithTokens(1, { current: randomBytes(32).toString("base64") });
    const ids = [...current.ids, ...lost.ids];
    const before = await storedTokens(ids);
    const result = await reencryptSecrets({ keys: AFTER, where: { vendorIdentity: { id: { in: ids } }, user: { id: { in: [] } } } });
    expect(result).toEqual({ scanned: 2, reencrypted: 0, unreadable: lost.ids.map((id) => `VendorIdentity ${id}`), changedMeanwhile: 0 });
    expect(await storedTokens(ids)).toEqual(before);
  });

  it("audits each run with counts only", async () => {
    const { where, tokens } = await identitiesWithTokens(1, BEFORE);
    const startedAt = new Date();
    await reencryptSecrets({ keys: AFTER, where });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "secrets.reencrypt", createdAt: { gte: startedAt } }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ actorRole: "system", outcome: "success", details: { scanned: 1, reencrypted: 1, unreadable: 0, changedMeanwhile: 0 } });
    expect(JSON.stringify(event.details)).not.toContain(tokens[0]);
  });

  it("re-seals staff two-step secrets too, keeping the secret their authenticator apps share", async () => {
    const secret = newTotpSecret();
    const user = await db.user.create({
      data: { email: `rot-${randomUUID()}@example.org`, name: "Rotation", role: "clinician", passwordHash: "x", totpSecretEncrypted: encryptSecret(secret, BEFORE), totpEnabledAt: new Date() },
    });
    const where = { vendorIdentity: { id: { in: [] } }, user: { id: user.id } };
    expect(await reencryptSecrets({ keys: AFTER, where })).toEqual({ scanned: 1, reencrypted: 1, unreadable: [], changedMeanwhile: 0 });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpSecretEncrypted: true } });
    expect(decryptSecret(stored.totpSecretEncrypted ?? "", { current: NEW_KEY })).toBe(secret);
  });
});
