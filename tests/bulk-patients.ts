// Generates many patients, devices and alerts in three INSERT … SELECT generate_series statements, and describes the
// same rows in JavaScript so a test can compute what a list query must answer.

export const BULK_FIRST_NAMES = ["Ada", "Ben", "Cleo", "Dev", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jun"] as const;
export const BULK_LAST_NAMES = ["Abbott", "Baker", "Chen", "Diaz", "Evans", "Flores", "Gupta", "Hughes", "Ito", "Jones", "Khan"] as const;
export const BULK_VENDORS = ["tenovi", "validic", "smartz"] as const;
export const BULK_LIFECYCLES = ["in_stock", "assigned", "shipping", "delivered", "active", "silent", "disconnected", "returned"] as const;
// Every patient's timestamps count back from this instant.
export const BULK_BASE = new Date("2026-01-01T00:00:00.000Z");
// The instant the list is asked at: care time is "this month" relative to it, in the patients' time zone (New York).
export const BULK_NOW = new Date("2026-11-15T12:00:00.000Z");

export type BulkPatient = {
  id: string;
  mrn: string;
  firstName: string;
  lastName: string;
  status: "enrolled" | "offboarded";
  enrolledAt: Date;
  phone: string;
  device: { vendor: string; lifecycle: string; imei: string; lastReadingAt: Date | null } | null;
  openAlerts: number;
  // Care time this month (November 2026), as the list must total it.
  care: { minutes: number; live: boolean };
  careManager: { id: string; name: string } | null;
};

// The staff who manage bulk patients: patient i has BULK_MANAGERS[i % 3 - 1], none when i % 3 is 0.
export const BULK_MANAGERS = [
  { id: "bulk-manager-1", name: "Mara Manager" },
  { id: "bulk-manager-2", name: "Noel Nurse" },
] as const;

// Patient i's care time this month: met 99457 (25 min with a live call), short of it (12 min), short for want of a
// live call (30 min), or none.
function bulkCare(i: number): BulkPatient["care"] {
  return [
    { minutes: 0, live: false },
    { minutes: 25, live: true },
    { minutes: 12, live: true },
    { minutes: 30, live: false },
  ][i % 4] as BulkPatient["care"];
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

// Patient i (1-based): which rows the SQL below creates for it.
export function bulkPatient(i: number): BulkPatient {
  const hasDevice = i % 9 !== 0;
  return {
    id: `bulk${pad(i, 8)}`,
    mrn: `BULK-${pad(i, 6)}`,
    firstName: at(BULK_FIRST_NAMES, i),
    lastName: at(BULK_LAST_NAMES, i),
    status: i % 10 === 0 ? "offboarded" : "enrolled",
    enrolledAt: new Date(BULK_BASE.getTime() - i * 60_000),
    phone: `614${pad(i, 7)}`,
    device: hasDevice
      ? {
          vendor: at(BULK_VENDORS, i),
          lifecycle: at(BULK_LIFECYCLES, i),
          imei: `35${pad(i, 13)}`,
          lastReadingAt: i % 7 === 0 ? null : new Date(BULK_BASE.getTime() - (i % 997) * 3_600_000),
        }
      : null,
    // Every fifth patient has one open alert; every fifteenth also has a resolved one, which must not count.
    openAlerts: i % 5 === 0 ? 1 : 0,
    care: bulkCare(i),
    careManager: BULK_MANAGERS[(i % 3) - 1] ?? null,
  };
}

// The SQL statements that insert patients 1..count exactly as bulkPatient describes them.
export function bulkInsertStatements(count: number): string[] {
  const base = `'${BULK_BASE.toISOString()}'::timestamptz`;
  const pick = (list: readonly string[], cast = "") => `(ARRAY[${list.map((v) => `'${v}'`).join(",")}])[(i % ${list.length}) + 1]${cast}`;
  return [
    `INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt")
     VALUES ${BULK_MANAGERS.map((m) => `('${m.id}', '${m.id}@example.org', '${m.name}', 'x', 'clinician', now())`).join(", ")}`,
    `INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", phone, status, "enrolledAt", "careManagerId", "updatedAt")
     SELECT 'bulk' || lpad(i::text, 8, '0'), 'BULK-' || lpad(i::text, 6, '0'), ${pick(BULK_FIRST_NAMES)}, ${pick(BULK_LAST_NAMES)},
            DATE '1950-01-01', '614' || lpad(i::text, 7, '0'),
            (CASE WHEN i % 10 = 0 THEN 'offboarded' ELSE 'enrolled' END)::"ProgramStatus",
            ${base} - i * interval '1 minute', CASE WHEN i % 3 = 0 THEN NULL ELSE 'bulk-manager-' || (i % 3) END, now()
       FROM generate_series(1, ${count}) AS i`,
    `INSERT INTO "Device" (id, vendor, category, connectivity, "vendorType", imei, lifecycle, "patientId", "lastReadingAt", "updatedAt")
     SELECT 'bulkdev' || lpad(i::text, 8, '0'), ${pick(BULK_VENDORS, `::"Vendor"`)}, 'other', 'cellular', 'bulk', '35' || lpad(i::text, 13, '0'),
            ${pick(BULK_LIFECYCLES, `::"DeviceLifecycle"`)}, 'bulk' || lpad(i::text, 8, '0'),
            CASE WHEN i % 7 = 0 THEN NULL ELSE ${base} - (i % 997) * interval '1 hour' END, now()
       FROM generate_series(1, ${count}) AS i WHERE i % 9 <> 0`,
    `INSERT INTO "Alert" (id, "patientId", severity, status, message, "updatedAt")
     SELECT 'bulkalert' || lpad(i::text, 8, '0') || s, 'bulk' || lpad(i::text, 8, '0'), 'high',
            (CASE WHEN s = 1 THEN 'open' ELSE 'resolved' END)::"AlertStatus", 'Bulk alert', now()
       FROM generate_series(1, ${count}) AS i, generate_series(1, 2) AS s
      WHERE i % 5 = 0 AND (s = 1 OR i % 15 = 0)`,
    // bulkCare's entries, and two kinds that must not count: 40 live minutes last month (every sixth patient) and 40
    // live minutes this month but removed (every eighth, which would otherwise meet 99457).
    `INSERT INTO "CareTimeEntry" (id, "patientId", "staffId", "serviceDate", minutes, interactive, "deletedAt")
     SELECT 'bulkcare' || lpad(i::text, 8, '0') || e.n, 'bulk' || lpad(i::text, 8, '0'), 'bulk-staff', e.day, e.minutes, e.live, e.removed
       FROM generate_series(1, ${count}) AS i
       CROSS JOIN LATERAL (VALUES
         (1, DATE '2026-11-01', 15, true, NULL::timestamptz, i % 4 = 1),
         (2, DATE '2026-11-14', 10, false, NULL, i % 4 = 1),
         (3, DATE '2026-11-10', 12, true, NULL, i % 4 = 2),
         (4, DATE '2026-11-30', 30, false, NULL, i % 4 = 3),
         (5, DATE '2026-10-31', 40, true, NULL, i % 6 = 0),
         (6, DATE '2026-11-05', 40, true, now(), i % 8 = 2)
       ) AS e(n, day, minutes, live, removed, applies)
      WHERE e.applies`,
  ];
}
