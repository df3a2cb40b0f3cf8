import { randomUUID } from "node:crypto";

import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";

// Vendor payloads for tests: the vendor-docs samples verbatim, realistic Validic records and Tenovi webhooks with
// unique ids (every test file shares one database). No database here, so Playwright specs can import it too.

// vendor-docs/validic-push-service.txt "Example Payload" (the doc omits the final closing brace).
export const VALIDIC_PUSH_EXAMPLE = {
  id: "d1ffd05a-4a03-421c-8a35-1fa898e9cc24",
  data: [
    {
      category: "other",
      checksum: "18d34a6d347bfb5b23c9baace1f0fa7e",
      created_at: "2019-07-16T17:27:09.936Z",
      deleted_at: null,
      end_time: "2019-07-09T06:59:59Z",
      id: "860926cc4e432db37bdf62200363014e",
      log_id: "2019-07-08",
      metrics: [
        { type: "energy_consumed", origin: "unknown", unit: "kcal", value: 0.0 },
        { type: "dietary_fiber", origin: "unknown", unit: "g", value: 0.0 },
        { type: "water", origin: "unknown", unit: "mL", value: 0.0 },
        { type: "carbohydrate", origin: "unknown", unit: "g", value: 0.0 },
        { type: "fat", origin: "unknown", unit: "g", value: 0.0 },
        { type: "protein", origin: "unknown", unit: "g", value: 0.0 },
        { type: "sodium", origin: "unknown", unit: "mg", value: 0.0 },
      ],
      name: "Unknown",
      offset_origin: "profile",
      segments: [],
      source: { type: "fitbit", device: null },
      start_time: "2019-07-08T07:00:00Z",
      tags: [],
      type: "nutrition",
      user: { organization_id: "5c45d9bc21419700018774a5", user_id: "5d1cebd52141970001a8eca4", uid: "marketplace-test" },
      user_notes: [],
      utc_offset: -25200,
      version: "1.0",
    },
  ],
  meta: { count: 1 },
};

// vendor-docs/validic-smart-meter-direct-connection.txt "Sample Data" (a pulse-oximeter record captioned as weight).
export const SMART_METER_SAMPLE_RECORD = {
  checksum: "b0a2547d56SAMPLE5d57437a90b",
  created_at: "2023-10-10T17:20:04.858Z",
  deleted_at: null,
  end_time: "2023-10-10T15:58:56Z",
  id: "3de314260ccSAMPLE69c5bae6547f1",
  log_id: "500000046950878",
  metrics: [
    { type: "spo2", origin: "device", unit: "percent", value: 99.0 },
    { type: "pulse", origin: "device", unit: "bpm", value: 82 },
  ],
  offset_origin: "source",
  source: { type: "smart_meter", device: { id: "111111111111111", model: "smc-ox", manufacturer: "smart meter", diagnostics: [] } },
  start_time: "2023-10-10T15:58:56Z",
  tags: [],
  type: "measurement",
  user: { organization_id: "5ef0ef69SAMPLEba562", user_id: "652572SAMPLEe18b8b8", uid: "123456" },
  user_notes: [],
  utc_offset: -14400,
  version: "1.0",
};

// An id no other test uses.
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

