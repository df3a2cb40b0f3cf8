import { execFileSync } from "node:child_process";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";

import { applyMigrations, readMigrations } from "@/lib/database/migrate";
import { snapshotSchema } from "@/lib/database/schema-snapshot";
import { withDatabaseName } from "@/tests/database-url";

const serverUrl = inject("serverUrl");
const created: string[] = [];

async function freshDatabase(label: string): Promise<string> {
  const name = `pb_${label}_${process.pid}_${created.length}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  created.push(name);
  return withDatabaseName(serverUrl, name);
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await withClient(serverUrl, async (admin) => {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
});

describe("migrations", () => {
  it("produce exactly the schema in prisma/schema.prisma (no drift)", async () => {
    const migrated = await freshDatabase("migrated");
    await applyMigrations(migrated);
    const fromSchema = await freshDatabase("schema");
    const sql = execFileSync(
      "npx",
      ["prisma", "migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { env: { ...process.env, DATABASE_URL: fromSchema }, encoding: "utf8" },
    );
    await withClient(fromSchema, (c) => c.query(sql));
    const [expected, actual] = await Promise.all([withClient(fromSchema, snapshotSchema), withClient(migrated, snapshotSchema)]);
    expect(actual.columns.length).toBeGreaterThan(50);
    expect(actual).toEqual(expected);
  });

  it("are recorded in _prisma_migrations as Prisma records them, and a second run applies nothing", async () => {
    const url = await freshDatabase("idempotent");
    const first = await applyMigrations(url);
    const migrations = await readMigrations();
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await applyMigrations(url);
    expect(second.applied).toEqual([]);
    const rows = await withClient(url, (c) =>
      c.query(`SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`),
    );
    expect(rows.rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.rolled_back_at])).toEqual(
      migrations.map((m) => [m.name, m.checksum, 1, null]),
    );
    expect(rows.rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  it("are applied once when several processes start at the same moment", async () => {
    const url = await freshDatabase("concurrent");
    const results = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);
    const total = results.reduce((sum, r) => sum + r.applied.length, 0);
    expect(total).toBe((await readMigrations()).length);
    const count = await withClient(url, (c) => c.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`));
    expect(count.rows[0].n).toBe(total);
  });
});
