import { readRows } from "@/lib/database/read-rows";
import { Prisma } from "@/lib/generated/prisma/client";
import { decodePathSegment } from "@/lib/navigation";

// A dashboard page about one record, found from its path: the record's table and id.
export type DetailRecord = { table: "Patient" | "Device" | "IngestEvent"; id: string };

// Such a page streams under the dashboard's loading boundary before it looks its record up, so its notFound() came
// after the status was sent (200, with the not-found text). The proxy looks the record up first and answers 404.
const DETAIL_ROUTES: { pattern: RegExp; table: DetailRecord["table"] }[] = [
  { pattern: /^\/patients\/(?!new\/?$)([^/]+)(?:\/(?:vitals|edit))?\/?$/, table: "Patient" },
  { pattern: /^\/emergency-access\/([^/]+)\/?$/, table: "Patient" },
  { pattern: /^\/devices\/([^/]+)\/?$/, table: "Device" },
  { pattern: /^\/admin\/ingest\/events\/([^/]+)\/?$/, table: "IngestEvent" },
];

export function detailRecordOf(pathname: string): DetailRecord | null {
  for (const route of DETAIL_ROUTES) {
    const segment = route.pattern.exec(pathname)?.[1];
    if (segment) return { table: route.table, id: decodePathSegment(segment) };
  }
  return null;
}

// An ingest event's id as a page's path gives it: digits that fit its bigint, else null (no such event).
export function ingestEventIdOf(segment: string): bigint | null {
  return /^\d{1,18}$/.test(segment) ? BigInt(segment) : null;
}

export async function detailRecordExists(record: DetailRecord): Promise<boolean> {
  if (record.table === "IngestEvent") {
    const id = ingestEventIdOf(record.id);
    return id !== null && (await readRows(Prisma.sql`SELECT 1 FROM "IngestEvent" WHERE id = ${id}`)).length > 0;
  }
  return (await readRows(Prisma.sql`SELECT 1 FROM ${Prisma.raw(`"${record.table}"`)} WHERE id = ${record.id}`)).length > 0;
}
