// `npm run secrets:reencrypt`: after a key rotation (README, Security), re-seals every stored secret under the new
// ENCRYPTION_KEY, reading old values with the keys in ENCRYPTION_KEY_PREVIOUS. Safe to run again and while the
// app is running; exits non-zero when some value cannot be opened with any configured key.
import { resolveDatabase } from "@/lib/database/connection";

if (!process.env.ENCRYPTION_KEY) {
  console.error("[secrets:reencrypt] Set ENCRYPTION_KEY (the new key) and ENCRYPTION_KEY_PREVIOUS (the old ones) first.");
  process.exit(1);
}

const database = await resolveDatabase();
process.env.DATABASE_URL = database.url;
try {
  const { reencryptSecrets } = await import("@/lib/reencrypt-secrets");
  const { db } = await import("@/lib/db");
  const result = await reencryptSecrets();
  await db.$disconnect();
  console.log(`[secrets:reencrypt] scanned ${result.scanned}, re-encrypted ${result.reencrypted}, changed meanwhile ${result.changedMeanwhile}, unreadable ${result.unreadable.length}`);
  if (result.changedMeanwhile) console.log("[secrets:reencrypt] some values changed while running; run again to finish them.");
  if (result.unreadable.length) {
    console.error(`[secrets:reencrypt] no configured key opens these rows: ${result.unreadable.join(", ")}`);
    process.exitCode = 1;
  }
} finally {
  await database.stop();
}
