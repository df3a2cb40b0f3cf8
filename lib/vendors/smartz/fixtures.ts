import type { SmartzDevice, SmartzManufacturer, SmartzOrganisation, SmartzPatient, SmartzProduct } from "@/lib/vendors/smartz/schemas";

// ASSUMPTION: every shape below follows lib/vendors/smartz/schemas.ts, itself an assumption until the portal's
// definitions are available. The people are fictional.

// What the simulator starts with: one organisation, a manufacturer and its catalogue, nodes, pods and patients.
export const SMARTZ_SEED: {
  organisation: SmartzOrganisation;
  manufacturers: SmartzManufacturer[];
  products: SmartzProduct[];
  devices: SmartzDevice[];
  patients: SmartzPatient[];
} = {
  organisation: { id: "org-5e21", name: "Pulseboard Demo Care Home", timezone: "America/New_York", createdAt: "2025-01-06T15:00:00.000Z" },
  manufacturers: [{ id: "mfr-1001", name: "Demo Continence Products", country: "US", website: null }],
  products: [
    { id: "prd-2001", manufacturerId: "mfr-1001", name: "Smart Brief Day", size: "M", absorbencyMl: 1200 },
    { id: "prd-2002", manufacturerId: "mfr-1001", name: "Smart Brief Day", size: "L", absorbencyMl: 1400 },
    { id: "prd-2003", manufacturerId: "mfr-1001", name: "Smart Brief Night", size: "L", absorbencyMl: 2200 },
  ],
  devices: [
    node("node-0101", "SZN-000101", "Wing A corridor"),
    node("node-0102", "SZN-000102", "Wing B day room"),
    pod("pod-0201", "SZP-000201", "pat-3001", "node-0101", 92),
    pod("pod-0202", "SZP-000202", "pat-3002", "node-0101", 71),
    pod("pod-0203", "SZP-000203", "pat-3003", "node-0102", 55),
    pod("pod-0204", "SZP-000204", null, null, 100),
  ],
  patients: [
    patient("pat-3001", "Margaret", "Ellison", "RES-0417", "1938-04-12", "prd-2001", ["pod-0201"]),
    patient("pat-3002", "Harold", "Nguyen", "RES-0422", "1941-11-30", "prd-2002", ["pod-0202"]),
    patient("pat-3003", "Dorothy", "Okafor", "RES-0431", "1935-07-08", "prd-2003", ["pod-0203"]),
    // No pod linked: Smartz gives no real-time status for this resident.
    patient("pat-3004", "Walter", "Brennan", "RES-0440", "1944-02-19", null, []),
  ],
};

function node(id: string, serialNumber: string, location: string): SmartzDevice {
  return { id, type: "node", serialNumber, status: "online", firmwareVersion: "2.3.1", patientId: null, nodeId: null, batteryLevel: null, location, lastSeenAt: null };
}

function pod(id: string, serialNumber: string, patientId: string | null, nodeId: string | null, batteryLevel: number): SmartzDevice {
  return { id, type: "pod", serialNumber, status: patientId ? "active" : "inactive", firmwareVersion: "1.8.0", patientId, nodeId, batteryLevel, location: null, lastSeenAt: null };
}

function patient(id: string, firstName: string, lastName: string, externalId: string, dateOfBirth: string, productId: string | null, podIds: string[]): SmartzPatient {
  return { id, firstName, lastName, externalId, dateOfBirth, manufacturerId: productId ? "mfr-1001" : null, productId, podIds, createdAt: "2025-01-06T15:30:00.000Z" };
}

// Sample wire bodies, in the envelopes the client must tolerate, for schema tests.
export const SMARTZ_SAMPLES = {
  token: { access_token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3MzYxNzg0MDB9.c2lnbmF0dXJl", expires_in: 3600, token_type: "Bearer" },
  tokenWithoutType: { access_token: "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln", expires_in: "1800" },
  organisation: { id: "org-5e21", name: "Pulseboard Demo Care Home", timezone: "America/New_York", createdAt: "2025-01-06T15:00:00Z", plan: "enterprise" },
  manufacturers: { data: [{ id: 1001, name: "Demo Continence Products", country: "US" }], nextCursor: null, hasMore: false },
  productsBare: [{ id: "prd-2001", manufacturerId: "mfr-1001", name: "Smart Brief Day", size: "M", absorbencyMl: 1200 }],
  devicesAzure: {
    value: [
      { id: "node-0101", type: "node", serialNumber: "SZN-000101", status: "online", location: "Wing A corridor" },
      { id: "pod-0201", type: "pod", serialNumber: "SZP-000201", patientId: "pat-3001", nodeId: "node-0101", batteryLevel: 92, lastSeenAt: "2025-03-01T08:15:00+00:00" },
      { id: "pod-0999", type: "clip", serialNumber: "SZC-000999" },
    ],
  },
  patientsItems: { items: [{ id: "pat-3001", firstName: "Margaret", lastName: "Ellison", podIds: ["pod-0201"] }, { id: "pat-3004", podIds: null }], cursor: "c2" },
  patientStatus: {
    patientId: "pat-3001",
    diaperState: "wet",
    saturation: 78,
    voidsSinceChange: 2,
    podId: "pod-0201",
    podConnected: true,
    batteryLevel: 90,
    lastEventAt: "2025-03-01T08:15:00.000Z",
    lastChangeAt: "2025-03-01T05:00:00.000Z",
    updatedAt: "2025-03-01T08:15:01.000Z",
  },
  events: {
    data: [
      { id: "evt-00000041", patientId: "pat-3001", deviceId: "pod-0201", type: "void", severity: "low", saturation: 35, occurredAt: "2025-03-01T06:40:00.000Z" },
      { id: "evt-00000042", patientId: "pat-3001", deviceId: "pod-0201", type: "wet", severity: "high", saturation: 78, occurredAt: "2025-03-01T08:15:00.000Z" },
      { id: "evt-00000043", patientId: "pat-3001", deviceId: "pod-0201", type: "change", severity: null, occurredAt: "2025-03-01T08:31:00.000Z" },
      { id: "evt-00000044", patientId: "pat-3001", deviceId: "pod-0201", type: "leak", occurredAt: "2025-03-01T09:02:00.000Z" },
    ],
    nextCursor: "evt:44",
    hasMore: false,
  },
  alerts: {
    data: [
      {
        id: "alr-0007",
        patientId: "pat-3001",
        deviceId: "pod-0201",
        type: "wet",
        severity: "high",
        status: "resolved",
        message: "Diaper saturated",
        raisedAt: "2025-03-01T08:15:00.000Z",
        resolvedAt: "2025-03-01T08:31:00.000Z",
      },
    ],
    nextCursor: null,
  },
  apimMissingKey: { statusCode: 401, message: "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API." },
  apimRateLimited: { statusCode: 429, message: "Rate limit is exceeded. Try again in 12 seconds." },
} as const;
