// Generates many patients, devices and alerts in three INSERT … SELECT generate_series statements, and describes the
// same rows in JavaScript so a test can compute what a list query must answer.

export const BULK_FIRST_NAMES = ["Ada", "Ben", "Cleo", "Dev", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jun"] as const;
export const BULK_LAST_NAMES = ["Abbott", "Baker", "Chen", "Diaz", "Evans", "Flores", "Gupta", "Hughes", "Ito", "Jones", "Khan"] as const;
export const BULK_VENDORS = ["tenovi", "validic", "smartz"] as const;
export const BULK_LIFECYCLES = ["in_stock", "assigned", "shipping", "delivered", "active", "silent", "disconnected", "returned"] as const;
// Every patient's timestamps count back from this instant.
export const BULK_BASE = new Date("2026-01-01T00:00:00.000Z");

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
};

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
  };
}

// The SQL statements that insert patients 1..count exactly as bulkPatient describes them.
export function bulkInsertStatements(count: number): string[] {
  const base = `'${BULK_BASE.toISOString()}'::timestamptz`;
  const pick = (list: readonly string[], cast = "") => `(ARRAY[${list.map((v) => `'${v}'`).join(",")}])[(i % ${list.length}) + 1]${cast}`;
  return [
    `INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", phone, status, "enrolledAt", "updatedAt")
     SELECT 'bulk' || lpad(i::text, 8, '0'), 'BULK-' || lpad(i::text, 6, '0'), ${pick(BULK_FIRST_NAMES)}, ${pick(BULK_LAST_NAMES)},
            DATE '1950-01-01', '614' || lpad(i::text, 7, '0'),
            (CASE WHEN i % 10 = 0 THEN 'offboarded' ELSE 'enrolled' END)::"ProgramStatus",
            ${base} - i * interval '1 minute', now()
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
  ];
}
