import { csvRow } from "@/lib/audit/csv";
import { auditEventBatches, type AuditFilters, type AuditRow } from "@/lib/queries/audit";

const HEADER = ["id", "time_utc", "actor_id", "actor_name", "actor_role", "action", "outcome", "target_type", "target_id", "patient_id", "source_ip", "request_id", "details"];

function line(row: AuditRow): string {
  return csvRow([
    row.id,
    row.createdAt,
    row.actorId,
    row.actorName,
    row.actorRole,
    row.action,
    row.outcome,
    row.targetType,
    row.targetId,
    row.patientId,
    row.sourceIp,
    row.requestId,
    row.details === null ? null : JSON.stringify(row.details),
  ]);
}

// The matching audit events as a CSV stream: one database batch is read only when the client has taken the last,
// so an export of years of events holds one batch in memory.
export function auditCsvStream(filters: AuditFilters, batchSize?: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = auditEventBatches(filters, batchSize);
  let isHeaderSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!isHeaderSent) {
        isHeaderSent = true;
        controller.enqueue(encoder.encode(csvRow(HEADER)));
        return;
      }
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map(line).join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
