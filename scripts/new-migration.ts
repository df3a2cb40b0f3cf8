// Generates a Prisma migration folder for the change to prisma/schema.prisma since a git revision (default HEAD).
// Usage: npm run db:migration -- <snake_case_name> [git-rev]
// Prisma's schema engine cannot introspect PostgreSQL through the pg adapter (prisma/orm#27403), so the diff is
// schema-to-schema; the drift test (lib/database/migrate.test.ts) proves the folders still add up to the schema.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { resolveDatabase } from "@/lib/database/connection";
import { MIGRATIONS_DIR } from "@/lib/database/migrate";

const [name, revision = "HEAD"] = process.argv.slice(2);
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <snake_case_name> [git-rev]");
  process.exit(1);
}

const hasMigrations = existsSync(MIGRATIONS_DIR) && readdirSync(MIGRATIONS_DIR).some((f) => /^\d/.test(f));
const fromArgs = hasMigrations ? ["--from-schema-datamodel", previousSchema(revision)] : ["--from-empty"];
// The CLI's adapter must reach a server even for a schema-to-schema diff.
const database = await resolveDatabase();
try {
  const sql = prismaDiff(fromArgs, database.url);
  if (sql.includes("-- This is an empty migration.")) {
    console.log("prisma/schema.prisma has no change to migrate.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "migration.sql"), sql);
    console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql`);
  }
} finally {
  await database.stop();
}

// Renders the SQL that turns one schema into prisma/schema.prisma.
export function prismaDiff(from: string[], databaseUrl: string): string {
  const args = ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"];
  return execFileSync("npx", args, { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" });
}

function previousSchema(rev: string): string {
  const file = path.join(tmpdir(), `pulseboard-schema-${rev.replace(/\W/g, "_")}.prisma`);
  writeFileSync(file, execFileSync("git", ["show", `${rev}:prisma/schema.prisma`], { encoding: "utf8" }));
  return file;
}
