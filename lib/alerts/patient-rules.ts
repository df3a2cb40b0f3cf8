import { effectiveRules, type EffectiveRule, type RuleLike } from "@/lib/alerts/rules";
import { RULE_COLUMNS } from "@/lib/alerts/select";
import { readRows } from "@/lib/database/read-rows";
import { db, type Database } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

// Stops every rule of a patient (called when they are offboarded); returns how many were active.
export async function deactivatePatientRules(patientId: string, writer: Pick<Database | Prisma.TransactionClient, "alertRule"> = db): Promise<number> {
  const result = await writer.alertRule.updateMany({ where: { patientId, isActive: true }, data: { isActive: false } });
  return result.count;
}

export type PatientRuleView = { effective: EffectiveRule<RuleLike>[]; inactive: RuleLike[] };

// The rules that apply to a patient (their own and the program defaults they do not replace), plus their
// switched-off rules, for the patient page and the vitals charts' threshold bands. Plain SQL on the pool
// (lib/database/read-rows.ts): both pages read it on every view.
export async function loadPatientRules(patientId: string): Promise<PatientRuleView> {
  const rules = await readRows<RuleLike>(Prisma.sql`
    SELECT ${RULE_COLUMNS}
      FROM "AlertRule"
     WHERE ("patientId" IS NULL AND "isActive") OR "patientId" = ${patientId}
     ORDER BY metric, kind, comparator, "createdAt"`);
  return { effective: effectiveRules(rules, patientId), inactive: rules.filter((r) => r.patientId === patientId && !r.isActive) };
}
