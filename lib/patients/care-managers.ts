import { recordChanges, type AuditActor } from "@/lib/audit";
import { readRows } from "@/lib/database/read-rows";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AssignCareManager } from "@/lib/patients/schemas";
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

// A care manager as a select's option: "Dana Smith (Clinician)", or "Dana Smith (deactivated)".
export function careManagerOption(manager: CareManagerOption): { value: string; label: string } {
  return { value: manager.id, label: manager.isActive ? `${manager.name} (${ROLE_LABELS[manager.role]})` : careManagerName(manager) };
}

export async function careManagerSelectOptions(also?: AlsoShown): Promise<{ value: string; label: string }[]> {
  return (await listCareManagerOptions(also)).map(careManagerOption);
}

export async function isActiveStaff(id: string): Promise<boolean> {
  return (await db.user.count({ where: { id, isActive: true } })) === 1;
}

// Gives the chosen patients a care manager (or none), in one transaction: each patient whose manager changes gets an
// audit event of its own (from and to), so their record's history shows who changed it. Patients that already have
// that manager are left alone; an id that is no patient's refuses the whole assignment.
export async function assignCareManager(actor: AuditActor, input: AssignCareManager, requestId?: string): Promise<{ changed: number }> {
  if (input.careManagerId !== null && !(await isActiveStaff(input.careManagerId))) {
    throw new AppError("INVALID_INPUT", "Choose an active staff member as care manager, or none.");
  }
  return db.$transaction(async (tx) => {
    const patients = await tx.$queryRaw<{ id: string; careManagerId: string | null }[]>`
      SELECT id, "careManagerId" FROM "Patient" WHERE id = ANY(${input.patientIds}::text[]) ORDER BY id FOR UPDATE`;
    if (patients.length !== input.patientIds.length)
      throw new AppError("NOT_FOUND", "Some of the chosen patients no longer exist. Reload the list and choose again.");
    const changing = patients.filter((patient) => patient.careManagerId !== input.careManagerId);
    if (changing.length === 0) return { changed: 0 };
    await tx.patient.updateMany({ where: { id: { in: changing.map((patient) => patient.id) } }, data: { careManagerId: input.careManagerId } });
    const changes = changing.map((patient) => ({
      action: "patient.care_manager_change",
      targetType: "patient",
      targetId: patient.id,
      patientId: patient.id,
      details: { from: patient.careManagerId, to: input.careManagerId },
    }));
    await recordChanges(tx, changes, { actor, requestId });
    return { changed: changing.length };
  });
}
