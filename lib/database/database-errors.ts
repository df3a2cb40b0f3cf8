import pg from "pg";

import { Prisma } from "@/lib/generated/prisma/client";

const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1011", "P1017", "P2024", "P2028"]);
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "DatabaseDoesNotExist",
  "DatabaseAccessDenied",
  "AuthenticationFailed",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TransactionAlreadyClosed",
]);
// SQLSTATE classes for connection trouble (08), operator intervention incl. statement timeout (57), resources (53).
const UNAVAILABLE_SQLSTATE = /^(08|53|57)/;

function adapterCause(error: unknown): Record<string, unknown> | null {
  if (typeof error !== "object" || error === null) return null;
  const meta = (error as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta;
  const cause = meta?.driverAdapterError?.cause ?? (error as { cause?: unknown }).cause;
  return typeof cause === "object" && cause !== null ? (cause as Record<string, unknown>) : null;
}

// Straight from pg (a query on a pool, not through Prisma): the server reported a connection, resource or shutdown
// condition, or there was no answer at all (Node's socket errors, pg's own messages for a dropped connection or a
// pool that timed out waiting for one).
function isDriverOutage(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) return UNAVAILABLE_SQLSTATE.test(error.code ?? "");
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return (typeof code === "string" && /^E[A-Z]+$/.test(code)) || /Connection terminated|timeout exceeded when trying to connect/i.test(error.message);
}

// True when the error says the database could not be reached or did not answer in time (so: 503, try again),
// as opposed to a query the database refused (bad data), which retrying would not fix. Errors from Prisma's client
// and straight from pg alike.
export function isDatabaseUnavailable(error: unknown): boolean {
  if (isDriverOutage(error)) return true;
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError && UNAVAILABLE_PRISMA_CODES.has(error.code)) return true;
  const cause = adapterCause(error);
  if (!cause) return false;
  if (typeof cause.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(cause.kind)) return true;
  return UNAVAILABLE_SQLSTATE.test(sqlState(cause));
}

function sqlState(cause: Record<string, unknown> | null): string {
  if (!cause) return "";
  return typeof cause.originalCode === "string" ? cause.originalCode : typeof cause.code === "string" ? cause.code : "";
}

// The SQLSTATE of an error from Prisma (through the adapter's cause) or straight from pg.
function errorSqlState(error: unknown): string {
  if (error instanceof pg.DatabaseError) return error.code ?? "";
  return sqlState(adapterCause(error));
}

// True when the database refused the value itself (SQLSTATE 22 data exception, 54 program limit exceeded: a string
// jsonb cannot hold, say), so storing the body another way can work. Anything else, a pool that timed out included,
// is an outage: the delivery is refused with a 503, never stored as something it is not.
export function isDataRefusal(error: unknown): boolean {
  return /^(22|54)/.test(errorSqlState(error));
}
