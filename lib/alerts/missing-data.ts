import { describeDuration, parseIsoDuration, windowStart } from "@/lib/alerts/duration";
import { withPatientAlertLock } from "@/lib/alerts/raise";
import { compare, effectiveRulesByPatient, type EffectiveRule, type RuleLike } from "@/lib/alerts/rules";
import { RULE_COLUMNS } from "@/lib/alerts/select";
import { unitSpellings } from "@/lib/alerts/units";
import { textArrayLiteral } from "@/lib/database/array-literal";
import { readRows } from "@/lib/database/read-rows";
import { Prisma } from "@/lib/generated/prisma/client";
import type { DeviceCategory } from "@/lib/generated/prisma/enums";
import { METRIC_LABELS } from "@/lib/readings/format";
import { MEASURING_LIFECYCLES, METRICS_BY_DEVICE_CATEGORY } from "@/lib/readings/metrics";
import { validicConfig } from "@/lib/vendors/config";

export const MISSING_DATA_RULE_TYPE = "user/missing_data";

// Validic's triggered rule event (Business Rules API, "Triggered Rule Response"), the shape Alert.triggerEvent keeps.
export type TriggeredRuleEvent = {
  user: { uid: string; user_id: string | null; organization_id: string | null };
  rule: {
    id: string;
    type: typeof MISSING_DATA_RULE_TYPE;
    window: string;
    message: string;
    metric: { type: string; sub_type: null; unit: string | null; origin: string | null };
    threshold: { value: number; comparator: RuleLike["comparator"] };
  };
  data: { type: typeof MISSING_DATA_RULE_TYPE; data: { count: number } }[];
  created_at: string;
};

// `resolvedAlertIds`: alerts closed because the patient is measuring again.
export type MissingDataEvaluation = { evaluated: number; alertIds: string[]; resolvedAlertIds: string[] };

type PatientForRules = {
  id: string;
  enrolledAt: Date;
  devices: { category: DeviceCategory }[];
  identities: { externalId: string; vendorUserId: string | null }[];
};

// The triggered rule event for one patient and rule. uid is the patient's Validic uid, or Pulseboard's patient id
// when they have no Validic account; user_id and organization_id are Validic's, or null.
export function buildTriggerEvent(input: {
  patient: { id: string; validicUid?: string | null; validicUserId?: string | null };
  organizationId: string | null;
  rule: Pick<RuleLike, "id" | "window" | "message" | "metric" | "unit" | "origin" | "thresholdValue" | "comparator">;
  count: number;
  now: Date;
}): TriggeredRuleEvent {
  const { patient, rule } = input;
  const hasValidic = Boolean(patient.validicUid);
  return {
    user: { uid: patient.validicUid ?? patient.id, user_id: patient.validicUserId ?? null, organization_id: hasValidic ? input.organizationId : null },
    rule: {
      id: rule.id,
      type: MISSING_DATA_RULE_TYPE,
      window: rule.window ?? "",
      message: rule.message,
      metric: { type: rule.metric, sub_type: null, unit: rule.unit, origin: rule.origin },
      threshold: { value: rule.thresholdValue, comparator: rule.comparator },
    },
    data: [{ type: MISSING_DATA_RULE_TYPE, data: { count: input.count } }],
    // Validic's example has whole seconds: "2017-08-31T00:25:50Z".
    created_at: `${input.now.toISOString().slice(0, 19)}Z`,
  };
}

// Whether a rule watches this patient now: the whole window must lie after enrolment (a patient enrolled yesterday
// has not missed a week of readings), and a program default only watches patients with a device at home that
// measures the metric. ASSUMPTION: both limits are Pulseboard's; Validic's per-user rules have neither.
export function ruleWatchesPatient(rule: EffectiveRule<RuleLike>, patient: Pick<PatientForRules, "enrolledAt" | "devices">, now: Date): boolean {
  const duration = rule.window ? parseIsoDuration(rule.window) : null;
  if (!duration || windowStart(now, duration) < patient.enrolledAt) return false;
  if (rule.source === "patient") return true;
  return patient.devices.some((d) => METRICS_BY_DEVICE_CATEGORY[d.category]?.includes(rule.metric));
}

