import { describe, expect, it } from "vitest";

import { FIRST_CODE_MINUTES } from "@/lib/care-time/schemas";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listPatients, patientListSchema, withViewer, type PatientListParams } from "@/lib/queries/patients";
import { BULK_NOW, bulkInsertStatements, bulkPatient, type BulkPatient } from "@/tests/bulk-patients";
import { inIsolatedSchema } from "@/tests/isolated-schema";

const COUNT = 20_000;
const everyone: BulkPatient[] = Array.from({ length: COUNT }, (_, i) => bulkPatient(i + 1));

// What the list must answer, computed in JavaScript from the same description the SQL inserted.
function expected(raw: Record<string, string>): { ids: string[]; total: number } {
  const params = patientListSchema.parse(raw);
  const q = params.q?.toLowerCase();
  const digits = params.q?.replace(/\D/g, "") ?? "";
  const matches = everyone.filter((p) => {
    if (params.status && p.status !== params.status) return false;
    if (
      (params.vendor || params.lifecycle) &&
      !(p.device && (!params.vendor || p.device.vendor === params.vendor) && (!params.lifecycle || p.device.lifecycle === params.lifecycle))
    )
      return false;
    if (params.alerts === "open" && p.openAlerts === 0) return false;
    if (params.alerts === "none" && p.openAlerts > 0) return false;
    const metFirstCode = p.care.live && p.care.minutes >= FIRST_CODE_MINUTES;
    if (params.care === "met" && !metFirstCode) return false;
    if (params.care === "short" && (metFirstCode || p.status !== "enrolled")) return false;
    if (params.manager && (p.careManager?.id ?? "none") !== params.manager) return false;
    if (q) {
      const words = q.split(/[\s,]+/).filter(Boolean);
      const byName = words.length > 0 && words.every((w) => p.firstName.toLowerCase().includes(w) || p.lastName.toLowerCase().includes(w));
      const byDigits = digits.length >= 4 && (p.phone.includes(digits) || Boolean(p.device?.imei.includes(digits)));
      if (!byName && !p.mrn.toLowerCase().includes(q) && !byDigits) return false;
    }
    return true;
  });
  const sorted = [...matches].sort(comparator(params));
  const start = (params.page - 1) * params.size;
  return { ids: sorted.slice(start, start + params.size).map((p) => p.id), total: matches.length };
}

function comparator(params: PatientListParams): (a: BulkPatient, b: BulkPatient) => number {
  const sign = params.dir === "desc" ? -1 : 1;
  const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0);
  const byName = (a: BulkPatient, b: BulkPatient) => cmp(a.lastName, b.lastName) || cmp(a.firstName, b.firstName) || cmp(a.id, b.id);
  switch (params.sort) {
    case "mrn":
      return (a, b) => sign * cmp(a.mrn, b.mrn);
    case "status":
      return (a, b) => sign * cmp(a.status, b.status) || byName(a, b);
    case "enrolledAt":
      return (a, b) => sign * cmp(a.enrolledAt.getTime(), b.enrolledAt.getTime()) || cmp(a.id, b.id);
    case "openAlerts":
      return (a, b) => sign * cmp(a.openAlerts, b.openAlerts) || byName(a, b);
    case "careMinutes":
      return (a, b) => sign * cmp(a.care.minutes, b.care.minutes) || byName(a, b);
    case "lastReadingAt":
      return (a, b) => {
        const x = a.device?.lastReadingAt?.getTime() ?? null;
        const y = b.device?.lastReadingAt?.getTime() ?? null;
        if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || cmp(a.id, b.id);
        return sign * cmp(x, y) || cmp(a.id, b.id);
      };
    case "name":
      return (a, b) => sign * (cmp(a.lastName, b.lastName) || cmp(a.firstName, b.firstName)) || cmp(a.id, b.id);
  }
}

const CASES: { title: string; params: Record<string, string> }[] = [
  { title: "the first page by name", params: {} },
  { title: "a later page by name, descending", params: { page: "7", dir: "desc", size: "50" } },
  { title: "offboarded patients only", params: { status: "offboarded" } },
  { title: "one vendor", params: { vendor: "smartz", page: "3" } },
  { title: "one device lifecycle", params: { lifecycle: "shipping" } },
  { title: "vendor and lifecycle on the same device", params: { vendor: "validic", lifecycle: "active", sort: "mrn", dir: "desc" } },
  { title: "patients with open alerts (resolved ones do not count)", params: { alerts: "open", sort: "enrolledAt" } },
  { title: "patients without open alerts", params: { alerts: "none", page: "40", size: "100" } },
  { title: "search by last name, any case", params: { q: "gUpTa" } },
  { title: "search by first and last name words", params: { q: "Ada, Khan" } },
  { title: "search by MRN", params: { q: "bulk-012345" } },
  { title: "search by phone, formatted", params: { q: "(614) 001-2345" } },
  { title: "search by IMEI", params: { q: "350000000019999" } },
  { title: "sort by last reading, newest first, never-read last", params: { sort: "lastReadingAt", dir: "desc", page: "2" } },
  { title: "sort by last reading, oldest first, never-read still last", params: { sort: "lastReadingAt", dir: "asc", page: "800" } },
  { title: "sort by open alerts", params: { sort: "openAlerts", dir: "desc", status: "enrolled" } },
  { title: "care time: met 99457 this month (last month's and removed minutes do not count)", params: { care: "met", page: "5" } },
  { title: "care time: enrolled and short of 99457 (no live call counts as short)", params: { care: "short", sort: "mrn", page: "30" } },
  { title: "sort by care minutes this month, most first", params: { sort: "careMinutes", dir: "desc", page: "2" } },
  { title: "sort by care minutes, fewest first, with a filter", params: { sort: "careMinutes", vendor: "validic", page: "9" } },
  { title: "one care manager's patients", params: { manager: "bulk-manager-2", page: "3" } },
  { title: "patients without a care manager, with a filter", params: { manager: "none", alerts: "open" } },
  {
    title: "filters, search and sort together, on the last partial page",
    params: { status: "enrolled", vendor: "tenovi", alerts: "none", q: "chen", sort: "enrolledAt", dir: "desc", page: "4" },
  },
  { title: "a page past the end: no rows, the right total", params: { status: "offboarded", page: "999" } },
];

