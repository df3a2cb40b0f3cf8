import { describe, expect, it } from "vitest";

import { queryRows } from "@/lib/database/query-rows";
import { transactionWithConnection } from "@/lib/database/transaction-connection";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

const KEY = "test:transaction-connection";

describe("transactionWithConnection", () => {
  it("hands out the connection Prisma's transaction runs on: same transaction, same commit, same rollback", async () => {
    const seen = await transactionWithConnection(db, async (tx, connection) => {
      const [viaPrisma] = await tx.$queryRaw<{ txid: bigint }[]>`SELECT txid_current() AS txid`;
      const [viaConnection] = await queryRows<{ txid: bigint }>(connection, Prisma.sql`SELECT txid_current() AS txid`);
      await queryRows(connection, Prisma.sql`INSERT INTO "SyncCursor" (key, value, "updatedAt") VALUES (${`${KEY}:kept`}, 'x', now())`);
      const visibleToPrisma = await tx.syncCursor.count({ where: { key: `${KEY}:kept` } });
      return { viaPrisma: viaPrisma?.txid, viaConnection: viaConnection?.txid, visibleToPrisma };
    });
    expect(seen.viaConnection).toBe(seen.viaPrisma);
    expect(seen.visibleToPrisma).toBe(1);
    expect(await db.syncCursor.count({ where: { key: `${KEY}:kept` } })).toBe(1);

    await expect(
      transactionWithConnection(db, async (tx, connection) => {
        await queryRows(connection, Prisma.sql`INSERT INTO "SyncCursor" (key, value, "updatedAt") VALUES (${`${KEY}:undone`}, 'x', now())`);
        await tx.syncCursor.create({ data: { key: `${KEY}:undone-too`, value: "x" } });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await db.syncCursor.count({ where: { key: { in: [`${KEY}:undone`, `${KEY}:undone-too`] } } })).toBe(0);
  });

  it("gives concurrent transactions their own connections, also when they open other transactions inside", async () => {
    const backend = (connection: Parameters<Parameters<typeof transactionWithConnection>[1]>[1]) =>
      queryRows<{ pid: number }>(connection, Prisma.sql`SELECT pg_backend_pid() AS pid`).then((rows) => rows[0]?.pid);
    const runs = await Promise.all(
      [0, 1, 2].map(() =>
        transactionWithConnection(db, async (tx, connection) => {
          const [prismaSide] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          // A separate transaction opened inside must not take this one's place.
          await db.$transaction((inner) => inner.$queryRaw`SELECT 1`);
          await db.syncCursor.count();
          return { prismaSide: prismaSide?.pid, connectionSide: await backend(connection) };
        }),
      ),
    );
    for (const run of runs) expect(run.connectionSide).toBe(run.prismaSide);
    expect(new Set(runs.map((run) => run.connectionSide)).size).toBe(3);
  });
});
