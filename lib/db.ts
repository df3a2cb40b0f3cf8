import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { shareTransactionConnections } from "@/lib/database/transaction-connection";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { PrismaClient } from "@/lib/generated/prisma/client";

// Secret and PHI columns are left out of every query unless one opts back in with `omit: { field: false }`.
const GLOBAL_OMIT = {
  user: { passwordHash: true, totpSecretEncrypted: true, recoveryCodeHashes: true },
  vendorIdentity: { marketplaceTokenEncrypted: true },
  patient: { phone: true, dateOfBirth: true },
} as const;

// `next build` imports every route but runs no query, so it may build without a database.
const BUILD_PLACEHOLDER_URL = "postgresql://build@127.0.0.1:1/build";

function databaseUrl(): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  if (process.env.NEXT_PHASE === "phase-production-build") return BUILD_PLACEHOLDER_URL;
  throw new AppError("CONFIGURATION", "DATABASE_URL is not set. Start Pulseboard with `npm start`, which provides one.");
}

function createPrismaClient(pool: pg.Pool) {
  // The client owns the pool: $disconnect ends it.
  shareTransactionConnections(pool);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter, omit: GLOBAL_OMIT });
}

export type Database = ReturnType<typeof createPrismaClient>;

const globalForPrisma = globalThis as unknown as { prisma?: Database; prismaPool?: pg.Pool };

function createPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl(), max: 10, connectionTimeoutMillis: 5_000 });
  // An idle connection the server closed (a restart, say) is dropped by the pool; without a listener the error would
  // end the process before Prisma's client, which adds its own on first use, had run a query.
  pool.on("error", (error) => logger.warn("idle database connection closed", { error: error.message }));
  return pool;
}

// The pg pool under the Prisma client (connections open on first use). Pages' hottest reads go through it directly
// (lib/database/read-rows.ts).
export const dbPool: pg.Pool = globalForPrisma.prismaPool ?? createPool();

// The one Prisma client of this process, reused across hot reloads in development.
export const db: Database = globalForPrisma.prisma ?? createPrismaClient(dbPool);
if (env.NODE_ENV !== "production") Object.assign(globalForPrisma, { prisma: db, prismaPool: dbPool });
