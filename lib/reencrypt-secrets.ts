import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit";
import { decryptSecret, encryptSecret, envKeyRing, needsReencryption, type KeyRing } from "@/lib/crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

// What a re-encryption run did.
export type ReencryptResult = {
  scanned: number;
  reencrypted: number;
  // Sealed with a key that is neither current nor listed as previous: left as they are, by id.
  unreadable: string[];
  // Rewritten by someone else between our read and our write: left alone, a second run picks them up.
  changedMeanwhile: number;
};

// Keys (default: the environment's), batch size, and an optional filter (tests scope a run to their own rows).
export type ReencryptOptions = { keys?: KeyRing; batchSize?: number; where?: Prisma.VendorIdentityWhereInput };

// Re-seals every stored secret (VendorIdentity.marketplaceTokenEncrypted) that an older key sealed under the
// current key, a batch at a time. Idempotent: a second run finds nothing to do. Each row is written only if it
// still holds the value read, so a token refreshed meanwhile is never overwritten. The run is audited (counts only).
export async function reencryptVendorSecrets({ keys = envKeyRing(), batchSize = 200, where = {} }: ReencryptOptions = {}): Promise<ReencryptResult> {
  const result: ReencryptResult = { scanned: 0, reencrypted: 0, unreadable: [], changedMeanwhile: 0 };
  let afterId: string | undefined;
  for (;;) {
    const rows = await db.vendorIdentity.findMany({
      where: { AND: [where, { marketplaceTokenEncrypted: { not: null } }, afterId ? { id: { gt: afterId } } : {}] },
      orderBy: { id: "asc" },
      take: batchSize,
      // The ciphertext is omitted from queries by default; rotation is the one job that must read it.
      select: { id: true, marketplaceTokenEncrypted: true },
    });
    for (const row of rows) await reencryptRow(row, keys, result);
    result.scanned += rows.length;
    afterId = rows.at(-1)?.id;
    if (rows.length < batchSize) break;
  }
  await recordAudit({
    actor: SYSTEM_ACTOR,
    action: "secrets.reencrypt",
    outcome: result.unreadable.length ? "failure" : "success",
    details: { scanned: result.scanned, reencrypted: result.reencrypted, unreadable: result.unreadable.length, changedMeanwhile: result.changedMeanwhile },
  });
  return result;
}

async function reencryptRow(row: { id: string; marketplaceTokenEncrypted: string | null }, keys: KeyRing, result: ReencryptResult) {
  const sealed = row.marketplaceTokenEncrypted;
  if (!sealed || !needsReencryption(sealed, keys)) return;
  let plaintext: string;
  try {
    plaintext = decryptSecret(sealed, keys);
  } catch {
    // Unknown key id, unknown format or a failed authentication tag: the value cannot be opened with these keys.
    result.unreadable.push(row.id);
    return;
  }
  const written = await db.vendorIdentity.updateMany({ where: { id: row.id, marketplaceTokenEncrypted: sealed }, data: { marketplaceTokenEncrypted: encryptSecret(plaintext, keys) } });
  if (written.count === 1) result.reencrypted += 1;
  else result.changedMeanwhile += 1;
}
