import pg from "pg";

// The database the e2e server uses (scripts/start.ts --e2e): DATABASE_URL's server, or the embedded e2e cluster,
// with the E2E_DATABASE_NAME database on it.
export function e2eDatabaseUrl(): string {
  const server = process.env.DATABASE_URL?.trim() || `postgresql://pulseboard:pulseboard-local@127.0.0.1:${process.env.EMBEDDED_POSTGRES_PORT ?? 54349}/postgres`;
  const url = new URL(server);
  url.pathname = `/${process.env.E2E_DATABASE_NAME ?? "pulseboard_e2e"}`;
  return url.toString();
}

// Runs queries against the e2e database, for specs that set up data the UI cannot create yet.
export async function withE2eDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
