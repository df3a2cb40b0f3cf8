import pg from "pg";
import type { TestProject } from "vitest/node";

import { resolveDatabase, type DatabaseTarget } from "@/lib/database/connection";
import { applyMigrations } from "@/lib/database/migrate";
import { assertLocalDatabase, withDatabaseName } from "@/tests/database-url";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    serverUrl: string;
  }
}

let server: DatabaseTarget | undefined;

// One fresh, migrated database per run, on the embedded cluster or on the server DATABASE_URL names.
export async function setup(project: TestProject) {
  server = await resolveDatabase({ dataDir: ".data/postgres-test", port: Number(process.env.TEST_POSTGRES_PORT ?? 54339), database: "postgres" });
  assertLocalDatabase(server.url);
  const name = `pulseboard_test_${process.pid}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = withDatabaseName(server.url, name);
  await applyMigrations(databaseUrl);
  project.provide("databaseUrl", databaseUrl);
  project.provide("serverUrl", server.url);
  return async () => {
    const cleanup = new pg.Client({ connectionString: server?.url });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
    await server?.stop();
  };
}
