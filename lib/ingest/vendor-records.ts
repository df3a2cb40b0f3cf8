import { createHash, randomUUID } from "node:crypto";

import { queryRows } from "@/lib/database/query-rows";
import type { TransactionConnection } from "@/lib/database/transaction-connection";
import { Prisma, type Vendor } from "@/lib/generated/prisma/client";
import type { IngestTx } from "@/lib/ingest/process-context";

// A vendor record as we are about to store it.
export type VendorRecordInput = {
  vendor: Vendor;
  vendorRecordId: string;
  recordType: string;
  checksum: string;
  patientId: string | null;
  deviceId: string | null;
  startTime: Date | null;
  payload: Prisma.InputJsonValue;
  deletedAt: Date | null;
  // Where the payload is stored already, as it is: element `index` of the `data` array of the ingest event being
  // processed. claimNewVendorRecords then copies it from there instead of sending it to PostgreSQL again.
  storedAt?: { eventId: bigint; index: number };
};

// The parts of a stored record an update compares with and keeps.
export type StoredVendorRecord = {
  id: string;
  checksum: string | null;
  payload: Prisma.JsonValue;
  patientId: string | null;
  deviceId: string | null;
  deletedAt: Date | null;
};

// New (just inserted) or existing (now locked by this transaction).
export type RecordClaim = { isNew: true } | { isNew: false; existing: StoredVendorRecord };

// Inserts the record if (vendor, record id) is new; otherwise locks the stored row (FOR UPDATE) and returns it.
// Either way the caller then owns this record until its transaction ends, so concurrent deliveries of the same
// record are applied one after the other and never both insert its readings.
export async function claimVendorRecord(tx: IngestTx, input: VendorRecordInput): Promise<RecordClaim> {
  const { count } = await tx.vendorRecord.createMany({ data: [input], skipDuplicates: true });
  if (count === 1) return { isNew: true };
  await tx.$queryRaw`SELECT id FROM "VendorRecord" WHERE vendor = ${input.vendor}::"Vendor" AND "vendorRecordId" = ${input.vendorRecordId} FOR UPDATE`;
  const existing = await tx.vendorRecord.findUniqueOrThrow({
    where: { vendor_vendorRecordId: { vendor: input.vendor, vendorRecordId: input.vendorRecordId } },
    select: { id: true, checksum: true, payload: true, patientId: true, deviceId: true, deletedAt: true },
  });
  return { isNew: false, existing };
}

// Inserts every record whose (vendor, record id) is new, in the given order (so concurrent batches lock shared
// records in the same order), and returns the ids inserted: the caller now owns those records, as after
// claimVendorRecord. The rows travel as one JSON parameter unpacked by jsonb_to_recordset (as column arrays,
// PostgreSQL spent ~45 ms more per 1,000 records parsing the escaped jsonb[] literal), on the transaction's own
// connection (through Prisma the parameter alone cost more CPU than the rest of the batch). A payload already in the
// ingest event (storedAt) is copied from there: sending a push batch's records again cost PostgreSQL ~25 ms per
// 1,000 to parse. Ids are time-ordered UUIDs (opaque, as Prisma's cuids are); timestamps travel as ISO text, UTC as
// Prisma stores them.
export async function claimNewVendorRecords(sql: TransactionConnection, inputs: VendorRecordInput[]): Promise<Set<string>> {
  if (inputs.length === 0) return new Set();
  const rows = inputs.map((input) => ({
    id: timeOrderedId(),
    vendor: input.vendor,
    record_id: input.vendorRecordId,
    record_type: input.recordType,
    checksum: input.checksum,
    patient_id: input.patientId,
    device_id: input.deviceId,
    start_time: input.startTime,
    payload: input.storedAt ? null : input.payload,
    deleted_at: input.deletedAt,
    event_id: input.storedAt?.eventId.toString() ?? null,
    element: input.storedAt?.index ?? null,
  }));
  const eventIds = [...new Set(inputs.flatMap((input) => (input.storedAt ? [input.storedAt.eventId] : [])))];
  const now = new Date();
  const inserted = await queryRows<{ vendorRecordId: string }>(sql, Prisma.sql`
    WITH stored AS (
      SELECT e.id AS event_id, el.ord - 1 AS element, el.value
        FROM "IngestEvent" e CROSS JOIN LATERAL jsonb_array_elements(e.payload->'data') WITH ORDINALITY AS el(value, ord)
       WHERE e.id = ANY(${eventIds}::bigint[]))
    INSERT INTO "VendorRecord" (id, vendor, "vendorRecordId", "recordType", checksum, "patientId", "deviceId", "startTime", payload, "deletedAt", "createdAt", "updatedAt")
    SELECT r.id, r.vendor::"Vendor", r.record_id, r.record_type, r.checksum, r.patient_id, r.device_id, r.start_time, COALESCE(r.payload, s.value), r.deleted_at,
           ${now}::timestamp(3), ${now}::timestamp(3)
      FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             AS (id text, vendor text, record_id text, record_type text, checksum text, patient_id text, device_id text,
                 start_time timestamp(3), payload jsonb, deleted_at timestamp(3), event_id bigint, element bigint))
           WITH ORDINALITY AS r(id, vendor, record_id, record_type, checksum, patient_id, device_id, start_time, payload, deleted_at, event_id, element, ord)
      LEFT JOIN stored s ON s.event_id = r.event_id AND s.element = r.element
     ORDER BY r.ord
    ON CONFLICT DO NOTHING
    RETURNING "vendorRecordId"`);
  return new Set(inserted.map((row) => row.vendorRecordId));
}

// A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, the version and variant, then random bits. Records stored
// together get neighbouring ids, so the primary-key index grows at one edge instead of dirtying a random page per
// record (after each checkpoint, every page first touched costs a full 8 KB image in the WAL). The random bits come
// from randomUUID (a v4, whose version and variant positions are v7's too), which draws entropy for many ids at once
// where randomBytes asked the system for every id.
export function timeOrderedId(now = Date.now()): string {
  const random = randomUUID();
  const time = now.toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}

// Replaces a claimed record's content; attribution already made is kept unless it was missing.
export async function updateVendorRecord(tx: IngestTx, existing: StoredVendorRecord, input: VendorRecordInput): Promise<void> {
  await tx.vendorRecord.update({
    where: { id: existing.id },
    data: {
      recordType: input.recordType,
      checksum: input.checksum,
      startTime: input.startTime,
      payload: input.payload,
      deletedAt: input.deletedAt,
      patientId: existing.patientId ?? input.patientId,
      deviceId: existing.deviceId ?? input.deviceId,
    },
  });
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

// A checksum of JSON content that ignores key order, for records whose vendor sends none.
export function contentChecksum(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(canonical(value))).digest("hex");
}
