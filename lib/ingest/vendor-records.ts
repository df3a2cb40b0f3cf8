import { createHash, randomUUID } from "node:crypto";

import type { Prisma, Vendor } from "@/lib/generated/prisma/client";
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
// claimVendorRecord. One INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING, since Prisma's createMany costs
// several times the insert for a push batch of records with their payloads. Ids are random UUIDs (opaque, as
// Prisma's cuids are); timestamps travel as ISO text, UTC as Prisma stores them.
export async function claimNewVendorRecords(tx: IngestTx, inputs: VendorRecordInput[]): Promise<Set<string>> {
  if (inputs.length === 0) return new Set();
  const column = <T>(pick: (input: VendorRecordInput) => T) => inputs.map(pick);
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  const now = new Date().toISOString();
  const rows = await tx.$queryRaw<{ vendorRecordId: string }[]>`
    INSERT INTO "VendorRecord" (id, vendor, "vendorRecordId", "recordType", checksum, "patientId", "deviceId", "startTime", payload, "deletedAt", "createdAt", "updatedAt")
    SELECT r.id, r.vendor::"Vendor", r.record_id, r.record_type, r.checksum, r.patient_id, r.device_id, r.start_time, r.payload, r.deleted_at,
           ${now}::timestamp(3), ${now}::timestamp(3)
      FROM unnest(${inputs.map(() => randomUUID())}::text[], ${column((i) => i.vendor)}::text[], ${column((i) => i.vendorRecordId)}::text[],
                  ${column((i) => i.recordType)}::text[], ${column((i) => i.checksum)}::text[], ${column((i) => i.patientId)}::text[],
                  ${column((i) => i.deviceId)}::text[], ${column((i) => iso(i.startTime))}::text[]::timestamp(3)[],
                  ${column((i) => JSON.stringify(i.payload))}::jsonb[], ${column((i) => iso(i.deletedAt))}::text[]::timestamp(3)[])
           WITH ORDINALITY AS r(id, vendor, record_id, record_type, checksum, patient_id, device_id, start_time, payload, deleted_at, ord)
     ORDER BY r.ord
    ON CONFLICT DO NOTHING
    RETURNING "vendorRecordId"`;
  return new Set(rows.map((row) => row.vendorRecordId));
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
