import pg from "pg";

import { databaseUnavailableError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isDatabaseUnavailable } from "@/lib/database/database-errors";

const INT8 = 20;
const DATE = 1082;
const TIMESTAMP = 1114;

// Columns parsed as Prisma's raw queries return them: timestamps without a zone are UTC (pg's default reads them in
// the process's zone), dates are UTC midnights, int8 is a bigint; everything else as pg parses it.
const RESULT_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format !== "binary") {
      if (oid === TIMESTAMP) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
      if (oid === DATE) return (text: string) => new Date(`${text}T00:00:00Z`);
      if (oid === INT8) return (text: string) => BigInt(text);
    }
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

// A parameter as Prisma sends it: an instant as its UTC ISO text (a zone-less timestamp column ignores the "Z", so it
// is compared as UTC, as stored; pg's default would send local time), a bigint as its digits, arrays element by element.
function parameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(parameter);
  return value;
}

// Runs a statement written with Prisma.sql on a pg pool or connection (a transaction's: lib/database/
// transaction-connection.ts) and returns its rows as $queryRaw would. Tests point a pool at a closed port.
export async function queryRows<T>(on: pg.Pool | pg.PoolClient, query: Prisma.Sql): Promise<T[]> {
  try {
    const result = await on.query({ text: query.text, values: query.values.map(parameter), types: RESULT_TYPES });
    return result.rows as T[];
  } catch (error) {
    // Staff see the same retryable 503 message as for Prisma's queries (lib/actions/safe-action.ts).
    if (isDatabaseUnavailable(error)) throw databaseUnavailableError(error);
    throw error;
  }
}
