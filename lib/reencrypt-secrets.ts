import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit";
import { decryptSecret, encryptSecret, envKeyRing, needsReencryption, type KeyRing } from "@/lib/crypto";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

// What a re-encryption run did.
export type ReencryptResult = {
  scanned: number;
  reencrypted: number;
  // Sealed with a key that is neither current nor listed as previous: left as they are, as "<table> <id>".
  unreadable: string[];
  // Rewritten by someone else between our read and our write: left alone, a second run picks them up.
  changedMeanwhile: number;
};

// Keys (default: the environment's), batch size, and optional filters per table (tests scope a run to their own rows).
export type ReencryptOptions = {
  keys?: KeyRing;
  batchSize?: number;
  where?: { vendorIdentity?: Prisma.VendorIdentityWhereInput; user?: Prisma.UserWhereInput };
};

// One column of sealed secrets: its rows a batch at a time (ordered by id, after `afterId`), and a write that takes
// effect only if the row still holds the value read.
type SealedColumn = {
  table: string;
  batch: (afterId: string | undefined, take: number) => Promise<{ id: string; sealed: string | null }[]>;
  replace: (id: string, sealed: string, resealed: string) => Promise<boolean>;
};

// The ciphertexts are omitted from queries by default (lib/db.ts); rotation is the one job that must read them.
function sealedColumns(where: NonNullable<ReencryptOptions["where"]>): SealedColumn[] {
  const after = (afterId: string | undefined) => (afterId ? { id: { gt: afterId } } : {});
  return [
    {
      table: "VendorIdentity",
      batch: async (afterId, take) =>
        (
          await db.vendorIdentity.findMany({
            where: { AND: [where.vendorIdentity ?? {}, { marketplaceTokenEncrypted: { not: null } }, after(afterId)] },
            orderBy: { id: "asc" },
            take,
            select: { id: true, marketplaceTokenEncrypted: true },
          })
        ).map((row) => ({ id: row.id, sealed: row.marketplaceTokenEncrypted })),
      replace: async (id, sealed, resealed) =>
        (await db.vendorIdentity.updateMany({ where: { id, marketplaceTokenEncrypted: sealed }, data: { marketplaceTokenEncrypted: resealed } })).count === 1,
    },
    {
      table: "User",
      batch: async (afterId, take) =>
        (
          await db.user.findMany({
            where: { AND: [where.user ?? {}, { totpSecretEncrypted: { not: null } }, after(afterId)] },
            orderBy: { id: "asc" },
            take,
            select: { id: true, totpSecretEncrypted: true },
          })
        ).map((row) => ({ id: row.id, sealed: row.totpSecretEncrypted })),
      replace: async (id, sealed, resealed) => (await db.user.updateMany({ where: { id, totpSecretEncrypted: sealed }, data: { totpSecretEncrypted: resealed } })).count === 1,
    },
  ];
}

// Re-seals every stored secret that an older key sealed under the current key, a batch at a time: vendor tokens
// (VendorIdentity.marketplaceTokenEncrypted) and staff two-step secrets (User.totpSecretEncrypted). Idempotent: a
// second run finds nothing to do. Each row is written only if it still holds the value read, so a token refreshed
// meanwhile is never overwritten. Unreadable rows are named "<table> <id>". The run is audited (counts only).
export async function reencryptSecrets({ keys = envKeyRing(), batchSize = 200, where = {} }: ReencryptOptions = {}): Promise<ReencryptResult> {
  const result: ReencryptResult = { scanned: 0, reencrypted: 0, unreadable: [], changedMeanwhile: 0 };
  for (const column of sealedColumns(where)) {
    let afterId: string | undefined;
    for (;;) {
      const rows = await column.batch(afterId, batchSize);
      for (const row of rows) await reencryptRow(column, row, keys, result);
      result.scanned += rows.length;
      afterId = rows.at(-1)?.id;
      if (rows.length < batchSize) break;
    }
  }
  await recordAudit({
    actor: SYSTEM_ACTOR,
    action: "secrets.reencrypt",
    outcome: result.unreadable.length ? "failure" : "success",
    details: { scanned: result.scanned, reencrypted: result.reencrypted, unreadable: result.unreadable.length, changedMeanwhile: result.changedMeanwhile },
  });
  return result;
}

async function reencryptRow(column: SealedColumn, row: { id: string; sealed: string | null }, keys: KeyRing, result: ReencryptResult) {
  const sealed = row.sealed;
  if (!sealed || !needsReencryption(sealed, keys)) return;
  let plaintext: string;
  try {
    plaintext = decryptSecret(sealed, keys);
  } catch {
    // Unknown key id, unknown format or a failed authentication tag: the value cannot be opened with these keys.
    result.unreadable.push(`${column.table} ${row.id}`);
    return;
  }
  if (await column.replace(row.id, sealed, encryptSecret(plaintext, keys))) result.reencrypted += 1;
  else result.changedMeanwhile += 1;
}
