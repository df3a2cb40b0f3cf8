import pg from "pg";

import { withDatabaseName } from "../tests/database-url";

// The end-to-end server's database (scripts/start.ts --e2e): E2E_DATABASE_NAME on DATABASE_URL's server, or on the
// embedded cluster the e2e run starts when DATABASE_URL is unset.
export function e2eDatabaseUrl(): string {
  const server =
    process.env.DATABASE_URL?.trim() || `postgresql://pulseboard:pulseboard-local@127.0.0.1:${process.env.EMBEDDED_POSTGRES_PORT ?? 54349}/postgres`;
  return withDatabaseName(server, process.env.E2E_DATABASE_NAME ?? "pulseboard_e2e");
}

// Runs queries against the e2e database on one short-lived connection (specs that set up rows the UI then works on).
export async function withE2eDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// A timestamp for a `timestamp(3)` column holding UTC, as Prisma stores them.
export function utcTimestamp(date = new Date()): string {
  return date.toISOString().replace("Z", "");
}
