import path from "node:path";
import pg from "pg";

import { startEmbeddedPostgres } from "@/lib/database/embedded";
import { applyMigrations } from "@/lib/database/migrate";
import { withDatabaseName } from "@/tests/database-url";

// The benchmark's own database: an embedded cluster in .data/postgres-bench by default, or `pulseboard_bench` on
// the server DATABASE_URL names (BENCH_DATABASE_NAME picks another, so runs on one shared server stay apart).
// Never the dashboard's or the tests' database.
export const BENCH_DATABASE_NAME = benchDatabaseName(process.env.BENCH_DATABASE_NAME);
export const BENCH_DATA_DIR = path.resolve(process.cwd(), ".data/postgres-bench");

function benchDatabaseName(raw: string | undefined): string {
  const name = raw?.trim() || "pulseboard_bench";
  // The name is spliced into CREATE/DROP DATABASE, so only a plain identifier is accepted.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`BENCH_DATABASE_NAME must be a lower-case identifier, got "${name}".`);
  return name;
}

// The embedded bench cluster's server settings. PostgreSQL's defaults (128 MB of shared buffers, a checkpoint every
// 1 GB of WAL) are sized for a small machine; a 10-million-reading clinic on a server with gigabytes of memory runs
// with settings like these, and the raw-INSERT baseline gets them too. A DATABASE_URL server keeps its own; the
// report prints both either way.
export const BENCH_POSTGRES_SETTINGS: Record<string, string> = { shared_buffers: "2GB", max_wal_size: "8GB", checkpoint_timeout: "15min", wal_buffers: "64MB" };

// Where the benchmark database lives and how to reach its server.
export type BenchDatabase = { url: string; serverUrl: string; isEmbedded: boolean; stop: () => Promise<void> };

// Starts (or connects to) the server and makes sure the bench database exists and is migrated.
export async function openBenchDatabase(embeddedPort: number): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL?.trim();
  let database: BenchDatabase;
  if (external) {
    await ensureDatabase(external, BENCH_DATABASE_NAME);
    database = { url: withDatabaseName(external, BENCH_DATABASE_NAME), serverUrl: external, isEmbedded: false, stop: async () => undefined };
  } else {
    const embedded = await startEmbeddedPostgres({ dataDir: BENCH_DATA_DIR, port: embeddedPort, database: BENCH_DATABASE_NAME, settings: BENCH_POSTGRES_SETTINGS });
    database = { url: embedded.url, serverUrl: withDatabaseName(embedded.url, "postgres"), isEmbedded: true, stop: embedded.stop };
  }
  await applyMigrations(database.url);
  return database;
}

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, async (admin) => {
    const existing = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (existing.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  });
}

// Drops and recreates the bench database (a size change or an interrupted generation), then migrates it.
export async function recreateBenchDatabase(database: BenchDatabase): Promise<void> {
  await withClient(database.serverUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DATABASE_NAME}`);
  });
  await applyMigrations(database.url);
}

// Runs `run` with a connected client and always closes it.
export async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
