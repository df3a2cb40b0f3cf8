import { readRows } from "@/lib/database/read-rows";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { ROLE_LABELS, type Role } from "@/lib/permissions";

// A staff member who can follow patients: every active account, whatever its role (small clinics' admins see
// patients too). A deactivated one keeps their patients until someone else is chosen.
export type CareManagerOption = { id: string; name: string; role: Role; isActive: boolean };

// Who else besides the active staff a list of care managers shows: the patient's current one (an edit form keeps
// them), or everyone who still manages a patient (the patient list's filter finds a departed colleague's patients).
type AlsoShown = { currentId: string | null } | { managingPatients: true };

// The care managers to choose from, by name. Plain SQL: the patient list asks on every view, and Prisma's client
// cost more than the query.
export async function listCareManagerOptions(also: AlsoShown = { currentId: null }): Promise<CareManagerOption[]> {
  const inactiveShown =
    "managingPatients" in also ? Prisma.sql`EXISTS (SELECT 1 FROM "Patient" p WHERE p."careManagerId" = u.id)` : Prisma.sql`u.id = ${also.currentId}`;
  return readRows<CareManagerOption>(Prisma.sql`
    SELECT u.id, u.name, u.role::text AS role, u."isActive" FROM "User" u WHERE u."isActive" OR ${inactiveShown} ORDER BY u.name, u.id`);
}

// "Dana Smith", or "Dana Smith (deactivated)" for an account that can no longer sign in.
export function careManagerName(manager: { name: string; isActive: boolean }): string {
  return manager.isActive ? manager.name : `${manager.name} (deactivated)`;
}

// The care managers as a select's options: "Dana Smith (Clinician)".
export async function careManagerSelectOptions(also?: AlsoShown): Promise<{ value: string; label: string }[]> {
  return (await listCareManagerOptions(also)).map((option) => ({
    value: option.id,
    label: option.isActive ? `${option.name} (${ROLE_LABELS[option.role]})` : careManagerName(option),
  }));
}

export async function isActiveStaff(id: string): Promise<boolean> {
  return (await db.user.count({ where: { id, isActive: true } })) === 1;
}
