import type pg from "pg";

import { hashPassword } from "@/lib/auth/password";

// A synthetic clinic for the benchmark, generated inside PostgreSQL with `INSERT … SELECT generate_series` (no row
// crosses the wire): patients, devices at the three vendors, gateways, vendor identities, assignments, shipments
// with their status history, device timelines, two years of readings with their vendor records and ingest events,
// alerts, care time and audit events, in the proportions of a real remote-monitoring program. Deterministic for a given size
// (values come from hashes of the row number, not random()), so every run at one size measures the same data.

// The size of the generated clinic.
export type DatasetSize = { patients: number; devices: number; readings: number };

// What was generated: the size, and the highest ids, so a run can remove what the previous run added.
export type DatasetMarker = DatasetSize & {
  version: number;
  generatedAt: string;
  maxReadingId: string;
  maxIngestEventId: string;
  maxAuditEventId: string;
  seconds: number;
};

// Bump when the generator changes, so an old dataset is regenerated.
const GENERATOR_VERSION = 4;
const MARKER_KEY = "bench.dataset";
const YEARS_OF_DATA = 2;
// Readings per ingest event (a push batch or a webhook delivery carried this many).
const READINGS_PER_EVENT = 100;

// Signs in to the dashboard during the page benchmark; exists only in the bench database.
export const BENCH_ADMIN = { email: "bench-admin@pulseboard.local", password: "pulseboard-bench-2026", name: "Bench Admin" } as const;

const FIRST_NAMES = [
  "Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Barbara", "William", "Elizabeth", "David", "Susan", "Joseph", "Dorothy", "Thomas",
  "Margaret", "Charles", "Ruth", "Daniel", "Nancy", "Paul", "Karen", "Mark", "Betty", "Donald", "Helen", "George", "Sandra", "Kenneth", "Donna",
  "Steven", "Carol", "Edward", "Sharon", "Brian", "Michelle", "Ronald", "Laura", "Anthony", "Sarah", "Kevin", "Kimberly", "Jason", "Deborah",
];
const LAST_NAMES = [
  "Garcia", "Johnson", "Nguyen", "Smith", "Okafor", "Williams", "Brown", "Martinez", "Davis", "Lopez", "Wilson", "Anderson", "Thomas", "Moore",
  "Jackson", "Lee", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner",
  "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz",
  "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez",
  "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross",
  "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales",
];
const CITIES = [
  { city: "Columbus", state: "OH", zip: "43215", timeZone: "America/New_York" },
  { city: "Austin", state: "TX", zip: "78701", timeZone: "America/Chicago" },
  { city: "Denver", state: "CO", zip: "80202", timeZone: "America/Denver" },
  { city: "Sacramento", state: "CA", zip: "95814", timeZone: "America/Los_Angeles" },
  { city: "Atlanta", state: "GA", zip: "30303", timeZone: "America/New_York" },
  { city: "Phoenix", state: "AZ", zip: "85004", timeZone: "America/Phoenix" },
];

function sqlArray(values: readonly string[]): string {
  return `ARRAY[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(",")}]::text[]`;
}

// A deterministic fraction in [0, 1) from an integer expression (Knuth's multiplicative hash).
function frac(expression: string, salt: number): string {
  return `(((((${expression})::bigint * 2654435761 + ${salt * 97}) % 4294967296) + 4294967296) % 4294967296 / 4294967296.0)`;
}

// Reads the marker of the dataset in this database, or null when there is none (never generated, or interrupted).
export async function readDatasetMarker(client: pg.Client): Promise<DatasetMarker | null> {
  const row = await client.query<{ value: DatasetMarker }>(`SELECT value FROM "ClinicSetting" WHERE key = $1`, [MARKER_KEY]);
  const marker = row.rows[0]?.value;
  return marker && marker.version === GENERATOR_VERSION ? marker : null;
}

// True when the stored dataset has exactly the requested size.
export function matchesSize(marker: DatasetMarker | null, size: DatasetSize): marker is DatasetMarker {
  return marker !== null && marker.patients === size.patients && marker.devices === size.devices && marker.readings === size.readings;
}

type Step = { label: string; sql: string };

