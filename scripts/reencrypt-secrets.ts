// `npm run secrets:reencrypt`: after a key rotation (README, Security), re-seals every stored secret under the new
// ENCRYPTION_KEY, reading old values with the keys in ENCRYPTION_KEY_PREVIOUS. Safe to run again and while the
// app is running; exits non-zero when some value cannot be opened with any configured key.
import { resolveDatabase } from "@/lib/database/connection";

const database = await resolveDatabase();
process.env.DATABASE_URL = database.url;
try {
  if (!process.env.ENCRYPTION_KEY) throw new Error("Set ENCRYPTION_KEY (the new key) and ENCRYPTION_KEY_PREVIOUS (the old ones) first.");
  const { reencryptVendorSecrets } = await import("@/lib/reencrypt-secrets");
  const result = await reencryptVendorSecrets();
  console.log(`[secrets:reencrypt] scanned ${result.scanned}, re-encrypted ${result.reencrypted}, changed meanwhile ${result.changedMeanwhile}, unreadable ${result.unreadable.length}`);
  if (result.unreadable.length) {
    console.error(`[secrets:reencrypt] no configured key opens these VendorIdentity rows: ${result.unreadable.join(", ")}`);
    process.exitCode = 1;
  }
  const { db } = await import("@/lib/db");
  await db.$disconnect();
} finally {
  await database.stop();
}
