import { careTimeBilling, type CareTimeBilling, type LogCareTimeInput, type UpdateCareTimeInput } from "@/lib/care-time/schemas";
import { readRows } from "@/lib/database/read-rows";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/permissions";

export type CareTimeEntryRow = {
  id: string;
  serviceDate: Date;
  minutes: number;
  interactive: boolean;
  note: string | null;
  staffId: string;
  staffName: string;
};

export type MonthCareTime = { month: string; entries: CareTimeEntryRow[]; billing: CareTimeBilling };

// The date ("2026-11-23") a moment falls on where the patient lives; its first seven characters are the month.
export function dateIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

function monthRange(month: string): { gte: Date; lt: Date } {
  const first = new Date(`${month}-01T00:00:00Z`);
  return { gte: first, lt: new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1)) };
}

// A patient's logged care time in one calendar month, latest first, with what it supports for billing. Plain SQL on
// the pool: the patient record reads it on every view.
export async function monthCareTime(patientId: string, month: string): Promise<MonthCareTime> {
  const { gte, lt } = monthRange(month);
  const entries = await readRows<CareTimeEntryRow>(Prisma.sql`
    SELECT c.id, c."serviceDate", c.minutes, c.interactive, c.note, c."staffId", u.name AS "staffName"
      FROM "CareTimeEntry" c JOIN "User" u ON u.id = c."staffId"
     WHERE c."patientId" = ${patientId} AND c."serviceDate" >= ${gte}::date AND c."serviceDate" < ${lt}::date AND c."deletedAt" IS NULL
     ORDER BY c."serviceDate" DESC, c."createdAt" DESC`);
  const minutes = entries.reduce((sum, entry) => sum + entry.minutes, 0);
  return {
    month,
    entries,
    billing: careTimeBilling(
      minutes,
      entries.some((entry) => entry.interactive),
    ),
  };
}

// Stores one entry by the signed-in staff member, for an enrolled patient.
export async function logCareTime(input: LogCareTimeInput, staffId: string): Promise<{ id: string }> {
  const patient = await db.patient.findUnique({ where: { id: input.patientId }, select: { status: true } });
  if (!patient) throw new AppError("NOT_FOUND", "That patient no longer exists.");
  if (patient.status !== "enrolled") throw new AppError("CONFLICT", "The patient is offboarded: care time is logged for enrolled patients only.");
  return db.careTimeEntry.create({
    data: {
      patientId: input.patientId,
      staffId,
      serviceDate: new Date(`${input.serviceDate}T00:00:00Z`),
      minutes: input.minutes,
      interactive: input.interactive,
      note: input.note || null,
    },
    select: { id: true },
  });
}

// An entry its caller may change: it exists, is not removed, and they logged it or are an admin.
async function changeableEntry(entryId: string, by: { userId: string; role: Role }, verb: string) {
  const entry = await db.careTimeEntry.findUnique({ where: { id: entryId }, select: { patientId: true, staffId: true, minutes: true, deletedAt: true } });
  if (!entry || entry.deletedAt) throw entryGone();
  if (entry.staffId !== by.userId && by.role !== "admin") throw new AppError("FORBIDDEN", `Only whoever logged an entry, or an admin, can ${verb} it.`);
  return entry;
}

function entryGone(): AppError {
  return new AppError("NOT_FOUND", "That care-time entry no longer exists; reload the page.");
}

// Takes an entry logged in error out of the totals (kept, marked removed, for the audit trail). Only whoever logged
// it, or an admin, may. Returns the entry's patient and minutes for the audit event.
export async function removeCareTime(entryId: string, by: { userId: string; role: Role }): Promise<{ patientId: string; minutes: number }> {
  const entry = await changeableEntry(entryId, by, "remove");
  const { count } = await db.careTimeEntry.updateMany({ where: { id: entryId, deletedAt: null }, data: { deletedAt: new Date() } });
  if (count === 0) throw entryGone();
  return { patientId: entry.patientId, minutes: entry.minutes };
}

// Corrects an entry's date, minutes, live call or note (whoever logged it, or an admin); the month totals follow
// (the CareTimeEntry trigger moves its minutes, also to another month). Returns what the audit event records.
export async function updateCareTime(input: UpdateCareTimeInput, by: { userId: string; role: Role }): Promise<{ patientId: string; previousMinutes: number }> {
  const entry = await changeableEntry(input.entryId, by, "change");
  const { count } = await db.careTimeEntry.updateMany({
    where: { id: input.entryId, deletedAt: null },
    data: { serviceDate: new Date(`${input.serviceDate}T00:00:00Z`), minutes: input.minutes, interactive: input.interactive, note: input.note || null },
  });
  if (count === 0) throw entryGone();
  return { patientId: entry.patientId, previousMinutes: entry.minutes };
}
