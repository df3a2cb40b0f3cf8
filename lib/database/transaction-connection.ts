import { AsyncLocalStorage } from "node:async_hooks";

import type pg from "pg";

import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Prisma's transaction client (the `tx` of $transaction).
export type TransactionClient = Parameters<Parameters<Database["$transaction"]>[0]>[0];

// The pg connection a Prisma interactive transaction runs on, for statements sent on it directly.
export type TransactionConnection = pg.PoolClient;

type Slot = { connection: TransactionConnection | null };

const slots = new AsyncLocalStorage<Slot>();

// Lets transactionWithConnection find the connection Prisma's adapter takes for a transaction. @prisma/adapter-pg
// opens an interactive transaction with the pool's promise form of connect() (and nothing else calls that form: pg's
// own pool.query connects with a callback), so the first such connect inside transactionWithConnection's async
// context is that transaction's connection.
export function shareTransactionConnections(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  const connectSharing = (...args: unknown[]): unknown => {
    if (args.length > 0) return connect(...args);
    return (connect() as Promise<TransactionConnection>).then((connection) => {
      const slot = slots.getStore();
      if (slot && slot.connection === null) slot.connection = connection;
      return connection;
    });
  };
  pool.connect = connectSharing as pg.Pool["connect"];
}

// Prisma's interactive transaction plus the pg connection it runs on. Statements with large parameters or results
// go through the connection: Prisma's client engine copies every parameter through its query compiler and builds
// every result row generically (a 500 KB JSON parameter cost ~17 ms of CPU through $queryRaw and ~2 ms through pg;
// each small statement ~0.8 ms against ~0.1). Both run in the same transaction, one statement at a time: call the
// connection only between awaited Prisma calls, never beside one in flight.
export async function transactionWithConnection<T>(
  client: Database,
  work: (tx: TransactionClient, connection: TransactionConnection) => Promise<T>,
  options: { maxWait?: number; timeout?: number } = {},
): Promise<T> {
  const slot: Slot = { connection: null };
  return slots.run(slot, () =>
    client.$transaction(async (tx) => {
      if (slot.connection === null) {
        throw new AppError("CONFIGURATION", "The transaction's connection is unknown: the client's pool was not passed to shareTransactionConnections.");
      }
      return work(tx, slot.connection);
    }, options),
  );
}
