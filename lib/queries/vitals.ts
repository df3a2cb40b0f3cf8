import { loadPatientRules } from "@/lib/alerts/patient-rules";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { glucoseDisplayUnit } from "@/lib/readings/settings";
import { buildVitalsCharts, resolveRange, type VitalsParams, type VitalsReading } from "@/lib/readings/vitals";

// The readings table shows at most this many rows; the charts use every reading in the range.
export const VITALS_TABLE_LIMIT = 500;
const WEIGHT_HISTORY_DAYS = 60;

const chartSelect = {
  id: true,
  metric: true,
  value: true,
  value2: true,
  unit: true,
  flags: true,
  mealContext: true,
  measuredAt: true,
  device: { select: { category: true } },
} satisfies Prisma.ReadingSelect;

const tableSelect = {
  id: true,
  metric: true,
  value: true,
  value2: true,
  unit: true,
  flags: true,
  mealContext: true,
  measuredAt: true,
  utcOffsetSeconds: true,
  vendor: true,
  arrival: true,
  origin: true,
  deletedAt: true,
  device: { select: { vendorType: true, imei: true, vendorDeviceId: true } },
} satisfies Prisma.ReadingSelect;

export type VitalsTableRow = Prisma.ReadingGetPayload<{ select: typeof tableSelect }>;

function toVitalsReading(r: Prisma.ReadingGetPayload<{ select: typeof chartSelect }>): VitalsReading {
  return { id: r.id.toString(), metric: r.metric, value: r.value, value2: r.value2, unit: r.unit, flags: r.flags, mealContext: r.mealContext, measuredAt: r.measuredAt, deviceCategory: r.device?.category ?? null };
}

// Everything the vitals page shows for one patient and range: the charts (deleted readings never drawn), the
// readings table (deleted ones only on request) and how many deleted readings the range holds.
export async function loadVitals(patient: { id: string; timeZone: string }, params: VitalsParams, now: Date = new Date()) {
  const range = resolveRange(params, patient.timeZone, now);
  const inRange = { patientId: patient.id, measuredAt: { gte: range.from, lt: range.to } };
  const historyEnd = range.to < now ? range.to : now;
  const [readings, weightHistory, rules, glucoseUnit, tableRows, deletedCount] = await Promise.all([
    db.reading.findMany({ where: { ...inRange, deletedAt: null }, orderBy: { measuredAt: "asc" }, select: chartSelect }),
    db.reading.findMany({
      where: { patientId: patient.id, metric: "body_weight", deletedAt: null, measuredAt: { gte: new Date(historyEnd.getTime() - WEIGHT_HISTORY_DAYS * 86_400_000), lte: historyEnd } },
      orderBy: { measuredAt: "asc" },
      select: chartSelect,
    }),
    loadPatientRules(patient.id),
    glucoseDisplayUnit(),
    db.reading.findMany({
      where: { ...inRange, ...(params.deleted === "show" ? {} : { deletedAt: null }) },
      orderBy: [{ measuredAt: "desc" }, { id: "desc" }],
      take: VITALS_TABLE_LIMIT,
      select: tableSelect,
    }),
    db.reading.count({ where: { ...inRange, deletedAt: { not: null } } }),
  ]);
  const charts = buildVitalsCharts({ readings: readings.map(toVitalsReading), weightHistory: weightHistory.map(toVitalsReading), rules: rules.effective, glucoseUnit, range, timeZone: patient.timeZone });
  return { range, charts, tableRows, deletedCount, glucoseUnit, rules };
}
