import { checkChange, checkThreshold, type Breach, type CheckedReading } from "@/lib/alerts/checks";
import { parseIsoDuration, windowStart } from "@/lib/alerts/duration";
import { evaluateMissingDataRules, patientsNewReadingsCanAffect, type MissingDataEvaluation } from "@/lib/alerts/missing-data";
import { raiseReadingAlerts } from "@/lib/alerts/raise";
import { effectiveRulesByPatient, type EffectiveRule, type RuleLike } from "@/lib/alerts/rules";
import { RULE_COLUMNS } from "@/lib/alerts/select";
import { bigintArrayLiteral, textArrayLiteral } from "@/lib/database/array-literal";
import { readRows } from "@/lib/database/read-rows";
import { Prisma } from "@/lib/generated/prisma/client";

export type ReadingEvaluation = { alertIds: string[]; missingData: MissingDataEvaluation };

// Checks stored readings against the threshold and change rules that apply to their patients, raises one alert
// per reading and rule crossed (never twice), then re-checks those patients' adherence rules. The ingest pipeline
// calls it after storing readings. Deleted readings, unmatched readings and offboarded patients never alert.
export async function evaluateReadingAlerts(readingIds: bigint[], now: Date = new Date()): Promise<ReadingEvaluation> {
  const ids = [...new Set(readingIds)];
  if (ids.length === 0) return { alertIds: [], missingData: { evaluated: 0, alertIds: [], resolvedAlertIds: [] } };
  const readings = await readRows<CheckedReading & { patientId: string }>(Prisma.sql`
    SELECT r.id, r."patientId", r.metric, r.value, r.value2, r.unit, r.origin, r.flags, r."measuredAt"
      FROM "Reading" r JOIN "Patient" p ON p.id = r."patientId"
     WHERE r.id = ANY(${bigintArrayLiteral(ids)}::bigint[]) AND r."deletedAt" IS NULL AND p.status = 'enrolled'`);
  const byPatient = new Map<string, CheckedReading[]>();
  for (const reading of readings) {
    const list = byPatient.get(reading.patientId);
    if (list) list.push(reading);
    else byPatient.set(reading.patientId, [reading]);
  }
  const patientIds = [...byPatient.keys()];
  if (patientIds.length === 0) return { alertIds: [], missingData: { evaluated: 0, alertIds: [], resolvedAlertIds: [] } };
  const rules = await readRows<RuleLike>(Prisma.sql`
    SELECT ${RULE_COLUMNS} FROM "AlertRule"
     WHERE "isActive" AND kind IN ('threshold', 'change') AND ("patientId" IS NULL OR "patientId" = ANY(${textArrayLiteral(patientIds)}::text[]))`);
  const rulesOf = effectiveRulesByPatient(rules);
  const alertIds: string[] = [];
  for (const [patientId, patientReadings] of byPatient) {
    const applicable = rulesOf(patientId);
    const breaches = patientReadings.flatMap((reading) => applicable.map((rule) => checkThreshold(reading, rule)).filter((b): b is Breach => b !== null));
    breaches.push(...(await changeBreaches(patientId, patientReadings, applicable.filter((r) => r.kind === "change"))));
    alertIds.push(...(await raiseReadingAlerts(patientId, breaches)));
  }
  const missingData = await evaluateMissingDataRules(now, { patientIds: await patientsNewReadingsCanAffect(patientIds) });
  return { alertIds, missingData };
}

// Change rules need the patient's earlier readings of the metric: one query per metric covers every window.
async function changeBreaches(patientId: string, readings: CheckedReading[], rules: EffectiveRule<RuleLike>[]): Promise<Breach[]> {
  const breaches: Breach[] = [];
  for (const metric of new Set(rules.map((r) => r.metric))) {
    const metricRules = rules.filter((r) => r.metric === metric);
    const metricReadings = readings.filter((r) => r.metric === metric);
    const starts = metricReadings.flatMap((reading) =>
      metricRules.map((rule) => {
        const duration = rule.window ? parseIsoDuration(rule.window) : null;
        return duration ? windowStart(reading.measuredAt, duration).getTime() : Number.POSITIVE_INFINITY;
      }),
    );
    const from = Math.min(...starts);
    if (!Number.isFinite(from)) continue;
    const to = Math.max(...metricReadings.map((r) => r.measuredAt.getTime()));
    const history = await readRows<CheckedReading>(Prisma.sql`
      SELECT id, metric, value, value2, unit, origin, flags, "measuredAt" FROM "Reading"
       WHERE "patientId" = ${patientId} AND metric = ${metric} AND "deletedAt" IS NULL
         AND "measuredAt" >= ${new Date(from)}::timestamp(3) AND "measuredAt" <= ${new Date(to)}::timestamp(3)`);
    for (const reading of metricReadings) {
      for (const rule of metricRules) {
        const breach = checkChange(reading, history, rule);
        if (breach) breaches.push(breach);
      }
    }
  }
  return breaches;
}
