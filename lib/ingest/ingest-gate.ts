import { createGate, type Gate, type GateSettings } from "@/lib/gate";
import { INGEST_DB_TIMEOUTS } from "@/lib/ingest/ingest-db";

// How many receiver database steps run at once, how many may wait, and for how long.
export type IngestGateSettings = Omit<GateSettings, "busyMessage">;
export type IngestGate = Gate;

// As many at once as the receivers' pool has connections (lib/ingest/ingest-db.ts), so a request never waits for a
// connection inside the pool (whose short timeout answers 503); the rest queue here, in arrival order.
export const INGEST_GATE_DEFAULTS: IngestGateSettings = {
  concurrency: INGEST_DB_TIMEOUTS.maxConnections,
  maxQueued: 512,
  // Below the 30 s most HTTP clients give a request: past it the sender has likely given up anyway.
  maxWaitMs: 25_000,
  retryAfterSeconds: 5,
};

// The receivers' gate: an overloaded receiver asks the vendor to retry.
export function createIngestGate(overrides: Partial<IngestGateSettings> = {}): IngestGate {
  return createGate({
    ...INGEST_GATE_DEFAULTS,
    ...overrides,
    busyMessage: (reason) => `The receiver is overloaded (${reason}); the delivery was not stored. Retry later.`,
  });
}
