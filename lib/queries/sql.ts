import type { Prisma } from "@/lib/generated/prisma/client";

// Anything that runs raw SQL: the app's client, or a transaction (tests run list queries inside one).
export type SqlClient = Pick<Prisma.TransactionClient, "$queryRaw">;

// A LIKE/ILIKE pattern matching `term` anywhere, with the user's %, _ and \ taken literally.
export function likeContains(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
