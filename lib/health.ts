import pg from "pg";

import { pendingMigrations } from "@/lib/database/migrate";
import { env } from "@/lib/env";

export type Health = { status: "ok" | "degraded"; database: "reachable" | "unreachable"; pendingMigrations: string[] };

// Reports whether the database is reachable and fully migrated, with a short connection timeout.
export async function checkHealth(): Promise<Health> {
  const client = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    const pending = await pendingMigrations(client);
    return { status: pending.length === 0 ? "ok" : "degraded", database: "reachable", pendingMigrations: pending };
  } catch {
    return { status: "degraded", database: "unreachable", pendingMigrations: [] };
  } finally {
    await client.end().catch(() => undefined);
  }
}
