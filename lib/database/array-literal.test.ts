import { describe, expect, it } from "vitest";

import { bigintArrayLiteral, textArrayLiteral } from "@/lib/database/array-literal";
import { db } from "@/lib/db";

describe("array literals", () => {
  it("round-trip through PostgreSQL unchanged, quotes, backslashes, commas and braces included", async () => {
    const values = ["plain", 'with "quotes"', "back\\slash", "a,b", "{braces}", "", "NULL", " spaced "];
    const rows = await db.$queryRaw<{ value: string }[]>`SELECT unnest(${textArrayLiteral(values)}::text[]) AS value`;
    expect(rows.map((row) => row.value)).toEqual(values);
  });

  it("carries bigint ids, and an empty list matches nothing", async () => {
    const ids = [1n, 9007199254740993n, 42n];
    const rows = await db.$queryRaw<{ id: bigint }[]>`SELECT unnest(${bigintArrayLiteral(ids)}::bigint[]) AS id`;
    expect(rows.map((row) => row.id)).toEqual(ids);
    const none = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM unnest(${bigintArrayLiteral([])}::bigint[])`;
    expect(none[0]?.n).toBe(0n);
  });
});
