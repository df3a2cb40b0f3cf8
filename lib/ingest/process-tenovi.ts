import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createAttributor, type Attributor } from "@/lib/ingest/attribution";
import type { ProcessContext } from "@/lib/ingest/process-context";
import { syncReadings, type DerivedReading } from "@/lib/ingest/readings";
import { applyTenoviFulfillment, applyTenoviReplacement } from "@/lib/ingest/tenovi-device-status";
import { claimVendorRecord, contentChecksum, updateVendorRecord, type VendorRecordInput } from "@/lib/ingest/vendor-records";
import { parseTenoviTimestamp, parseTenoviWebhookBody, type TenoviMeasurement } from "@/lib/vendors/tenovi/webhook-schemas";

// What Tenovi does not publish about its measurements, adopted here as ASSUMPTIONS (vendor-notes §1 "Measurement
// webhook"); one place to change once a real account shows otherwise.
export const TENOVI_MEASUREMENT_ASSUMPTIONS = {
  // ASSUMPTION: timezone_offset is in minutes (stored as seconds in Reading.utcOffsetSeconds).
  timezoneOffsetSecondsPerUnit: 60,
  // ASSUMPTION: thermometers report °F; stored converted to °C, the unit Validic uses.
  temperatureUnit: "F" as "F" | "C",
  // ASSUMPTION: scales report pounds.
  weightUnit: "lb",
};

export type TenoviMeasurementAssumptions = typeof TENOVI_MEASUREMENT_ASSUMPTIONS;

type MetricRule = { metric: string; unit: string; keepValue2: boolean; flags?: string[]; convert?: (value: number) => number };

const fahrenheitToCelsius = (value: number) => Math.round(((value - 32) * 5) / 9 * 100) / 100;

// Tenovi metric → our metric, unit and treatment. Keys are lower-cased (Tenovi writes `spO2`). ASSUMPTION:
// `value_2` of pulse and spO2 is a standard deviation, so it is not stored as a reading value (it stays in the
// vendor record); heart_rate_statistics keeps v1 mean and v2 max. Unknown metrics are kept as sent.
function metricRules(assumptions: TenoviMeasurementAssumptions): Record<string, MetricRule> {
  const isFahrenheit = assumptions.temperatureUnit === "F";
  return {
    blood_pressure: { metric: "blood_pressure", unit: "mmHg", keepValue2: true },
    pulse: { metric: "pulse", unit: "bpm", keepValue2: false },
    spo2: { metric: "spo2", unit: "percent", keepValue2: false },
    perfusion_index: { metric: "perfusion_index", unit: "percent", keepValue2: false },
    weight: { metric: "weight", unit: assumptions.weightUnit, keepValue2: false },
    temperature: { metric: "temperature", unit: "C", keepValue2: false, convert: isFahrenheit ? fahrenheitToCelsius : undefined },
    glucose: { metric: "blood_glucose", unit: "mg/dL", keepValue2: false },
    blood_glucose: { metric: "blood_glucose", unit: "mg/dL", keepValue2: false },
    // Not a vital sign: kept for device health, flagged so it never bills or alerts as one.
    battery_percentage: { metric: "battery_percentage", unit: "percent", keepValue2: false, flags: ["non_vital"] },
    irregular_heartbeat: { metric: "irregular_heartbeat", unit: "count", keepValue2: false },
    steps: { metric: "steps", unit: "steps", keepValue2: false },
    heart_rate_statistics: { metric: "heart_rate_statistics", unit: "bpm", keepValue2: true },
    sleep: { metric: "sleep", unit: "hours", keepValue2: false },
    peak_expiratory_flow: { metric: "peak_expiratory_flow", unit: "L/min", keepValue2: false },
    forced_expiratory_volume: { metric: "forced_expiratory_volume", unit: "L", keepValue2: false },
  };
}

// The key that pairs the rows of one measurement (a BPM's blood_pressure and pulse): device, device time and
// measurement index; never arrival order. Also the readings' vendorRecordId. The timestamp is normalised to ISO
// UTC so the webhook and the measurements API (backfill) produce the same key.
export function tenoviRecordKey(row: TenoviMeasurement): string {
  const at = parseTenoviTimestamp(row.timestamp);
  const index = row.filter_params?.measurement_index ?? 0;
  return `${row.hwi_device_id}:${at ? at.toISOString() : row.timestamp}:${index}`;
}

// The reading one measurement row gives.
export function deriveTenoviReading(row: TenoviMeasurement, isKnownDevice: boolean, assumptions = TENOVI_MEASUREMENT_ASSUMPTIONS): DerivedReading {
  const rules = metricRules(assumptions);
  const rule: MetricRule = rules[row.metric.toLowerCase()] ?? { metric: row.metric, unit: "unknown", keepValue2: true };
  const convert = rule.convert ?? ((value: number) => value);
  const measuredAt = parseTenoviTimestamp(row.timestamp);
  if (!measuredAt) throw new AppError("INVALID_INPUT", "Tenovi measurement without a valid timestamp.");
  const offset = row.timezone_offset;
  const flags = [...(rule.flags ?? []), ...(isKnownDevice ? [] : ["unknown_device"]), ...(row.estimated_timestamp ? ["estimated_time"] : [])];
  return {
    metric: rule.metric,
    value: convert(row.value_1),
    value2: rule.keepValue2 && row.value_2 !== null ? convert(row.value_2) : null,
    unit: rule.unit,
    measuredAt,
    utcOffsetSeconds: offset === null ? null : Math.round(offset * assumptions.timezoneOffsetSecondsPerUnit),
    origin: "device",
    flags,
    mealContext: null,
  };
}

