import { loadPatientRules } from "@/lib/alerts/patient-rules";
import { readRows } from "@/lib/database/read-rows";
import { Prisma, type DeviceCategory, type ProgramStatus, type Reading } from "@/lib/generated/prisma/client";
import type { Page } from "@/lib/queries/list-params";
import { glucoseDisplayUnitForPage } from "@/lib/readings/settings";
import { buildVitalsCharts, resolveRange, type VitalsParams, type VitalsReading } from "@/lib/readings/vitals";

// Rows per page of the readings table (the app's lists show 25 a page too); the charts use every reading in the range.
export const VITALS_TABLE_PAGE_SIZE = 25;
const WEIGHT_HISTORY_DAYS = 60;

// The fields of a reading the page shows.
type ReadingFields = Pick<
  Reading,
  "id" | "metric" | "value" | "value2" | "unit" | "flags" | "mealContext" | "measuredAt" | "utcOffsetSeconds" | "vendor" | "arrival" | "origin" | "deletedAt"
>;

// One reading of the range with its device's fields, from plain SQL: the range's readings used to be read twice (for
// the charts and for the table), each time with a second query for their devices, through Prisma's row mapping,
// which cost more CPU than the rest of the page.
type RangeRow = ReadingFields & {
  deviceId: string | null;
  category: DeviceCategory | null;
  vendorType: string | null;
  imei: string | null;
  vendorDeviceId: string | null;
};

// A row of the vitals page's readings table.
export type VitalsTableRow = ReadingFields & { device: { vendorType: string; imei: string | null; vendorDeviceId: string | null } | null };

const READING_COLUMNS = Prisma.sql`
  r.id, r.metric, r.value, r.value2, r.unit, r.flags, r."mealContext", r."measuredAt", r."utcOffsetSeconds", r.vendor::text AS vendor,
  r.arrival, r.origin, r."deletedAt", r."deviceId", d.category::text AS category, d."vendorType", d.imei, d."vendorDeviceId"`;

// The vitals page's patient.
export type VitalsPatient = { id: string; firstName: string; lastName: string; mrn: string; timeZone: string; status: ProgramStatus };

// The patient whose vitals are shown, or null (plain SQL on the pool, lib/database/read-rows.ts: read on every view).
export async function findVitalsPatient(id: string): Promise<VitalsPatient | null> {
  const [patient] = await readRows<VitalsPatient>(Prisma.sql`SELECT id, "firstName", "lastName", mrn, "timeZone", status::text AS status FROM "Patient" WHERE id = ${id}`);
  return patient ?? null;
}

function toVitalsReading(r: RangeRow): VitalsReading {
  return { id: r.id.toString(), metric: r.metric, value: r.value, value2: r.value2, unit: r.unit, flags: r.flags, mealContext: r.mealContext, measuredAt: r.measuredAt, deviceCategory: r.category };
}

function toTableRow(r: RangeRow): VitalsTableRow {
  const device = r.deviceId !== null && r.vendorType !== null ? { vendorType: r.vendorType, imei: r.imei, vendorDeviceId: r.vendorDeviceId } : null;
  const { id, metric, value, value2, unit, flags, mealContext, measuredAt, utcOffsetSeconds, vendor, arrival, origin, deletedAt } = r;
  return { id, metric, value, value2, unit, flags, mealContext, measuredAt, utcOffsetSeconds, vendor, arrival, origin, deletedAt, device };
}

// Newest first, as the table lists them (measuredAt, then id, both descending).
function newestFirst(a: RangeRow, b: RangeRow): number {
  const byTime = b.measuredAt.getTime() - a.measuredAt.getTime();
  return byTime !== 0 ? byTime : b.id > a.id ? 1 : b.id < a.id ? -1 : 0;
}

// One page of the readings table, newest first; a page past the end shows the last one.
function tablePage(rows: RangeRow[], page: number): Page<VitalsTableRow> {
  const lastPage = Math.max(1, Math.ceil(rows.length / VITALS_TABLE_PAGE_SIZE));
  const current = Math.min(page, lastPage);
  const start = (current - 1) * VITALS_TABLE_PAGE_SIZE;
  return { rows: rows.sort(newestFirst).slice(start, start + VITALS_TABLE_PAGE_SIZE).map(toTableRow), total: rows.length, page: current, size: VITALS_TABLE_PAGE_SIZE };
}

// Everything the vitals page shows for one patient and range: the charts (deleted readings never drawn), a page of
// the readings table (deleted ones only on request) and how many deleted readings the range holds. The range's readings,
// deleted ones included, come from one query; charts, table and count are cut from them.
export async function loadVitals(patient: { id: string; timeZone: string }, params: Omit<VitalsParams, "page"> & { page?: number }, now: Date = new Date()) {
  const range = resolveRange(params, patient.timeZone, now);
  const historyEnd = range.to < now ? range.to : now;
  const historyStart = new Date(historyEnd.getTime() - WEIGHT_HISTORY_DAYS * 86_400_000);
  const [inRange, weightHistory, rules, glucoseUnit] = await Promise.all([
    readRows<RangeRow>(Prisma.sql`
      SELECT ${READING_COLUMNS} FROM "Reading" r LEFT JOIN "Device" d ON d.id = r."deviceId"
       WHERE r."patientId" = ${patient.id} AND r."measuredAt" >= ${range.from} AND r."measuredAt" < ${range.to}
       ORDER BY r."measuredAt", r.id`),
    readRows<RangeRow>(Prisma.sql`
      SELECT ${READING_COLUMNS} FROM "Reading" r LEFT JOIN "Device" d ON d.id = r."deviceId"
       WHERE r."patientId" = ${patient.id} AND r.metric = 'body_weight' AND r."deletedAt" IS NULL
         AND r."measuredAt" >= ${historyStart} AND r."measuredAt" <= ${historyEnd}
       ORDER BY r."measuredAt", r.id`),
    loadPatientRules(patient.id),
    glucoseDisplayUnitForPage(),
  ]);
  const kept = inRange.filter((r) => r.deletedAt === null);
  const deletedCount = inRange.length - kept.length;
  const table = tablePage(params.deleted === "show" ? [...inRange] : [...kept], params.page ?? 1);
  const charts = buildVitalsCharts({ readings: kept.map(toVitalsReading), weightHistory: weightHistory.map(toVitalsReading), rules: rules.effective, glucoseUnit, range, timeZone: patient.timeZone });
  return { range, charts, table, deletedCount, glucoseUnit, rules };
}
