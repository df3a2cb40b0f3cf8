import { createAttributor } from "@/lib/ingest/attribution";
import { applyDeviceActivity } from "@/lib/ingest/device-effects";
import { noteDeviceActivity, type ProcessContext } from "@/lib/ingest/process-context";
import {
  groupMeasurements,
  measurementRecordInput,
  processMeasurementGroup,
  readingsOfRows,
} from "@/lib/ingest/process-tenovi";
import { TENOVI_MEASUREMENT_ASSUMPTIONS, type TenoviMeasurementAssumptions } from "@/lib/ingest/tenovi-readings";
import { insertReadingRows, readingRow, syncReadings, type DerivedReading, type ReadingRow, type ReadingSource } from "@/lib/ingest/readings";
import { claimNewVendorRecords, type VendorRecordInput } from "@/lib/ingest/vendor-records";
import { parseTenoviTimestamp, parseTenoviWebhookBody, type TenoviMeasurement } from "@/lib/vendors/tenovi/webhook-schemas";

// A stored Tenovi webhook delivery as the bulk path takes it.
export type BulkTenoviEvent = { id: bigint; receivedAt: Date; payload: unknown };

// Measurement-only deliveries that parse can go through the bulk path; fulfillment and replacement webhooks (rare,
// one device each) and deliveries that do not parse are processed one by one by processIngestEvent.
export function bulkMeasurements(payload: unknown): TenoviMeasurement[] | null {
  const parsed = parseTenoviWebhookBody(payload);
  if (!parsed.ok) return null;
  const measurements: TenoviMeasurement[] = [];
  for (const entry of parsed.items) {
    if (entry.kind !== "measurement") return null;
    measurements.push(entry.item);
  }
  return measurements;
}

type Contribution = { event: BulkTenoviEvent; rows: TenoviMeasurement[] };

// The record keys of many deliveries, each with the deliveries that carry it, in event order.
function contributionsByKey(events: { event: BulkTenoviEvent; measurements: TenoviMeasurement[] }[]): Map<string, Contribution[]> {
  const byKey = new Map<string, Contribution[]>();
  for (const { event, measurements } of events) {
    for (const [key, rows] of groupMeasurements(measurements)) byKey.set(key, [...(byKey.get(key) ?? []), { event, rows }]);
  }
  return byKey;
}

function eventContext(base: ProcessContext, event: BulkTenoviEvent): ProcessContext {
  // Counts, activity and stored reading ids are shared objects, so every delivery adds to the bulk's totals.
  return { ...base, eventId: event.id, receivedAt: event.receivedAt };
}

// The reading source of a record this bulk round created.
function freshSource(base: ProcessContext, key: string, input: VendorRecordInput): ReadingSource {
  return { vendor: "tenovi", vendorRecordId: key, patientId: input.patientId, deviceId: input.deviceId, arrival: base.arrival, deletedAt: null };
}

// What processing each delivery on its own (processTenoviWebhook, in event id order) stores, for many measurement
// deliveries in one transaction with set-based statements: one lookup each for devices, identities and device
// holders, one INSERT for the new vendor records and one for their readings, one device update. The common record
// (one delivery, not seen before) takes that path; a record several deliveries of the bulk share, or one already
// stored, is applied delivery by delivery (processMeasurementGroup), as one-by-one processing would. The caller
// holds the events' row locks and marks them processed; `base` carries the transaction and collects counts.
export async function processTenoviMeasurementsBulk(
  base: ProcessContext,
  events: { event: BulkTenoviEvent; measurements: TenoviMeasurement[] }[],
  assumptions: TenoviMeasurementAssumptions = TENOVI_MEASUREMENT_ASSUMPTIONS,
): Promise<void> {
  const attributor = createAttributor(base.sql);
  const byKey = contributionsByKey(events);
  const keys = [...byKey.keys()].sort();
  const allRows = events.flatMap(({ measurements }) => measurements);
  await attributor.primeDevicesByVendorId("tenovi", allRows.map((row) => row.hwi_device_id));
  await attributor.primeIdentities("tenovi", allRows.map((row) => row.patient_id));

  // Holders of every device at its measurement time, in one query.
  const single = keys.filter((key) => byKey.get(key)?.length === 1);
  const holderPairs = [];
  for (const key of single) {
    const [first] = byKey.get(key)?.[0]?.rows ?? [];
    const device = first ? await attributor.deviceByVendorId("tenovi", first.hwi_device_id) : null;
    const measuredAt = first ? parseTenoviTimestamp(first.timestamp) : null;
    if (first && device && measuredAt) holderPairs.push({ device, measuredAt });
  }
  await attributor.primeHolders(holderPairs);

  const fresh = new Map<string, { contribution: Contribution; input: VendorRecordInput; readings: DerivedReading[] }>();
  for (const key of single) {
    const contribution = byKey.get(key)?.[0];
    if (!contribution) continue;
    const made = await measurementRecordInput(attributor, key, contribution.rows, contribution.event.receivedAt);
    if (made) fresh.set(key, { contribution, input: made.input, readings: readingsOfRows(made.rows, made.device !== null, assumptions) });
  }
  // In key order, as one-by-one processing locks records.
  const created = await claimNewVendorRecords(base.sql, [...fresh.values()].map((item) => item.input));
  const rows: ReadingRow[] = [];
  for (const [key, item] of fresh) {
    if (!created.has(key)) continue;
    base.counts.records += 1;
    base.counts.recordsCreated += 1;
    for (const reading of item.readings) {
      rows.push(readingRow(freshSource(base, key, item.input), reading, item.contribution.event.id));
      if (item.input.deviceId) noteDeviceActivity(base, item.input.deviceId, reading.measuredAt);
    }
  }
  const { inserted, conflicted } = await insertReadingRows(base.sql, rows);
  base.counts.readingsCreated += inserted.length;
  base.counts.unmatchedReadings += inserted.filter((row) => row.patientId === null).length;
  base.storedReadingIds.push(...inserted.map((row) => row.id));
  // Readings without their record (an earlier run's leftovers): brought in line as one-by-one processing does.
  for (const key of conflicted) {
    const item = fresh.get(key);
    if (item) await syncReadings(eventContext(base, item.contribution.event), freshSource(base, key, item.input), item.readings);
  }

  // Records shared by several deliveries of the bulk, or already stored: delivery by delivery, in event order.
  for (const key of keys) {
    if (created.has(key)) continue;
    for (const contribution of byKey.get(key) ?? []) {
      await processMeasurementGroup(eventContext(base, contribution.event), attributor, key, contribution.rows, assumptions);
    }
  }
  await applyDeviceActivity(base);
}
