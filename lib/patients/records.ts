import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { isActiveStaff } from "@/lib/patients/care-managers";
import type { PatientField, PatientFields, UpdatePatient } from "@/lib/patients/schemas";

// The demographic columns and the care manager: what an enrolment sets and an edit may change; nothing else is ever
// written here.
const EDITABLE_FIELDS = [
  "mrn",
  "firstName",
  "lastName",
  "dateOfBirth",
  "phone",
  "email",
  "addressLine1",
  "addressLine2",
  "city",
  "state",
  "zipCode",
  "physician",
  "careManagerId",
  "timeZone",
  "smsConsent",
] as const satisfies readonly PatientField[];

// The error for a field the server refused; actions turn it into that field's message on the form.
export function fieldError(field: PatientField, message: string): AppError {
  return new AppError("CONFLICT", message, { details: { field } });
}

const duplicateMrn = (mrn: string) => fieldError("mrn", `Another patient already has MRN ${mrn}.`);

// A new care manager must be an active staff account; one already on the record stays through other edits even
// after their account was deactivated.
async function checkCareManager(careManagerId: string | null): Promise<void> {
  if (careManagerId !== null && !(await isActiveStaff(careManagerId))) throw fieldError("careManagerId", "Choose an active staff member, or no care manager.");
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

async function mrnTakenBy(mrn: string): Promise<string | null> {
  const row = await db.patient.findUnique({ where: { mrn }, select: { id: true } });
  return row?.id ?? null;
}

// Only the editable columns, even when the caller's object carries more (e.g. an edit's patientId).
function columns(f: PatientFields): Pick<Prisma.PatientUncheckedCreateInput, (typeof EDITABLE_FIELDS)[number]> {
  return {
    mrn: f.mrn,
    firstName: f.firstName,
    lastName: f.lastName,
    dateOfBirth: f.dateOfBirth,
    phone: f.phone,
    email: f.email,
    addressLine1: f.addressLine1,
    addressLine2: f.addressLine2,
    city: f.city,
    state: f.state,
    zipCode: f.zipCode,
    physician: f.physician,
    careManagerId: f.careManagerId,
    timeZone: f.timeZone,
    smsConsent: f.smsConsent,
  };
}

// Enrols a new patient; a duplicate MRN is refused as an error on the MRN field (also when two enrolments race).
export async function enrolPatient(fields: PatientFields): Promise<{ id: string }> {
  if (await mrnTakenBy(fields.mrn)) throw duplicateMrn(fields.mrn);
  await checkCareManager(fields.careManagerId);
  try {
    return await db.patient.create({ data: columns(fields), select: { id: true } });
  } catch (error) {
    if (isUniqueViolation(error) && (await mrnTakenBy(fields.mrn))) throw duplicateMrn(fields.mrn);
    throw error;
  }
}

function isSame(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

// Changes a patient's demographics and care manager, nothing else (program status, enrolment date, devices stay as they are).
// Refuses an edit made on a stale form, and writes nothing when no field changed. Answers the names of changed fields.
export async function updatePatient(input: UpdatePatient): Promise<{ id: string; changed: PatientField[] }> {
  const current = await db.patient.findUnique({
    where: { id: input.patientId },
    // Comparing the submitted phone and date of birth with the stored ones needs them.
    omit: { phone: false, dateOfBirth: false },
  });
  if (!current) throw new AppError("NOT_FOUND", "This patient no longer exists.");
  if (current.updatedAt.toISOString() !== input.expectedUpdatedAt) throw staleEdit();
  const changed = EDITABLE_FIELDS.filter((f) => !isSame(current[f], input[f]));
  if (changed.length === 0) return { id: current.id, changed };
  if (changed.includes("mrn")) {
    const owner = await mrnTakenBy(input.mrn);
    if (owner && owner !== current.id) throw duplicateMrn(input.mrn);
  }
  if (changed.includes("careManagerId")) await checkCareManager(input.careManagerId);
  const all = columns(input);
  const data: Prisma.PatientUpdateManyMutationInput = Object.fromEntries(changed.map((f) => [f, all[f]]));
  try {
    // Matching on updatedAt makes the version check and the write one atomic step.
    const { count } = await db.patient.updateMany({ where: { id: current.id, updatedAt: current.updatedAt }, data });
    if (count === 0) throw staleEdit();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateMrn(input.mrn);
    throw error;
  }
  return { id: current.id, changed };
}

function staleEdit(): AppError {
  return new AppError("CONFLICT", "Someone else changed this patient after you opened the form. Reload the page and make your change again.");
}
