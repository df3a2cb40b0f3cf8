import { readRows } from "@/lib/database/read-rows";
import { Prisma, type ProgramStatus, type Vendor } from "@/lib/generated/prisma/client";

// The patient page's patient: identity and contact fields (date of birth and phone included: staff viewing the
// record need them to identify the patient) and the fields the Devices card uses.
export type RecordPatient = {
  id: string;
  mrn: string;
  firstName: string;
  lastName: string;
  dateOfBirth: Date;
  phone: string | null;
  email: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  state: string | null;
  zipCode: string | null;
  physician: string | null;
  // The care manager's name, and whether their account is still active.
  careManager: { name: string; isActive: boolean } | null;
  timeZone: string;
  smsConsent: boolean;
  status: ProgramStatus;
};

// A row of the patient page's "Recent readings".
export type RecentReading = { id: bigint; metric: string; value: number; value2: number | null; unit: string; flags: string[]; measuredAt: Date; vendor: Vendor };

// How many readings "Recent readings" lists.
export const RECENT_READINGS = 15;

// The patient and their latest readings (deleted ones left out), or null when there is no such patient. Plain SQL
// on the pool (lib/database/read-rows.ts): the page is read on every visit, and Prisma's findUnique with an include
// was two model queries at several times the CPU of these.
export async function loadPatientRecord(id: string): Promise<{ patient: RecordPatient; readings: RecentReading[] } | null> {
  const [patients, readings] = await Promise.all([
    readRows<RecordPatient>(Prisma.sql`
      SELECT p.id, p.mrn, p."firstName", p."lastName", p."dateOfBirth", p.phone, p.email, p."addressLine1", p."addressLine2", p.city, p.state,
             p."zipCode", p.physician, p."timeZone", p."smsConsent", p.status::text AS status,
             CASE WHEN cm.id IS NULL THEN NULL ELSE json_build_object('name', cm.name, 'isActive', cm."isActive") END AS "careManager"
        FROM "Patient" p LEFT JOIN "User" cm ON cm.id = p."careManagerId" WHERE p.id = ${id}`),
    readRows<RecentReading>(Prisma.sql`
      SELECT id, metric, value, value2, unit, flags, "measuredAt", vendor::text AS vendor
        FROM "Reading" WHERE "patientId" = ${id} AND "deletedAt" IS NULL
       ORDER BY "measuredAt" DESC LIMIT ${RECENT_READINGS}`),
  ]);
  const [patient] = patients;
  return patient ? { patient, readings } : null;
}