function rowsOf(payload: Prisma.JsonValue): Record<string, unknown>[] {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return [];
  const rows = (payload as { rows?: unknown }).rows;
  return Array.isArray(rows) ? rows.filter((row): row is Record<string, unknown> => typeof row === "object" && row !== null) : [];
}

// Rows of one measurement, one per metric (a later row for the same metric replaces the earlier), sorted by metric.
function mergeRows(existing: Record<string, unknown>[], incoming: TenoviMeasurement[]): Record<string, unknown>[] {
  const byMetric = new Map<string, Record<string, unknown>>();
  for (const row of [...existing, ...incoming]) if (typeof row.metric === "string") byMetric.set(row.metric.toLowerCase(), row);
  return [...byMetric.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
}

// The inputs a measurement record is created from: what one webhook (or one event's rows) says about it.
export async function measurementRecordInput(
  attributor: Attributor,
  key: string,
  incoming: TenoviMeasurement[],
  receivedAt: Date,
): Promise<{ input: VendorRecordInput; rows: Record<string, unknown>[]; device: { id: string } | null } | null> {
  const [first] = incoming;
  if (!first) return null;
  const measuredAt = parseTenoviTimestamp(first.timestamp) ?? receivedAt;
  // By hwi_device_id (the patient holding it then), else by the patient's external_id; never by gateway id alone.
  const device = await attributor.deviceByVendorId("tenovi", first.hwi_device_id);
  const externalId = incoming.find((row) => row.patient_id)?.patient_id;
  const patientId = (device ? await attributor.patientForDevice(device, measuredAt) : null) ?? (await attributor.patientByIdentity("tenovi", externalId));
  const rows = mergeRows([], incoming);
  const input: VendorRecordInput = {
    vendor: "tenovi",
    vendorRecordId: key,
    recordType: "measurement",
    checksum: contentChecksum(rows),
    patientId,
    deviceId: device?.id ?? null,
    startTime: measuredAt,
    payload: { rows } as Prisma.InputJsonValue,
    deletedAt: null,
  };
  return { input, rows, device };
}

// The readings a record's (merged) rows give. Rows stored earlier were validated then; they are parsed again so a
// reading never comes from an unchecked shape.
export function readingsOfRows(rows: Record<string, unknown>[], isKnownDevice: boolean, assumptions = TENOVI_MEASUREMENT_ASSUMPTIONS): DerivedReading[] {
  return rows.flatMap((row) => {
    const parsed = parseTenoviWebhookBody(row);
    const item = parsed.ok ? parsed.items[0] : undefined;
    return item?.kind === "measurement" ? [deriveTenoviReading(item.item, isKnownDevice, assumptions)] : [];
  });
}

// One measurement record of one delivery: created, or merged into the stored record (a later row for a metric
// replaces the earlier), and its readings brought in line. The record's row lock orders concurrent deliveries.
export async function processMeasurementGroup(
  ctx: ProcessContext,
  attributor: Attributor,
  key: string,
  incoming: TenoviMeasurement[],
  assumptions: TenoviMeasurementAssumptions,
): Promise<void> {
  const made = await measurementRecordInput(attributor, key, incoming, ctx.receivedAt);
  if (!made) return;
  const { input, rows, device } = made;
  ctx.counts.records += 1;
  const claim = await claimVendorRecord(ctx.tx, input);
  let merged = rows;
  if (!claim.isNew) {
    merged = mergeRows(rowsOf(claim.existing.payload), incoming);
    const checksum = contentChecksum(merged);
    // A replay (force) re-derives an unchanged record: the point of replaying is a changed mapping.
    if (checksum === claim.existing.checksum && !ctx.force) {
      ctx.counts.duplicatesSuppressed += 1;
      return;
    }
    await updateVendorRecord(ctx.tx, claim.existing, { ...input, checksum, payload: { rows: merged } as Prisma.InputJsonValue });
    ctx.counts.recordsUpdated += 1;
  } else {
    ctx.counts.recordsCreated += 1;
  }
  await syncReadings(
    ctx,
    {
      vendor: "tenovi",
      vendorRecordId: key,
      patientId: claim.isNew ? input.patientId : (claim.existing.patientId ?? input.patientId),
      deviceId: claim.isNew ? input.deviceId : (claim.existing.deviceId ?? input.deviceId),
      arrival: ctx.arrival,
      deletedAt: null,
    },
    readingsOfRows(merged, device !== null, assumptions),
  );
}

// Measurements of one delivery grouped into records by tenoviRecordKey, in arrival order within a record.
export function groupMeasurements(measurements: TenoviMeasurement[]): Map<string, TenoviMeasurement[]> {
  const groups = new Map<string, TenoviMeasurement[]>();
  for (const item of measurements) {
    const key = tenoviRecordKey(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

// Processes a stored Tenovi webhook delivery: fulfillment and replacement items first (in the order sent), then
// measurements grouped into records by tenoviRecordKey (in key order, a stable lock order between runs).
export async function processTenoviWebhook(ctx: ProcessContext, payload: unknown, assumptions = TENOVI_MEASUREMENT_ASSUMPTIONS): Promise<void> {
  const parsed = parseTenoviWebhookBody(payload);
  if (!parsed.ok) throw new AppError("INVALID_INPUT", `Stored Tenovi webhook does not parse: ${parsed.error}`);
  const measurements: TenoviMeasurement[] = [];
  for (const entry of parsed.items) {
    if (entry.kind === "fulfillment") await applyTenoviFulfillment(ctx, entry.item);
    else if (entry.kind === "replacement") await applyTenoviReplacement(ctx, entry.item);
    else measurements.push(entry.item);
  }
  const groups = groupMeasurements(measurements);
  const attributor = createAttributor(ctx.tx);
  for (const key of [...groups.keys()].sort()) await processMeasurementGroup(ctx, attributor, key, groups.get(key) ?? [], assumptions);
}