// The readings a missing_data rule counts: the metric, optionally one unit (any spelling, any case) and one origin,
// not deleted, measured within [now − window, now] (both ends inclusive). Null for a rule without a usable window.
function missingDataReadingCondition(rule: RuleLike, now: Date): Prisma.Sql | null {
  const duration = rule.window ? parseIsoDuration(rule.window) : null;
  if (!duration) return null;
  const conditions = [
    Prisma.sql`r.metric = ${rule.metric}`,
    Prisma.sql`r."deletedAt" IS NULL`,
    Prisma.sql`r."measuredAt" >= ${windowStart(now, duration)}::timestamp(3) AND r."measuredAt" <= ${now}::timestamp(3)`,
  ];
  if (rule.origin) conditions.push(Prisma.sql`r.origin = ${rule.origin}`);
  if (rule.unit) conditions.push(Prisma.sql`lower(r.unit) = ANY(${textArrayLiteral(unitSpellings(rule.unit).map((spelling) => spelling.toLowerCase()))}::text[])`);
  return Prisma.join(conditions, " AND ");
}

// The enrolled patients the rules may watch, with what ruleWatchesPatient needs: their devices that measure and their
// Validic identities. `scope` limits them; without it, every enrolled patient when a program default exists, else the
// patients with rules of their own.
async function patientsForRules(rules: RuleLike[], scope: string[] | undefined): Promise<PatientForRules[]> {
  const ruleOwners = rules.flatMap((rule) => (rule.patientId ? [rule.patientId] : []));
  const ids = scope ?? (rules.some((rule) => rule.patientId === null) ? null : ruleOwners);
  return readRows<PatientForRules>(Prisma.sql`
    SELECT p.id, p."enrolledAt",
           coalesce((SELECT json_agg(json_build_object('category', d.category))
                       FROM "Device" d WHERE d."patientId" = p.id AND d.lifecycle::text = ANY(${textArrayLiteral([...MEASURING_LIFECYCLES])}::text[])), '[]') AS devices,
           coalesce((SELECT json_agg(json_build_object('externalId', i."externalId", 'vendorUserId', i."vendorUserId") ORDER BY i.id)
                       FROM "VendorIdentity" i WHERE i."patientId" = p.id AND i.vendor = 'validic'), '[]') AS identities
      FROM "Patient" p
     WHERE p.status = 'enrolled' ${ids === null ? Prisma.empty : Prisma.sql`AND p.id = ANY(${textArrayLiteral(ids)}::text[])`}`);
}

// The patients among `patientIds` whose adherence alerts new readings can change: anyone a "more than" or "exactly"
// rule may watch, and under "fewer than" rules only those with such an alert still open or acknowledged, since more
// readings can only resolve it. The schedule (every 15 minutes) raises "fewer than" alerts as windows move; checking
// every patient of a push batch again at ingest cost the worker more than storing the batch.
export async function patientsNewReadingsCanAffect(patientIds: string[]): Promise<string[]> {
  if (patientIds.length === 0) return [];
  const rows = await readRows<{ id: string }>(Prisma.sql`
    SELECT p.id FROM unnest(${textArrayLiteral(patientIds)}::text[]) AS p(id)
     WHERE EXISTS (SELECT 1 FROM "AlertRule" r
                    WHERE r."isActive" AND r.kind = 'missing_data' AND r.comparator <> 'less_than' AND (r."patientId" IS NULL OR r."patientId" = p.id))
        OR EXISTS (SELECT 1 FROM "Alert" a JOIN "AlertRule" r ON r.id = a."ruleId"
                    WHERE a."patientId" = p.id AND r.kind = 'missing_data' AND a.status IN ('open', 'acknowledged'))`);
  return rows.map((row) => row.id);
}