// Generates the whole clinic into an empty, migrated database and writes the marker last.
export async function generateDataset(client: pg.Client, size: DatasetSize, log: (message: string) => void): Promise<DatasetMarker> {
  const started = Date.now();
  // Prisma stores DateTime as UTC in timestamp columns; computed times must be UTC too.
  await client.query("SET TimeZone = 'UTC'");
  await client.query("SET synchronous_commit = off");
  await client.query("SET maintenance_work_mem = '512MB'");
  await client.query("SET work_mem = '256MB'");
  const passwordHash = await hashPassword(BENCH_ADMIN.password);
  // The rows are consistent by construction; skipping the per-row foreign-key triggers (superusers only, e.g. the
  // embedded cluster) roughly halves the load time of the readings.
  const canSkipTriggers = await isSuperuser(client);
  if (canSkipTriggers) await client.query("SET session_replication_role = replica");
  const droppedIndexes = await dropSecondaryIndexes(client, ["Reading", "VendorRecord", "AuditEvent", "IngestEvent"]);
  for (const step of generationSteps(size, passwordHash)) {
    const stepStarted = Date.now();
    const result = await client.query(step.sql);
    log(`  ${step.label}: ${result.rowCount ?? 0} rows in ${((Date.now() - stepStarted) / 1000).toFixed(1)} s`);
  }
  if (canSkipTriggers) await client.query("SET session_replication_role = DEFAULT");
  const indexStarted = Date.now();
  for (const definition of droppedIndexes) await client.query(definition);
  log(`  indexes rebuilt (${droppedIndexes.length}) in ${((Date.now() - indexStarted) / 1000).toFixed(1)} s`);
  const vacuumStarted = Date.now();
  // A production table is mostly all-visible and analysed; plans should be the ones it would get.
  await client.query("VACUUM (ANALYZE)");
  log(`  vacuum + analyze in ${((Date.now() - vacuumStarted) / 1000).toFixed(1)} s`);
  const ids = await client.query<{ reading: string; event: string; audit: string }>(
    `SELECT (SELECT coalesce(max(id), 0) FROM "Reading")::text AS reading, (SELECT coalesce(max(id), 0) FROM "IngestEvent")::text AS event,
            (SELECT coalesce(max(id), 0) FROM "AuditEvent")::text AS audit`,
  );
  const row = ids.rows[0];
  if (!row) throw new Error("could not read the generated ids");
  const marker: DatasetMarker = {
    ...size,
    version: GENERATOR_VERSION,
    generatedAt: new Date().toISOString(),
    maxReadingId: row.reading,
    maxIngestEventId: row.event,
    maxAuditEventId: row.audit,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  await client.query(`INSERT INTO "ClinicSetting" (key, value, "updatedAt") VALUES ($1, $2, now())`, [MARKER_KEY, JSON.stringify(marker)]);
  return marker;
}

// Bulk loading is several times faster without secondary indexes; they are rebuilt from their exact definitions.
async function dropSecondaryIndexes(client: pg.Client, tables: string[]): Promise<string[]> {
  const rows = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  for (const row of rows.rows) await client.query(`DROP INDEX "${row.indexname}"`);
  return rows.rows.map((row) => row.indexdef);
}

// Removes what earlier benchmark runs added (readings, records, events past the generated ones; tokens), so every
// run starts from the generated dataset.
export async function resetToDataset(client: pg.Client, marker: DatasetMarker): Promise<number> {
  await client.query(`DELETE FROM "Alert" WHERE "createdAt" > $1`, [marker.generatedAt]);
  await client.query(`UPDATE "Alert" SET "readingId" = NULL WHERE "readingId" > $1`, [marker.maxReadingId]);
  // Nothing generated points at what a run added, so the per-row ON DELETE SET NULL triggers have nothing to do;
  // but each is a full scan (Alert.readingId and Reading.ingestEventId have no index), so superusers skip them.
  // AuditEvent's append-only trigger refuses any DELETE, so the previous run's audit rows go in the same window.
  const canSkipTriggers = await isSuperuser(client);
  if (canSkipTriggers) await client.query("SET session_replication_role = replica");
  const deleted = await client.query(`DELETE FROM "Reading" WHERE id > $1`, [marker.maxReadingId]);
  await client.query(`DELETE FROM "IngestEvent" WHERE id > $1`, [marker.maxIngestEventId]);
  // AuditEvent is append-only (a trigger refuses DELETE): only the replica role, which skips triggers, removes the
  // runs' audit rows; otherwise they stay (a few thousand per run, beside the 500,000 generated).
  if (canSkipTriggers) await client.query(`DELETE FROM "AuditEvent" WHERE id > $1`, [marker.maxAuditEventId]);
  if (canSkipTriggers) await client.query("SET session_replication_role = DEFAULT");
  await client.query(`DELETE FROM "VendorRecord" WHERE "createdAt" > $1`, [marker.generatedAt]);
  await client.query(`DELETE FROM "CareTimeEntry" WHERE "createdAt" > $1`, [marker.generatedAt]);
  await client.query(`DELETE FROM "PushAccessToken"`);
  await client.query(`UPDATE "User" SET "failedSignIns" = 0, "lockedUntil" = NULL`);
  // Statistics only: a VACUUM would scan every index of the ten-million-row table on each run.
  await client.query(`ANALYZE "Reading", "VendorRecord", "IngestEvent", "AuditEvent", "Alert"`);
  return deleted.rowCount ?? 0;
}

async function isSuperuser(client: pg.Client): Promise<boolean> {
  return (await client.query<{ is: boolean }>("SELECT rolsuper AS is FROM pg_roles WHERE rolname = current_user")).rows[0]?.is === true;
}

function generationSteps(size: DatasetSize, passwordHash: string): Step[] {
  const P = size.patients;
  const D = size.devices;
  // Most devices are with a patient (every patient has at least one); the rest are in stock.
  const assigned = Math.min(D, Math.max(P, Math.round(D * 0.92)));
  const staff = Math.max(6, Math.round(P / 500));
  const alerts = Math.max(10, Math.round(size.readings / 200));
  const audits = Math.max(10, Math.round(size.readings / 20));
  const start = `(now() - interval '${YEARS_OF_DATA} years')`;
  const firstNames = sqlArray(FIRST_NAMES);
  const lastNames = sqlArray(LAST_NAMES);
  const city = (column: keyof (typeof CITIES)[number]) => `(${sqlArray(CITIES.map((c) => c[column]))})[1 + i % ${CITIES.length}]`;

  return [
    {
      label: "staff",
      sql: `INSERT INTO "User" (id, email, name, "passwordHash", role, "createdAt", "updatedAt")
        SELECT 'bench-admin', '${BENCH_ADMIN.email}', '${BENCH_ADMIN.name}', '${passwordHash}', 'admin', now(), now()
        UNION ALL
        SELECT 'bu' || i, 'staff' || i || '@bench.pulseboard.local', 'Staff ' || i, '${passwordHash}',
               (CASE i % 3 WHEN 0 THEN 'admin' WHEN 1 THEN 'coordinator' ELSE 'clinician' END)::"Role", now(), now()
        FROM generate_series(1, ${staff}) i`,
    },
    {
      label: "alert rules",
      sql: `INSERT INTO "AlertRule" (id, kind, metric, unit, comparator, "thresholdValue", "window", severity, message, "updatedAt") VALUES
        ('bar1', 'threshold', 'blood_pressure', NULL, 'greater_than', 180, NULL, 'high', 'Systolic above 180 mmHg', now()),
        ('bar2', 'threshold', 'blood_pressure', NULL, 'less_than', 90, NULL, 'medium', 'Systolic below 90 mmHg', now()),
        ('bar3', 'threshold', 'blood_glucose', 'mg/dL', 'greater_than', 300, NULL, 'high', 'Glucose above 300 mg/dL', now()),
        ('bar4', 'threshold', 'blood_glucose', 'mg/dL', 'less_than', 70, NULL, 'critical', 'Glucose below 70 mg/dL', now()),
        ('bar5', 'threshold', 'spo2', NULL, 'less_than', 90, NULL, 'high', 'SpO₂ below 90%', now()),
        ('bar6', 'missing_data', 'blood_pressure', NULL, 'less_than', 1, 'P3D', 'low', 'No blood pressure reading in 3 days', now())`,
    },
    {
      label: "patients",
      sql: `INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", phone, email, "addressLine1", city, state, "zipCode", physician,
                                   "timeZone", "smsConsent", status, "enrolledAt", "offboardedAt", "createdAt", "updatedAt")
        SELECT 'bp' || lpad(i::text, 8, '0'), 'MRN-' || (1000000 + i),
               (${firstNames})[1 + (i * 7) % ${FIRST_NAMES.length}], (${lastNames})[1 + (i * 31 + i / 97) % ${LAST_NAMES.length}],
               date '1938-01-01' + ((i::bigint * 7919) % 13000)::int, '555' || lpad(((i::bigint * 104729) % 10000000)::text, 7, '0'),
               'patient' || i || '@example.org', (10 + (i * 13) % 9000) || ' Main Street',
               ${city("city")}, ${city("state")}, ${city("zip")}, (ARRAY['Dr. Patel','Dr. Chen','Dr. Romero','Dr. Okafor','Dr. Singh'])[1 + i % 5], ${city("timeZone")},
               i % 2 = 0, (CASE WHEN i % 10 = 0 THEN 'offboarded' ELSE 'enrolled' END)::"ProgramStatus",
               e.enrolled, CASE WHEN i % 10 = 0 THEN e.enrolled + (now() - e.enrolled) * 0.7 END, e.enrolled, e.enrolled
        FROM generate_series(1, ${P}) i
        CROSS JOIN LATERAL (SELECT ${start} - interval '30 days' + (interval '${YEARS_OF_DATA * 365 - 30} days') * ${frac("i", 1)} * 0.8 AS enrolled) e`,
    },
    {
      label: "devices",
      sql: `WITH spec AS (
          SELECT i, CASE WHEN i % 20 < 10 THEN 'tenovi' WHEN i % 20 < 17 THEN 'validic' ELSE 'smartz' END AS vendor,
                 (i / 20) % 5 AS kind, i <= ${assigned} AS is_assigned, 1 + (i - 1) % ${P} AS patient
          FROM generate_series(1, ${D}) i
        ), typed AS (
          SELECT s.*,
            CASE WHEN s.vendor = 'smartz' THEN 'smart_diaper'
                 WHEN s.kind IN (0, 1) THEN 'blood_pressure' WHEN s.kind = 2 THEN 'scale' WHEN s.kind = 3 THEN 'pulse_oximeter' ELSE 'glucometer' END AS category,
            CASE WHEN s.vendor = 'smartz' THEN 'mesh' WHEN s.vendor = 'validic' OR s.kind = 2 THEN 'cellular' ELSE 'gateway' END AS connectivity
          FROM spec s
        )
        INSERT INTO "Device" (id, vendor, category, connectivity, "vendorType", imei, "vendorDeviceId", lifecycle, "vendorStatus", "patientId", "createdAt", "updatedAt")
        SELECT 'bd' || lpad(t.i::text, 8, '0'), t.vendor::"Vendor", t.category::"DeviceCategory", t.connectivity::"Connectivity",
               CASE t.vendor WHEN 'smartz' THEN 'pod'
                 WHEN 'tenovi' THEN (ARRAY['Tenovi BPM - L','Tenovi BPM - L','Tenovi Cellular Scale','Tenovi Pulse Oximeter','Tenovi Glucometer'])[t.kind + 1]
                 ELSE (ARRAY['blood_pressure','blood_pressure','weight_scale','pulse_oximeter','blood_glucose'])[t.kind + 1] END,
               CASE WHEN t.connectivity = 'cellular' THEN '35' || lpad(t.i::text, 13, '0') END,
               CASE t.vendor WHEN 'tenovi' THEN 'hwi-' || lpad(t.i::text, 8, '0') WHEN 'smartz' THEN 'pod-' || t.i END,
               l.lifecycle::"DeviceLifecycle",
               CASE WHEN l.lifecycle IN ('active', 'silent') THEN CASE WHEN t.vendor = 'tenovi' THEN 'Connected' ELSE 'connected' END
                    WHEN l.lifecycle = 'shipping' THEN 'Shipped' WHEN l.lifecycle = 'disconnected' THEN 'Disconnected' END,
               CASE WHEN l.lifecycle NOT IN ('in_stock', 'returned') THEN 'bp' || lpad(t.patient::text, 8, '0') END,
               p."enrolledAt", now() - interval '1 day' * (t.i % 400)
        FROM typed t
        JOIN "Patient" p ON p.id = 'bp' || lpad(t.patient::text, 8, '0')
        CROSS JOIN LATERAL (SELECT CASE
            WHEN NOT t.is_assigned THEN 'in_stock'
            WHEN p.status = 'offboarded' THEN 'returned'
            WHEN (t.i / 7) % 20 = 0 THEN 'shipping'
            WHEN (t.i / 7) % 20 = 1 THEN 'delivered'
            WHEN (t.i / 7) % 20 = 2 THEN 'silent'
            WHEN (t.i / 7) % 20 = 3 THEN 'disconnected'
            ELSE 'active' END AS lifecycle) l`,
    },
    {
      label: "gateways",
      sql: `INSERT INTO "Gateway" (id, vendor, "gatewayUuid", "patientId", "lastSignalStrength", "lastCheckInAt", "firmwareVersion", "updatedAt")
        SELECT 'bg' || substr(d.id, 3), 'tenovi', 'GW' || substr(d.id, 3), d."patientId", -60 - (substr(d.id, 3)::int % 30), now() - interval '2 hours', '2.4.1', now()
        FROM "Device" d WHERE d.connectivity = 'gateway'`,
    },
    { label: "devices on gateways", sql: `UPDATE "Device" SET "gatewayId" = 'bg' || substr(id, 3) WHERE connectivity = 'gateway'` },
    {
      label: "device assignments",
      sql: `INSERT INTO "DeviceAssignment" (id, "deviceId", "patientId", "startedAt", "endedAt", "endedReason", "createdById")
        SELECT 'ba' || substr(d.id, 3), d.id, 'bp' || lpad((1 + (substr(d.id, 3)::int - 1) % ${P})::text, 8, '0'), p."enrolledAt" + interval '3 days',
               CASE WHEN d.lifecycle = 'returned' THEN p."offboardedAt" END, CASE WHEN d.lifecycle = 'returned' THEN 'patient offboarded' END, 'bu1'
        FROM "Device" d JOIN "Patient" p ON p.id = 'bp' || lpad((1 + (substr(d.id, 3)::int - 1) % ${P})::text, 8, '0')
        WHERE d.lifecycle <> 'in_stock'`,
    },
    {
      label: "vendor identities",
      sql: `INSERT INTO "VendorIdentity" (id, "patientId", vendor, "externalId", "vendorUserId", "updatedAt")
        SELECT 'bi' || a."patientId" || a.vendor, a."patientId", a.vendor,
               CASE a.vendor WHEN 'tenovi' THEN 'ext-' WHEN 'validic' THEN 'uid-' ELSE 'sz-' END || substr(a."patientId", 3),
               CASE WHEN a.vendor = 'validic' THEN md5(a."patientId") END, now()
        FROM (SELECT DISTINCT da."patientId", d.vendor FROM "DeviceAssignment" da JOIN "Device" d ON d.id = da."deviceId") a`,
    },
    {
      label: "shipments",
      sql: `INSERT INTO "Shipment" (id, "patientId", "deviceId", vendor, fulfiller, status, "shippingName", "addressLine1", city, state, "zipCode",
                                    physician, carrier, "trackingLink", "shippedAt", "deliveredAt", "createdById", "createdAt", "updatedAt")
        SELECT 'bs' || substr(d.id, 3), da."patientId", d.id, d.vendor, (CASE WHEN d.vendor = 'tenovi' THEN 'vendor' ELSE 'clinic' END)::"Fulfiller",
               CASE WHEN d.lifecycle = 'shipping' THEN 'Shipped' ELSE 'Delivered' END, p."firstName" || ' ' || p."lastName", p."addressLine1",
               p.city, p.state, p."zipCode", p.physician, 'UPS', 'https://www.ups.com/track?tracknum=1Z999AA1' || substr(d.id, 3),
               da."startedAt" - interval '5 days', CASE WHEN d.lifecycle <> 'shipping' THEN da."startedAt" - interval '1 day' END, 'bu1',
               da."startedAt" - interval '7 days',
               CASE WHEN d.lifecycle = 'shipping' THEN now() - interval '1 day' * (substr(d.id, 3)::int % 5) ELSE da."startedAt" - interval '1 day' END
        FROM "Device" d JOIN "DeviceAssignment" da ON da."deviceId" = d.id JOIN "Patient" p ON p.id = da."patientId"`,
    },
    {
      label: "shipment status changes",
      sql: `INSERT INTO "ShipmentStatusChange" (id, "shipmentId", status, source, "occurredAt")
        SELECT s.id || '-' || n, s.id, (ARRAY['Requested','Shipped','Delivered'])[n], CASE WHEN n = 1 THEN 'coordinator' ELSE 'webhook' END,
               s."createdAt" + interval '1 day' * (n - 1) * 2
        FROM "Shipment" s CROSS JOIN generate_series(1, 3) n
        WHERE n < 3 OR s."deliveredAt" IS NOT NULL`,
    },
    {
      label: "device events",
      sql: `INSERT INTO "DeviceEvent" (id, "deviceId", type, "fromState", "toState", "occurredAt")
        SELECT da.id || '-' || n, da."deviceId", (ARRAY['assigned','shipped','first_reading'])[n],
               (ARRAY['in_stock','assigned','shipping'])[n]::"DeviceLifecycle", (ARRAY['assigned','shipping','active'])[n]::"DeviceLifecycle",
               da."startedAt" - interval '7 days' + interval '1 day' * n * 3
        FROM "DeviceAssignment" da CROSS JOIN generate_series(1, 3) n`,
    },
    {
      label: "reading devices (temporary)",
      sql: `CREATE TEMP TABLE bench_reading_device AS
        SELECT row_number() OVER (ORDER BY d.id) AS k, d.id AS device_id, da."patientId" AS patient_id, d.vendor::text AS vendor,
               d.category::text AS category, d."vendorDeviceId" AS vendor_device_id, da."startedAt" + interval '2 days' AS from_at,
               CASE WHEN da."endedAt" IS NOT NULL THEN da."endedAt" WHEN d.lifecycle = 'silent' THEN now() - interval '10 days'
                    WHEN d.lifecycle = 'disconnected' THEN now() - interval '40 days' ELSE now() - interval '5 minutes' END AS to_at,
               CASE WHEN d.category IN ('blood_pressure', 'pulse_oximeter') THEN 2 ELSE 1 END AS nmetrics
        FROM "Device" d JOIN "DeviceAssignment" da ON da."deviceId" = d.id
        WHERE d.lifecycle IN ('active', 'silent', 'disconnected', 'returned')`,
    },
    { label: "reading devices index", sql: `CREATE UNIQUE INDEX ON bench_reading_device (k); ANALYZE bench_reading_device` },
    ...readingSteps(size),
    {
      label: "device first/last reading",
      sql: `UPDATE "Device" d SET "firstReadingAt" = r.first_at, "lastReadingAt" = r.last_at
        FROM (SELECT "deviceId", min("measuredAt") AS first_at, max("measuredAt") AS last_at FROM "Reading" GROUP BY "deviceId") r
        WHERE r."deviceId" = d.id`,
    },
    {
      label: "alerts",
      sql: `INSERT INTO "Alert" (id, "patientId", "ruleId", severity, status, message, "assignedToId", "acknowledgedAt", "acknowledgedById",
                                 "resolvedAt", "resolvedById", "resolutionNote", "createdAt", "updatedAt")
        SELECT 'bal' || a, 'bp' || lpad((1 + (a::bigint * 7919) % ${P})::text, 8, '0'), r.id, r.severity,
               st.status::"AlertStatus", r.message, CASE WHEN a % 3 > 0 THEN 'bu' || (1 + a % ${staff}) END,
               CASE WHEN st.status <> 'open' THEN t.at + interval '2 hours' END, CASE WHEN st.status <> 'open' THEN 'bu' || (1 + a % ${staff}) END,
               CASE WHEN st.status = 'resolved' THEN t.at + interval '1 day' END, CASE WHEN st.status = 'resolved' THEN 'bu' || (1 + a % ${staff}) END,
               CASE WHEN st.status = 'resolved' THEN 'Called the patient; reading repeated in range.' END, t.at, t.at
        FROM generate_series(1, ${alerts}) a
        JOIN "AlertRule" r ON r.id = 'bar' || (1 + a % 6)
        CROSS JOIN LATERAL (SELECT ${start} + (now() - ${start}) * (a::float8 / ${alerts}) AS at) t
        -- Recent alerts are still being worked; old ones are resolved.
        CROSS JOIN LATERAL (SELECT CASE WHEN a > ${alerts} * 0.94 AND a % 3 = 0 THEN 'open' WHEN a > ${alerts} * 0.94 AND a % 3 = 1 THEN 'acknowledged'
                                        WHEN a % 97 = 0 THEN 'open' ELSE 'resolved' END AS status) st`,
    },
    {
      // Each month a patient was enrolled, staff log one to four entries of 5–24 minutes, the first a live call three
      // times in four: most months reach 99457, some fall short. This month's entries lie before today.
      label: "care time",
      sql: `INSERT INTO "CareTimeEntry" (id, "patientId", "staffId", "serviceDate", minutes, interactive, note, "createdAt")
        SELECT 'bct' || p.id || '-' || mo.k || '-' || n, p.id, 'bu' || (1 + (i + n) % ${staff}),
               LEAST(mo.first_day + (${frac("i * 31 + mo.k * 7 + n", 5)} * 28)::int, current_date), 5 + (${frac("i * 17 + mo.k * 3 + n", 6)} * 20)::int,
               n = 1 AND ${frac("i + mo.k", 7)} < 0.75, CASE WHEN n = 1 THEN 'Reviewed readings; called the patient.' END, mo.first_day
        FROM generate_series(1, ${P}) i
        JOIN "Patient" p ON p.id = 'bp' || lpad(i::text, 8, '0')
        CROSS JOIN LATERAL (SELECT k, (date_trunc('month', now()) - k * interval '1 month')::date AS first_day FROM generate_series(0, ${YEARS_OF_DATA * 12 - 1}) k) mo
        CROSS JOIN LATERAL generate_series(1, 1 + (${frac("i * 13 + mo.k", 8)} * 4)::int % 4) n
        WHERE p."enrolledAt" < mo.first_day + interval '1 month' AND (p."offboardedAt" IS NULL OR p."offboardedAt" >= mo.first_day)
        -- Month by month, as staff log it: a month's entries lie together in the table, as in a live one.
        ORDER BY mo.k DESC, i, n`,
    },
    {
      // What CareTimeEntry's trigger keeps, if the bulk load skipped triggers (a superuser's); else it is there.
      label: "care time per month",
      sql: `INSERT INTO "CareTimeMonth" ("patientId", month, minutes, "liveEntries")
        SELECT "patientId", date_trunc('month', "serviceDate")::date, sum(minutes), count(*) FILTER (WHERE interactive)
          FROM "CareTimeEntry" WHERE "deletedAt" IS NULL GROUP BY 1, 2
        ON CONFLICT ("patientId", month) DO NOTHING`,
    },
    {
      label: "audit events",
      sql: `INSERT INTO "AuditEvent" ("actorId", "actorRole", action, "targetType", "targetId", "patientId", outcome, "requestId", "sourceIp", "createdAt")
        SELECT 'bu' || (1 + e % ${staff}), (ARRAY['admin','coordinator','clinician'])[1 + e % 3],
               (ARRAY['patient.view','patient.view','patient.view','alert.acknowledge','alert.resolve','device.assign','shipment.create','auth.sign_in'])[1 + e % 8],
               CASE WHEN e % 8 = 7 THEN 'user' ELSE 'patient' END, 'bp' || lpad((1 + (e::bigint * 104729) % ${P})::text, 8, '0'),
               CASE WHEN e % 8 = 7 THEN NULL ELSE 'bp' || lpad((1 + (e::bigint * 104729) % ${P})::text, 8, '0') END,
               CASE WHEN e % 50 = 0 THEN 'denied' ELSE 'success' END, md5(e::text), '10.0.' || (e % 250) || '.' || (e % 200),
               ${start} + (now() - ${start}) * (e::float8 / ${audits})
        FROM generate_series(1, ${audits}) e`,
    },
    { label: "drop temporary tables", sql: `DROP TABLE bench_reading_device` },
  ];
}

// The readings, their vendor records and the ingest events they arrived in. Measurement m belongs to reading
// device k (scattered by a multiplicative hash) and happens at the m-th fraction of that device's active window,
// so the table fills roughly in time order, as a live one does. Blood pressure and pulse oximetry give two
// readings per measurement (blood_pressure + pulse, spo2 + pulse), everything else one.
function readingSteps(size: DatasetSize): Step[] {
  const measurements = `
    SELECT m, d.device_id, d.patient_id, d.vendor, d.category, d.nmetrics, d.vendor_device_id,
           d.from_at + (d.to_at - d.from_at) * ((m - 1 + ${frac("m", 2)}) / (SELECT n FROM bench_measurement_count)) AS at
    FROM generate_series(1, (SELECT n FROM bench_measurement_count)) m
    JOIN bench_reading_device d ON d.k = 1 + (m::bigint * 104729) % (SELECT count(*) FROM bench_reading_device)`;
  const recordId = `CASE ms.vendor WHEN 'tenovi' THEN ms.vendor_device_id || ':' || to_char(ms.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ':0'
                       WHEN 'validic' THEN md5('validic-' || ms.m) ELSE 'evt-' || ms.m END`;
  return [
    {
      label: "measurement count (temporary)",
      // Enough measurements for the requested readings given the mix of one- and two-reading devices.
      sql: `CREATE TEMP TABLE bench_measurement_count AS
        SELECT greatest(1, ceil(${size.readings} * 1.002 / (SELECT avg(nmetrics) FROM bench_reading_device)) + 10)::bigint AS n`,
    },
    {
      label: "ingest events",
      sql: `INSERT INTO "IngestEvent" (id, source, "deliveryId", "bodySha256", payload, status, attempts, "receivedAt", "processedAt")
        SELECT e, CASE WHEN e % 10 < 6 THEN 'tenovi_webhook' ELSE 'validic_push' END, CASE WHEN e % 10 >= 6 THEN md5('batch-' || e) END,
               encode(sha256(e::text::bytea), 'hex'), '{"generated": true}'::jsonb, 'processed', 1, t.at, t.at + interval '150 milliseconds'
        FROM generate_series(1, ceil((SELECT n FROM bench_measurement_count) / ${READINGS_PER_EVENT}.0)::bigint) e
        CROSS JOIN LATERAL (SELECT now() - interval '${YEARS_OF_DATA} years' + interval '${YEARS_OF_DATA} years' * (e::float8 / ceil((SELECT n FROM bench_measurement_count) / ${READINGS_PER_EVENT}.0)) AS at) t`,
    },
    { label: "ingest event sequence", sql: `SELECT setval(pg_get_serial_sequence('"IngestEvent"', 'id'), greatest(1, (SELECT max(id) FROM "IngestEvent")))` },
    {
      label: "vendor records",
      sql: `INSERT INTO "VendorRecord" (id, vendor, "vendorRecordId", "recordType", checksum, "patientId", "deviceId", "startTime", payload, "createdAt", "updatedAt")
        SELECT 'bvr' || ms.m, ms.vendor::"Vendor", ${recordId}, 'measurement', md5(ms.m::text), ms.patient_id, ms.device_id, ms.at,
               '{"generated": true}'::jsonb, ms.at + interval '2 minutes', ms.at + interval '2 minutes'
        FROM (${measurements}) ms`,
    },
    {
      label: "readings",
      sql: `INSERT INTO "Reading" ("patientId", "deviceId", vendor, "vendorRecordId", metric, value, value2, unit, "measuredAt", "utcOffsetSeconds",
                                   origin, flags, "mealContext", arrival, "ingestEventId", "createdAt", "updatedAt")
        SELECT ms.patient_id, ms.device_id, ms.vendor::"Vendor", ${recordId}, v.metric, v.value, v.value2, v.unit, ms.at, -18000, 'device', v.flags,
               v.meal, CASE ms.vendor WHEN 'tenovi' THEN 'webhook' WHEN 'validic' THEN 'push' ELSE 'poll' END,
               CASE WHEN ms.vendor <> 'smartz' THEN 1 + (ms.m - 1) / ${READINGS_PER_EVENT} END, ms.at + interval '2 minutes', ms.at + interval '2 minutes'
        FROM (${measurements}) ms
        CROSS JOIN generate_series(1, 2) slot
        CROSS JOIN LATERAL (SELECT ${frac("ms.m", 3)} AS r1, ${frac("ms.m", 4)} AS r2) rnd
        CROSS JOIN LATERAL (SELECT
            CASE WHEN ms.category = 'blood_pressure' AND slot = 1 THEN 'blood_pressure' WHEN ms.category = 'pulse_oximeter' AND slot = 1 THEN 'spo2'
                 WHEN slot = 2 THEN 'pulse' WHEN ms.category = 'glucometer' THEN 'blood_glucose' WHEN ms.category = 'scale' THEN 'body_weight'
                 ELSE 'diaper_event' END AS metric) mt
        CROSS JOIN LATERAL (SELECT mt.metric,
            round(CASE mt.metric WHEN 'blood_pressure' THEN 105 + rnd.r1 * 90 WHEN 'spo2' THEN 86 + rnd.r1 * 14 WHEN 'pulse' THEN 55 + rnd.r2 * 50
                  WHEN 'blood_glucose' THEN 60 + rnd.r1 * 260 WHEN 'body_weight' THEN 55 + rnd.r1 * 70 ELSE 1 + floor(rnd.r1 * 3) END)::float8 AS value,
            CASE WHEN mt.metric = 'blood_pressure' THEN round(60 + rnd.r2 * 45)::float8 END AS value2,
            CASE mt.metric WHEN 'blood_pressure' THEN 'mmHg' WHEN 'spo2' THEN 'percent' WHEN 'pulse' THEN 'bpm' WHEN 'blood_glucose' THEN 'mg/dL'
                 WHEN 'body_weight' THEN 'kg' ELSE 'event' END AS unit,
            CASE WHEN mt.metric = 'diaper_event' THEN ARRAY[(ARRAY['wet','void','bowel'])[1 + ms.m % 3]] ELSE ARRAY[]::text[] END AS flags,
            CASE WHEN mt.metric = 'blood_glucose' THEN (ARRAY['before','after', NULL])[1 + ms.m % 3] END AS meal) v
        WHERE slot <= ms.nmetrics
        LIMIT ${size.readings}`,
    },
    { label: "drop measurement count", sql: `DROP TABLE bench_measurement_count` },
  ];
}
