import type { TransactionClient, TransactionConnection } from "@/lib/database/transaction-connection";

// The transaction client processing runs in (lib/db.ts's client, inside $transaction).
export type IngestTx = TransactionClient;

// How a reading reached us; Reading.arrival.
export type Arrival = "push" | "webhook" | "backfill" | "poll";

// What one processing run did, for the HTTP answer, logs and tests (ids and counts only, never values).
export type ProcessCounts = {
  records: number;
  recordsCreated: number;
  recordsUpdated: number;
  duplicatesSuppressed: number;
  recordsDeleted: number;
  readingsCreated: number;
  readingsUpdated: number;
  readingsRemoved: number;
  unmatchedReadings: number;
  statusUpdates: number;
  replacements: number;
  skipped: number;
};

// The first and last measurement time seen for a device in this run, applied to the device at the end.
export type DeviceActivity = { earliest: Date; latest: Date };

// State shared by the steps of one processing run.
export type ProcessContext = {
  tx: IngestTx;
  // The same transaction's pg connection, for the set-based statements with large parameters or results.
  sql: TransactionConnection;
  eventId: bigint;
  // When the delivery arrived: the time given to status changes the vendor sent without one.
  receivedAt: Date;
  arrival: Arrival;
  // A replay after a mapping fix: records whose content (checksum) is unchanged are re-derived all the same.
  force: boolean;
  counts: ProcessCounts;
  notes: string[];
  activity: Map<string, DeviceActivity>;
  // Readings this run inserted or changed, handed to onReadingsStored listeners once the transaction commits.
  storedReadingIds: bigint[];
};

// Counts at zero, for a new run.
export function emptyCounts(): ProcessCounts {
  return {
    records: 0,
    recordsCreated: 0,
    recordsUpdated: 0,
    duplicatesSuppressed: 0,
    recordsDeleted: 0,
    readingsCreated: 0,
    readingsUpdated: 0,
    readingsRemoved: 0,
    unmatchedReadings: 0,
    statusUpdates: 0,
    replacements: 0,
    skipped: 0,
  };
}

// Remembers that a device measured at `measuredAt` (first/last reading, lifecycle; see device-effects.ts).
export function noteDeviceActivity(ctx: ProcessContext, deviceId: string, measuredAt: Date) {
  const current = ctx.activity.get(deviceId);
  if (!current) {
    ctx.activity.set(deviceId, { earliest: measuredAt, latest: measuredAt });
    return;
  }
  if (measuredAt < current.earliest) current.earliest = measuredAt;
  if (measuredAt > current.latest) current.latest = measuredAt;
}
