// A PostgreSQL array literal of text values, to send a long id list as ONE query parameter (`= ANY($1::text[])`).
// Prisma's engine handles every element of an array parameter, and every value of an `in` list, on its own, which
// for the thousands of ids of a push batch costs more CPU than the query.
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

// The same for bigint ids (digits need no quoting).
export function bigintArrayLiteral(values: readonly bigint[]): string {
  return `{${values.join(",")}}`;
}