// A 15-digit IMEI no other test uses.
export function uniqueImei(): string {
  return `35${String(Date.now()).slice(-7)}${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
}

// Wraps records in a push batch with a fresh id.
export function pushBatch(records: unknown[], id = randomUUID()) {
  return { id, data: records, meta: { count: records.length } };
}

type RecordOverrides = { id?: string; checksum?: string; uid?: string; imei?: string | null; deletedAt?: string | null };

// A Smart Meter blood-pressure record in Validic's shape.
export function validicBloodPressureRecord(overrides: RecordOverrides & { systolic?: number; diastolic?: number; pulse?: number } = {}) {
  return {
    checksum: overrides.checksum ?? randomUUID().replace(/-/g, ""),
    created_at: "2024-03-01T12:00:05.000Z",
    deleted_at: overrides.deletedAt ?? null,
    end_time: "2024-03-01T11:59:00Z",
    id: overrides.id ?? uniqueId("bp"),
    log_id: "500000046950900",
    metrics: [
      { type: "systolic", origin: "device", unit: "mmHg", value: overrides.systolic ?? 128 },
      { type: "diastolic", origin: "device", unit: "mmHg", value: overrides.diastolic ?? 82 },
      { type: "pulse", origin: "device", unit: "bpm", value: overrides.pulse ?? 71 },
    ],
    offset_origin: "source",
    source: {
      type: "smart_meter",
      device: overrides.imei === null ? null : { id: overrides.imei ?? uniqueImei(), model: "smc-bp", manufacturer: "smart meter", diagnostics: [] },
    },
    start_time: "2024-03-01T11:59:00Z",
    tags: [],
    type: "measurement",
    user: { organization_id: "5ef0ef69000000000ba56200", user_id: "652572000000e18b8b8", uid: overrides.uid ?? uniqueId("uid") },
    user_notes: [],
    utc_offset: -14400,
    version: "1.0",
  };
}

// A Smart Meter glucose record, optionally out of the meter's range and with a meal context.
export function validicGlucoseRecord(options: { value: number; unit: string; bound?: "low" | "high"; meal?: string; uid?: string }) {
  return {
    ...validicBloodPressureRecord({ uid: options.uid }),
    id: uniqueId("bg"),
    metrics: [{ type: "blood_glucose", origin: "device", unit: options.unit, value: options.value }],
    tags: options.bound ? [{ name: "out_of_bounds_blood_glucose", value: options.bound }] : [],
    user_notes: options.meal ? [{ type: "relationship_to_meal", value: options.meal }] : [],
  };
}

type TenoviRowOverrides = Partial<{
  metric: string;
  hwi_device_id: string;
  patient_id: string | null;
  value_1: string | number;
  value_2: string | number | null;
  timestamp: string;
  timezone_offset: number | null;
  measurement_index: number;
  device_name: string;
}>;

// A Tenovi measurement webhook row as the metriport client and Tenovi's docs show it (values as strings).
export function tenoviRow(overrides: TenoviRowOverrides = {}) {
  return {
    metric: overrides.metric ?? "blood_pressure",
    device_name: overrides.device_name ?? "Tenovi BPM - L",
    hwi_device_id: overrides.hwi_device_id ?? randomUUID(),
    patient_id: overrides.patient_id === undefined ? uniqueId("ext") : overrides.patient_id,
    hardware_uuid: "a1b2c3d4e5f6",
    sensor_code: "10",
    value_1: overrides.value_1 ?? "132",
    value_2: overrides.value_2 === undefined ? "84" : overrides.value_2,
    created: "2024-05-02T13:05:09.421312Z",
    timestamp: overrides.timestamp ?? "2024-05-02T13:04:57Z",
    timezone_offset: overrides.timezone_offset === undefined ? -240 : overrides.timezone_offset,
    estimated_timestamp: false,
    filter_params: { measurement_index: overrides.measurement_index ?? 0 },
  };
}

// A BPM reading as post_as_array sends it: blood_pressure plus pulse, same device, time and index.
export function tenoviBpmPair(overrides: TenoviRowOverrides = {}) {
  const hwiDeviceId = overrides.hwi_device_id ?? randomUUID();
  const patientId = overrides.patient_id === undefined ? uniqueId("ext") : overrides.patient_id;
  return [
    tenoviRow({ ...overrides, hwi_device_id: hwiDeviceId, patient_id: patientId, metric: "blood_pressure" }),
    tenoviRow({ ...overrides, hwi_device_id: hwiDeviceId, patient_id: patientId, metric: "pulse", value_1: 68, value_2: null }),
  ];
}

// The token request Validic's Push Service makes (client credentials with HTTP Basic), as the simulator's push client.
export function validicTokenRequest(): { method: "POST"; headers: Record<string, string>; body: string } {
  const { pushClientId, pushClientSecret } = SIMULATOR_CREDENTIALS.validic;
  return {
    method: "POST",
    headers: { Authorization: `Basic ${Buffer.from(`${pushClientId}:${pushClientSecret}`).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  };
}
