import type { z } from "zod";

import type { createAlertRuleSchema, deleteAlertRuleSchema, updateAlertRuleSchema } from "@/lib/alerts/schemas";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

type RuleRef = { id: string; patientId: string | null };

// Creates a patient rule (the patient must be enrolled) or, with patientId null, a program default.
export async function createAlertRule(input: z.output<typeof createAlertRuleSchema>): Promise<RuleRef> {
  if (input.patientId) {
    const patient = await db.patient.findUnique({ where: { id: input.patientId }, select: { status: true } });
    if (!patient) throw new AppError("NOT_FOUND", "That patient no longer exists.");
    if (patient.status !== "enrolled") throw new AppError("CONFLICT", "This patient is offboarded; their rules no longer run.");
  }
  return db.alertRule.create({ data: input, select: { id: true, patientId: true } });
}

// Changes a rule in place. Alerts already raised keep their message (and, for adherence rules, the rule as it was
// in their trigger event); readings evaluated from now on meet the new rule.
export async function updateAlertRule(input: z.output<typeof updateAlertRuleSchema>): Promise<RuleRef> {
  const { ruleId, ...fields } = input;
  const rule = await db.alertRule.findUnique({ where: { id: ruleId }, select: { id: true, patientId: true, patient: { select: { status: true } } } });
  if (!rule) throw new AppError("NOT_FOUND", "That rule no longer exists.");
  if (fields.isActive && rule.patient && rule.patient.status !== "enrolled") throw new AppError("CONFLICT", "This patient is offboarded; their rules cannot be switched back on.");
  await db.alertRule.update({ where: { id: rule.id }, data: fields });
  return { id: rule.id, patientId: rule.patientId };
}

// Deletes a rule; its alerts stay in the patients' histories (their rule link is cleared).
export async function deleteAlertRule(input: z.output<typeof deleteAlertRuleSchema>): Promise<RuleRef> {
  const rule = await db.alertRule.findUnique({ where: { id: input.ruleId }, select: { id: true, patientId: true } });
  if (!rule) throw new AppError("NOT_FOUND", "That rule no longer exists.");
  await db.alertRule.delete({ where: { id: rule.id } });
  return rule;
}
