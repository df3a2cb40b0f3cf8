import { queryRows } from "@/lib/database/query-rows";
import { dbPool } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

// Runs a read written with Prisma.sql straight on the pool under Prisma's client. For the reads a page sends on every
// view: through $queryRaw each statement cost ~0.5 ms more CPU (Prisma's engine handles the parameters and every
// value of the result), a quarter of the patient page's own work. Statements inside a transaction go through its
// connection (lib/database/transaction-connection.ts).
export function readRows<T>(query: Prisma.Sql): Promise<T[]> {
  return queryRows<T>(dbPool, query);
}
