// Tenovi's standard device types (vendor-docs table), as the API spells them, with how each connects and measures.

// How a device reaches Tenovi, and which vitals it measures.
export type TenoviConnectivity = "gateway" | "cellular";
export type TenoviMeasurementKind = "bpm" | "pulse-ox" | "glucometer" | "scale" | "thermometer" | "watch" | "peak-flow" | "pillbox";

// One row of the device table.
export type TenoviCatalogEntry = {
  name: string;
  sensorCode: string;
  connectivity: TenoviConnectivity;
  kind: TenoviMeasurementKind;
};

// The vendor-docs table prints an en dash ("BPM – L"); the API uses a hyphen ("BPM - L"), so the names here do too.
// Cellular rows have no code in the table. ASSUMPTION: they report their gateway twin's code (10 for a BPM).
// ASSUMPTION: the watch (sensor code 15, named in the notes, not in the table) is called "Tenovi Watch".
export const TENOVI_DEVICE_CATALOG: readonly TenoviCatalogEntry[] = [
  { name: "Tenovi BPM - S", sensorCode: "10", connectivity: "gateway", kind: "bpm" },
  { name: "Tenovi BPM - L", sensorCode: "10", connectivity: "gateway", kind: "bpm" },
  { name: "Omron BPM", sensorCode: "10", connectivity: "gateway", kind: "bpm" },
  { name: "Omron Wrist BPM", sensorCode: "10", connectivity: "gateway", kind: "bpm" },
  { name: "Tenovi Pulse Ox", sensorCode: "11", connectivity: "gateway", kind: "pulse-ox" },
  { name: "Tenovi Glucometer", sensorCode: "12", connectivity: "gateway", kind: "glucometer" },
  { name: "Trividia Glucometer", sensorCode: "12", connectivity: "gateway", kind: "glucometer" },
  { name: "Tenovi Scale", sensorCode: "13", connectivity: "gateway", kind: "scale" },
  { name: "Tenovi Thermometer", sensorCode: "14", connectivity: "gateway", kind: "thermometer" },
  { name: "Tenovi Watch", sensorCode: "15", connectivity: "gateway", kind: "watch" },
  { name: "Tenovi Peak Flow Meter", sensorCode: "17", connectivity: "gateway", kind: "peak-flow" },
  { name: "Tenovi Pillbox", sensorCode: "21", connectivity: "gateway", kind: "pillbox" },
  { name: "Tenovi Cellular BPM - S", sensorCode: "10", connectivity: "cellular", kind: "bpm" },
  { name: "Tenovi Cellular BPM - L", sensorCode: "10", connectivity: "cellular", kind: "bpm" },
  { name: "Tenovi Cellular Glucometer", sensorCode: "12", connectivity: "cellular", kind: "glucometer" },
  { name: "Tenovi Cellular Scale", sensorCode: "13", connectivity: "cellular", kind: "scale" },
  { name: "TeleRPM BPM", sensorCode: "10", connectivity: "cellular", kind: "bpm" },
  { name: "TeleRPM Scale", sensorCode: "13", connectivity: "cellular", kind: "scale" },
];

// Replaces en and em dashes with the hyphen the API uses, for comparing a name typed from the docs.
export function normalizeDeviceName(name: string): string {
  return name.replace(/[\u2013\u2014]/g, "-").replace(/\s+/g, " ").trim();
}

// The catalog entry for an exact device-type name, if it is one of Tenovi's standard devices.
export function catalogEntry(name: string): TenoviCatalogEntry | undefined {
  return TENOVI_DEVICE_CATALOG.find((entry) => entry.name === name);
}

// Whether a device type reports over its own cellular modem (hardware_uuid is an IMEI) rather than a gateway.
export function connectivityOf(name: string): TenoviConnectivity {
  const entry = catalogEntry(normalizeDeviceName(name));
  if (entry) return entry.connectivity;
  return /cellular|telerpm/i.test(name) ? "cellular" : "gateway";
}

// An IMEI has 15 digits.
export function isImei(value: string): boolean {
  return /^\d{15}$/.test(value);
}
