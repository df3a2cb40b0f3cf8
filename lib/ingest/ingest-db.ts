import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { PrismaClient } from "@/lib/generated/prisma/client";

// Pool size and timeouts of the receivers' client.
export type IngestDbSettings = { connectionTimeoutMillis: number; statementTimeoutMillis: number; maxConnections: number };

// The receivers' own small pool with short timeouts: a vendor waiting on an unreachable or stuck database gets a 503
// within seconds (and retries) instead of hanging until its own timeout fires. Requests never queue inside the pool
// (lib/ingest/ingest-gate.ts runs at most maxConnections steps at once), so the connection timeout only bounds
// opening a connection, which a loaded server can take a few seconds to do; idle connections are kept for minutes
// so a burst after a quiet spell does not have to open them all at once.
export const INGEST_DB_TIMEOUTS: IngestDbSettings = { connectionTimeoutMillis: 5_000, statementTimeoutMillis: 5_000, maxConnections: 5 };
const IDLE_CONNECTION_MS = 5 * 60_000;

// What the receivers write with: token checks and the raw-event insert. Processing uses lib/db.ts.
export type IngestDb = PrismaClient;

// The pool under each receivers' client, for the one statement that bypasses Prisma (poolOf).
const pools = new WeakMap<IngestDb, pg.Pool>();

// Builds a client for the receivers' insert path; tests point one at a closed port to rehearse an outage.
export function createIngestDb(connectionString: string, timeouts: Partial<IngestDbSettings> = {}): IngestDb {
  const settings = { ...INGEST_DB_TIMEOUTS, ...timeouts };
  const pool = new pg.Pool({
    connectionString,
    max: settings.maxConnections,
    connectionTimeoutMillis: settings.connectionTimeoutMillis,
    idleTimeoutMillis: IDLE_CONNECTION_MS,
    statement_timeout: settings.statementTimeoutMillis,
    // The client-side guard for a server that accepted the connection and then went silent.
    query_timeout: settings.statementTimeoutMillis + 1_000,
  });
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  pools.set(client, pool);
  return client;
}

// The pg pool a receivers' client runs on. The raw-event insert goes through it directly: Prisma's engine copies every
// parameter through its query compiler, which for a 1,000-record push batch (~400 KB of JSON) cost more CPU than
// everything else the receiver does.
export function poolOf(client: IngestDb): pg.Pool {
  const pool = pools.get(client);
  if (!pool) throw new AppError("CONFIGURATION", "The receivers' database client was not made by createIngestDb.");
  return pool;
}

const globalForIngest = globalThis as unknown as { ingestDb?: IngestDb };

// The process-wide receivers' client, created on first use so `next build` never needs a database.
export function ingestDb(): IngestDb {
  if (globalForIngest.ingestDb) return globalForIngest.ingestDb;
  if (!env.DATABASE_URL) throw new AppError("CONFIGURATION", "DATABASE_URL is not set.");
  globalForIngest.ingestDb = createIngestDb(env.DATABASE_URL);
  return globalForIngest.ingestDb;
}