// Pulseboard's own Validic-style adherence rules (user/missing_data): for every enrolled patient a rule watches,
// count their readings in the sliding window ending now and, when the comparator holds, raise an alert carrying
// the triggered rule event, unless an earlier alert for the same rule and patient is still open or acknowledged.
// When the comparator no longer holds, an open or acknowledged alert of that rule resolves itself: nobody has to
// close "no readings" by hand once readings arrive. The scheduler calls it; ingest calls it for the patients whose
// readings just arrived and can change something (patientsNewReadingsCanAffect).
export async function evaluateMissingDataRules(now: Date, options: { patientIds?: string[] } = {}): Promise<MissingDataEvaluation> {
  const scope = options.patientIds;
  if (scope && scope.length === 0) return { evaluated: 0, alertIds: [], resolvedAlertIds: [] };
  const rules = await readRows<RuleLike>(Prisma.sql`
    SELECT ${RULE_COLUMNS} FROM "AlertRule"
     WHERE "isActive" AND kind = 'missing_data'
           ${scope ? Prisma.sql`AND ("patientId" IS NULL OR "patientId" = ANY(${textArrayLiteral(scope)}::text[]))` : Prisma.empty}`);
  if (rules.length === 0) return { evaluated: 0, alertIds: [], resolvedAlertIds: [] };
  const patients = await patientsForRules(rules, scope);
  const rulesOf = effectiveRulesByPatient(rules);
  const watched = new Map<string, { rule: EffectiveRule<RuleLike>; patients: PatientForRules[] }>();
  for (const patient of patients) {
    for (const rule of rulesOf(patient.id)) {
      if (!ruleWatchesPatient(rule, patient, now)) continue;
      const entry = watched.get(rule.id) ?? { rule, patients: [] };
      entry.patients.push(patient);
      watched.set(rule.id, entry);
    }
  }
  const organizationId = validicConfig().orgId;
  const alertIds: string[] = [];
  const resolvedAlertIds: string[] = [];
  let evaluated = 0;
  for (const { rule, patients: group } of watched.values()) {
    const condition = missingDataReadingCondition(rule, now);
    if (!condition) continue;
    const counts = await readRows<{ patientId: string; n: number }>(Prisma.sql`
      SELECT r."patientId", count(*)::int AS n FROM "Reading" r
       WHERE r."patientId" = ANY(${textArrayLiteral(group.map((p) => p.id))}::text[]) AND ${condition}
       GROUP BY r."patientId"`);
    const countOf = new Map(counts.map((c) => [c.patientId, c.n]));
    const alerting = await patientsWithUnresolvedAlerts(rule.id, group.map((p) => p.id));
    for (const patient of group) {
      evaluated++;
      const count = countOf.get(patient.id) ?? 0;
      if (!compare(count, rule.comparator, rule.thresholdValue)) {
        if (alerting.has(patient.id)) resolvedAlertIds.push(...(await resolveMissingDataAlerts(patient.id, rule, count, now)));
        continue;
      }
      const identity = patient.identities[0];
      const event = buildTriggerEvent({ patient: { id: patient.id, validicUid: identity?.externalId, validicUserId: identity?.vendorUserId }, organizationId, rule, count, now });
      const id = await raiseMissingDataAlert(patient.id, rule, event, count);
      if (id) alertIds.push(id);
    }
  }
  return { evaluated, alertIds, resolvedAlertIds };
}

async function patientsWithUnresolvedAlerts(ruleId: string, patientIds: string[]): Promise<Set<string>> {
  const alerts = await readRows<{ patientId: string }>(Prisma.sql`
    SELECT DISTINCT "patientId" FROM "Alert"
     WHERE "ruleId" = ${ruleId} AND "patientId" = ANY(${textArrayLiteral(patientIds)}::text[]) AND status IN ('open', 'acknowledged')`);
  return new Set(alerts.map((a) => a.patientId));
}

// Closes the rule's open or acknowledged alerts for a patient whose readings are back inside the rule, by no one
// (resolvedById stays null) and with a note that says why.
async function resolveMissingDataAlerts(patientId: string, rule: RuleLike, count: number, now: Date): Promise<string[]> {
  return withPatientAlertLock(patientId, async (tx) => {
    const open = await tx.alert.findMany({ where: { patientId, ruleId: rule.id, status: { in: ["open", "acknowledged"] } }, select: { id: true } });
    if (open.length === 0) return [];
    const label = (METRIC_LABELS[rule.metric] ?? rule.metric).toLowerCase();
    await tx.alert.updateMany({
      where: { id: { in: open.map((a) => a.id) } },
      data: { status: "resolved", resolvedAt: now, resolutionNote: `Resolved automatically: readings resumed (${count} ${label} reading${count === 1 ? "" : "s"} in the window).` },
    });
    return open.map((a) => a.id);
  });
}

async function raiseMissingDataAlert(patientId: string, rule: RuleLike, event: TriggeredRuleEvent, count: number): Promise<string | null> {
  return withPatientAlertLock(patientId, async (tx) => {
    const open = await tx.alert.findFirst({ where: { patientId, ruleId: rule.id, status: { in: ["open", "acknowledged"] } }, select: { id: true } });
    if (open) return null;
    const duration = rule.window ? parseIsoDuration(rule.window) : null;
    const label = (METRIC_LABELS[rule.metric] ?? rule.metric).toLowerCase();
    const within = duration ? ` in the last ${describeDuration(duration)}` : "";
    const alert = await tx.alert.create({
      data: {
        patientId,
        ruleId: rule.id,
        severity: rule.severity,
        message: `${rule.message} (${count} ${label} reading${count === 1 ? "" : "s"}${within})`,
        triggerEvent: event,
      },
      select: { id: true },
    });
    return alert.id;
  });
}
