import { randomBytes } from "node:crypto";
import type pg from "pg";

import { deriveTenoviReading, tenoviRecordKey } from "@/lib/ingest/tenovi-readings";
import { deriveValidicReadings } from "@/lib/ingest/process-validic";
import type { DerivedReading } from "@/lib/ingest/readings";
import { buildSmartMeterRecord, DEFAULT_SMART_METER_MODELS } from "@/lib/vendors/validic/record-factory";
import { validicRecordSchema } from "@/lib/vendors/validic/record-schemas";
import type { SmartMeterDeviceType } from "@/lib/vendors/validic/schemas";
import { tenoviMeasurementSchema } from "@/lib/vendors/tenovi/webhook-schemas";

// Vendor payloads for the ingest benchmark, attributed to the generated clinic: Validic Smart Meter records carry a
// generated patient's uid and their device's IMEI; Tenovi webhooks a generated device's hwi_device_id and patient
// external_id. Each payload also yields the reading rows it should produce (through the app's own derivation), so
// the raw-INSERT baseline writes exactly the rows the HTTP path writes.

// A device that measures, with who holds it.
export type Sender = { deviceId: string; patientId: string; category: string; externalId: string; vendorKey: string };

// A reading row as the baseline inserts it.
export type BaselineRow = DerivedReading & { patientId: string; deviceId: string; vendor: "validic" | "tenovi"; vendorRecordId: string; arrival: string };

// A request body and the rows it stands for.
export type Payload = { body: string; rows: BaselineRow[] };

const VALIDIC_DEVICE_TYPES: Record<string, SmartMeterDeviceType> = {
  blood_pressure: "blood_pressure",
  glucometer: "blood_glucose",
  scale: "weight_scale",
  pulse_oximeter: "pulse_oximeter",
};

// The active, attributed devices of one vendor in the bench database.
export async function loadSenders(client: pg.Client, vendor: "validic" | "tenovi"): Promise<Sender[]> {
  const key = vendor === "validic" ? `d.imei` : `d."vendorDeviceId"`;
  const rows = await client.query<Sender>(
    `SELECT d.id AS "deviceId", d."patientId", d.category::text AS category, vi."externalId", ${key} AS "vendorKey"
       FROM "Device" d JOIN "VendorIdentity" vi ON vi."patientId" = d."patientId" AND vi.vendor = d.vendor
      WHERE d.vendor = $1 AND d.lifecycle = 'active' AND ${key} IS NOT NULL
      ORDER BY d.id`,
    [vendor],
  );
  if (rows.rows.length === 0) throw new Error(`the bench dataset has no active ${vendor} devices`);
  return rows.rows;
}

// Hands out distinct measurement times (one second apart, going back from now) so every record is new.
export function createClock(start = Date.now()) {
  let tick = 0;
  return () => new Date(start - ++tick * 1000);
}

function pick<T>(items: T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

// A Validic push batch of `size` Smart Meter records from consecutive senders, as the Push Service sends it.
export function validicBatch(senders: Sender[], size: number, offset: number, clock: () => Date, random: () => number): Payload {
  const records = [];
  const rows: BaselineRow[] = [];
  for (let i = 0; i < size; i++) {
    const sender = pick(senders, offset + i);
    const deviceType = VALIDIC_DEVICE_TYPES[sender.category] ?? "blood_pressure";
    const takenAt = clock();
    const record = buildSmartMeterRecord({
      imei: sender.vendorKey,
      deviceType,
      model: DEFAULT_SMART_METER_MODELS[deviceType],
      user: { organization_id: "5ef0ef69000000000ba56200", user_id: sender.externalId.replace(/\D/g, "").padStart(24, "0"), uid: sender.externalId },
      // Validic's utc_offset for the patient's zone is set below; computing it per record (Intl) would load the sender.
      timezone: null,
      takenAt,
      createdAt: new Date(takenAt.getTime() + 4_000),
      glucoseOutOfBoundsRate: 0.02,
      random,
    });
    record.utc_offset = -14_400;
    records.push(record);
    for (const reading of deriveValidicReadings(validicRecordSchema.parse(record))) {
      rows.push({ ...reading, patientId: sender.patientId, deviceId: sender.deviceId, vendor: "validic", vendorRecordId: record.id, arrival: "push" });
    }
  }
  return { body: JSON.stringify({ id: randomBytes(16).toString("hex"), data: records, meta: { count: records.length } }), rows };
}

function tenoviRows(sender: Sender, at: Date, random: () => number): Record<string, unknown>[] {
  const base = {
    hwi_device_id: sender.vendorKey,
    patient_id: sender.externalId,
    hardware_uuid: `GW${sender.deviceId.slice(2)}`,
    sensor_code: "10",
    created: new Date(at.getTime() + 6_000).toISOString().replace("Z", "312Z"),
    timestamp: `${at.toISOString().slice(0, 19)}Z`,
    timezone_offset: -240,
    estimated_timestamp: false,
    filter_params: { measurement_index: 0 },
  };
  const value = (min: number, max: number) => String(min + Math.floor(random() * (max - min + 1)));
  switch (sender.category) {
    case "blood_pressure":
      return [
        { ...base, metric: "blood_pressure", device_name: "Tenovi BPM - L", value_1: value(105, 165), value_2: value(62, 98) },
        { ...base, metric: "pulse", device_name: "Tenovi BPM - L", value_1: value(55, 98), value_2: null },
      ];
    case "pulse_oximeter":
      return [
        { ...base, metric: "spO2", device_name: "Tenovi Pulse Oximeter", value_1: value(92, 99), value_2: "1" },
        { ...base, metric: "pulse", device_name: "Tenovi Pulse Oximeter", value_1: value(55, 98), value_2: "2" },
      ];
    case "scale":
      return [{ ...base, metric: "weight", device_name: "Tenovi Cellular Scale", value_1: value(120, 260), value_2: null }];
    default:
      return [{ ...base, metric: "glucose", device_name: "Tenovi Glucometer", value_1: value(80, 210), value_2: null }];
  }
}

// A Tenovi measurement webhook: one row (`single`) or a whole measurement as post_as_array sends it (`array`:
// blood_pressure + pulse for a BPM, spO2 + pulse for an oximeter, one row otherwise).
export function tenoviWebhook(senders: Sender[], shape: "single" | "array", index: number, clock: () => Date, random: () => number): Payload {
  const sender = pick(senders, index);
  const all = tenoviRows(sender, clock(), random);
  const sent = shape === "single" ? all.slice(0, 1) : all;
  const rows = sent.map((row) => {
    const parsed = tenoviMeasurementSchema.parse(row);
    const reading = deriveTenoviReading(parsed, true);
    return { ...reading, patientId: sender.patientId, deviceId: sender.deviceId, vendor: "tenovi" as const, vendorRecordId: tenoviRecordKey(parsed), arrival: "webhook" };
  });
  return { body: JSON.stringify(shape === "single" ? sent[0] : sent), rows };
}