describe(`patient list over ${COUNT.toLocaleString("en-US")} patients`, () => {
  it("filters, searches, sorts and pages in the database exactly as specified", async () => {
    await inIsolatedSchema(["User", "Patient", "Device", "Alert", "CareTimeEntry", "CareTimeMonth"], async (tx: Prisma.TransactionClient) => {
      for (const statement of bulkInsertStatements(COUNT)) await tx.$executeRawUnsafe(statement);
      for (const c of CASES) {
        const page = await listPatients(patientListSchema.parse(c.params), tx, BULK_NOW);
        const want = expected(c.params);
        expect({ case: c.title, total: page.total, ids: page.rows.map((r) => r.id) }).toEqual({ case: c.title, ...want });
      }
    });
  });

  it("summarises each row's devices and open alerts", async () => {
    await inIsolatedSchema(["User", "Patient", "Device", "Alert", "CareTimeEntry", "CareTimeMonth"], async (tx) => {
      for (const statement of bulkInsertStatements(60)) await tx.$executeRawUnsafe(statement);
      const page = await listPatients(patientListSchema.parse({ sort: "mrn", size: "100" }), tx, BULK_NOW);
      expect(page.total).toBe(60);
      for (const row of page.rows) {
        const p = everyone.find((x) => x.id === row.id);
        expect(row).toEqual({
          id: p?.id,
          mrn: p?.mrn,
          name: `${p?.lastName}, ${p?.firstName}`,
          status: p?.status,
          enrolledAt: p?.enrolledAt,
          vendors: p?.device ? [p.device.vendor] : [],
          deviceCount: p?.device ? 1 : 0,
          lastReadingAt: p?.device?.lastReadingAt ?? null,
          openAlerts: p?.openAlerts,
          careMinutes: p?.care.minutes,
          careLiveCall: p?.care.live,
          careManager: p?.careManager ? { name: p.careManager.name, isActive: true } : null,
        });
      }
    });
  });

  it("totals care time over the calendar month where each patient lives", async () => {
    await inIsolatedSchema(["Patient", "CareTimeEntry", "CareTimeMonth"], async (tx) => {
      // 12:00 UTC on 30 November is already 1 December in Auckland and still 30 November in New York.
      const now = new Date("2026-11-30T12:00:00.000Z");
      await tx.$executeRawUnsafe(`
        INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", phone, "timeZone", "updatedAt")
        VALUES ('tz-akl', 'TZ-1', 'Aroha', 'Auckland', DATE '1950-01-01', '6140000001', 'Pacific/Auckland', now()),
               ('tz-nyc', 'TZ-2', 'Nia', 'NewYork', DATE '1950-01-01', '6140000002', 'America/New_York', now())`);
      await tx.$executeRawUnsafe(`
        INSERT INTO "CareTimeEntry" (id, "patientId", "staffId", "serviceDate", minutes, interactive)
        SELECT p || d, p, 'staff', d::date, CASE WHEN d = '2026-11-30' THEN 7 ELSE 21 END, true
          FROM unnest(ARRAY['tz-akl', 'tz-nyc']) AS p, unnest(ARRAY['2026-11-30', '2026-12-01']) AS d`);
      const page = await listPatients(patientListSchema.parse({ sort: "mrn" }), tx, now);
      expect(page.rows.map((r) => [r.id, r.careMinutes])).toEqual([
        ["tz-akl", 21],
        ["tz-nyc", 7],
      ]);
      const met = await listPatients(patientListSchema.parse({ care: "met" }), tx, now);
      expect(met.rows.map((r) => r.id)).toEqual(["tz-akl"]);
    });
  });

  it('answers "my patients" with the viewer\'s own', async () => {
    await inIsolatedSchema(["User", "Patient", "Device", "Alert", "CareTimeEntry", "CareTimeMonth"], async (tx) => {
      for (const statement of bulkInsertStatements(30)) await tx.$executeRawUnsafe(statement);
      const mine = await listPatients(withViewer(patientListSchema.parse({ manager: "me", sort: "mrn" }), "bulk-manager-1"), tx, BULK_NOW);
      expect(mine.rows.map((r) => r.id)).toEqual(
        everyone
          .slice(0, 30)
          .filter((p) => p.careManager?.id === "bulk-manager-1")
          .map((p) => p.id),
      );
      expect(new Set(mine.rows.map((r) => r.careManager?.name))).toEqual(new Set(["Mara Manager"]));
      expect(withViewer(patientListSchema.parse({ manager: "none" }), "bulk-manager-1").manager).toBe("none");
    });
  });

  it("treats LIKE wildcards in the search as plain text", async () => {
    await inIsolatedSchema(["User", "Patient", "Device", "Alert", "CareTimeEntry", "CareTimeMonth"], async (tx) => {
      for (const statement of bulkInsertStatements(50)) await tx.$executeRawUnsafe(statement);
      expect((await listPatients(patientListSchema.parse({ q: "%" }), tx)).total).toBe(0);
      expect((await listPatients(patientListSchema.parse({ q: "_ULK" }), tx)).total).toBe(0);
      expect((await listPatients(patientListSchema.parse({ q: "BULK" }), tx)).total).toBe(50);
    });
  });
});
