import { afterAll, beforeAll, describe, expect, it } from "vitest";

import pg from "pg";

import { queryRows } from "@/lib/database/query-rows";
import { readRows } from "@/lib/database/read-rows";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { createPatient, createReading } from "@/tests/factories";

describe("readRows", () => {
  // In a zone other than UTC, so that reading a zone-less timestamp as local time (pg's default) would show.
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = "America/New_York";
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("returns what $queryRaw returns for the same statement: UTC instants, dates, bigints, arrays, floats, nulls, booleans and JSON", async () => {
    const patient = await createPatient({ dateOfBirth: new Date("1961-07-04T00:00:00Z"), smsConsent: true });
    const measuredAt = new Date("2026-03-08T06:30:15.123Z");
    await createReading(patient.id, { measuredAt, value: 98.6, value2: null, metric: "body_temperature", unit: "°F", flags: ["irregular", "retest"], utcOffsetSeconds: -18_000 });
    const query = Prisma.sql`
      SELECT p."dateOfBirth", p."smsConsent", p."createdAt", r.id, r.value, r.value2, r.flags, r."measuredAt", r."utcOffsetSeconds", r."deletedAt",
             jsonb_build_object('unit', r.unit, 'n', 2) AS extra
        FROM "Patient" p JOIN "Reading" r ON r."patientId" = p.id
       WHERE p.id = ${patient.id} AND r."measuredAt" >= ${new Date(measuredAt.getTime() - 1)} AND r."measuredAt" <= ${measuredAt}`;
    const rows = await readRows<Record<string, unknown>>(query);
    expect(rows).toEqual(await db.$queryRaw<Record<string, unknown>[]>(query));
    expect(rows).toEqual([
      expect.objectContaining({
        dateOfBirth: new Date("1961-07-04T00:00:00Z"),
        smsConsent: true,
        id: expect.any(BigInt),
        value: 98.6,
        value2: null,
        flags: ["irregular", "retest"],
        measuredAt,
        utcOffsetSeconds: -18_000,
        deletedAt: null,
        extra: { unit: "°F", n: 2 },
      }),
    ]);
    // A bigint parameter is compared as a number.
    const [row] = rows;
    expect(await readRows(Prisma.sql`SELECT id FROM "Reading" WHERE id = ${row?.id}`)).toEqual([{ id: row?.id }]);
  });

  it("reports an unreachable database as DATABASE_UNAVAILABLE, and passes on a statement the database refused", async () => {
    const closed = new pg.Pool({ connectionString: "postgresql://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 1_000 });
    try {
      await expect(queryRows(closed, Prisma.sql`SELECT 1`)).rejects.toMatchObject({ name: "AppError", code: "DATABASE_UNAVAILABLE" });
    } finally {
      await closed.end();
    }
    await expect(readRows(Prisma.sql`SELECT * FROM "NoSuchTable"`)).rejects.toBeInstanceOf(pg.DatabaseError);
    await expect(readRows(Prisma.sql`SELECT 1 / ${0}::int`)).rejects.toMatchObject({ code: "22012" });
  });
});
