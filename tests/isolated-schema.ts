import { randomBytes } from "node:crypto";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

class Rollback extends Error {}

// Runs `work` in a transaction that sees private, empty copies of the named tables (same columns, defaults, indexes
// and triggers) ahead of the shared ones, then rolls everything back. Raw SQL with unqualified table names reads the
// copies, so a test can count and page rows without the other test files' data, and leaves nothing behind.
export async function inIsolatedSchema<T>(tables: string[], work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  const schema = `iso_${randomBytes(6).toString("hex")}`;
  let result: { value: T } | null = null;
  try {
    await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`CREATE SCHEMA ${schema}`);
        for (const table of tables) {
          await tx.$executeRawUnsafe(`CREATE TABLE ${schema}."${table}" (LIKE public."${table}" INCLUDING ALL)`);
          await copyTriggers(tx, table, schema);
        }
        await tx.$executeRawUnsafe(`SET LOCAL search_path TO ${schema}, public`);
        result = { value: await work(tx) };
        throw new Rollback();
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  if (!result) throw new Error("isolated-schema work did not finish");
  return (result as { value: T }).value;
}

// The triggers' functions name tables without a schema, so on the copies they read and write the copies too.
async function copyTriggers(tx: Prisma.TransactionClient, table: string, schema: string): Promise<void> {
  const triggers = await tx.$queryRaw<{ definition: string }[]>`
    SELECT pg_get_triggerdef(t.oid) AS definition FROM pg_trigger t WHERE t.tgrelid = ${`public."${table}"`}::regclass AND NOT t.tgisinternal`;
  for (const { definition } of triggers) {
    await tx.$executeRawUnsafe(definition.replace(/ ON (public\.)?"?[A-Za-z]+"? /, ` ON ${schema}."${table}" `));
  }
}
