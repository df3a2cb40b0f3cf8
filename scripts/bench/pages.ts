import { performance } from "node:perf_hooks";
import pg from "pg";

import { withClient } from "@/scripts/bench/database";
import { BENCH_ADMIN } from "@/scripts/bench/generate";
import { runClosedLoop } from "@/scripts/bench/closed-loop";
import { measureCpu, type cpuSubjects } from "@/scripts/bench/memory";
import { ratio, round, summarize, type LatencySummary } from "@/scripts/bench/stats";

// The page benchmark: each dashboard page fetched signed in (the full server-rendered HTML, as a browser's first
// load gets it) by 1 and 16 concurrent users, and beside it the hand-written SQL that fetches the same data,
// at the same concurrency, in the same run.

// One measured page (or query) at one concurrency, with its SQL twin.
export type PageResult = {
  name: string;
  path: string;
  concurrency: number;
  pageMs: LatencySummary;
  sqlMs: LatencySummary;
  // Page p50/p95 over SQL p50/p95.
  ratioP50: number;
  ratioP95: number;
  errors: number;
  // CPU per request: the web server's and PostgreSQL's for the page, PostgreSQL's for its SQL twin.
  cpuMsPerRequest: { web: number; postgres: number; sqlPostgres: number };
  note?: string;
};

// Something to measure: an HTTP path (or an in-process call) and the SQL that gets the same rows.
type PageCase = {
  name: string;
  path: (index: number) => string;
  sql: (index: number) => { text: string; values: unknown[] }[];
  // Instead of an HTTP page: a call measured in-process (the query a page that does not exist yet would run).
  call?: (index: number) => Promise<unknown>;
  note?: string;
};

type Jar = Map<string, string>;

function absorbCookies(jar: Jar, response: Response): void {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

function cookieHeader(jar: Jar): string {
  return [...jar.entries()].map(([name, value]) => `${name}=${value}`).join("; ");
}

// Signs a bench account (the bench admin by default) in through next-auth's credentials flow (CSRF token, then the
// callback) and returns the session cookie header.
export async function signIn(baseUrl: string, account: { email: string; password: string } = BENCH_ADMIN): Promise<string> {
  const jar: Jar = new Map();
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  absorbCookies(jar, csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email: account.email, password: account.password, callbackUrl: `${baseUrl}/patients` });
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar) },
    body: form.toString(),
    redirect: "manual",
  });
  await response.arrayBuffer();
  absorbCookies(jar, response);
  if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error(`sign-in failed (${response.status}): no session cookie`);
  return cookieHeader(jar);
}

const PATIENT_ROW_SQL = `
  SELECT p.id, p.mrn, p."firstName", p."lastName", p.status, p."enrolledAt",
         d.vendors, coalesce(d.devices, 0) AS devices, d.last_reading,
         (SELECT count(*) FROM "Alert" a WHERE a."patientId" = p.id AND a.status <> 'resolved') AS open_alerts
  FROM "Patient" p
  LEFT JOIN LATERAL (SELECT array_agg(DISTINCT x.vendor) AS vendors, count(*) AS devices, max(x."lastReadingAt") AS last_reading
                     FROM "Device" x WHERE x."patientId" = p.id) d ON true`;

function patientCases(search: string): PageCase[] {
  const list = (where: string, values: unknown[]) => [
    { text: `${PATIENT_ROW_SQL} ${where} ORDER BY p."lastName", p."firstName", p.id LIMIT 25`, values },
    { text: `SELECT count(*) FROM "Patient" p ${where}`, values },
  ];
  const searchWhere = `WHERE (p."lastName" ILIKE $1 OR p."firstName" ILIKE $1 OR p.mrn ILIKE $1)`;
  const filterWhere = `WHERE p.status = 'enrolled' AND EXISTS (SELECT 1 FROM "Device" x WHERE x."patientId" = p.id AND x.vendor = 'validic')`;
  return [
    { name: "Patients (default)", path: () => "/patients", sql: () => list("", []) },
    { name: `Patients (search "${search}")`, path: () => `/patients?q=${search}`, sql: () => list(searchWhere, [`%${search}%`]) },
    { name: "Patients (enrolled, Validic)", path: () => "/patients?status=enrolled&vendor=validic", sql: () => list(filterWhere, []) },
  ];
}

function patientDetailCase(patientIds: string[]): PageCase {
  const id = (index: number) => patientIds[index % patientIds.length] ?? "";
  return {
    name: "Patient record",
    path: (index) => `/patients/${id(index)}`,
    sql: (index) => [
      { text: `SELECT * FROM "Patient" WHERE id = $1`, values: [id(index)] },
      { text: `SELECT d.*, g."gatewayUuid" FROM "Device" d LEFT JOIN "Gateway" g ON g.id = d."gatewayId" WHERE d."patientId" = $1 ORDER BY d."createdAt"`, values: [id(index)] },
      {
        text: `SELECT * FROM "Alert" WHERE "patientId" = $1 AND status <> 'resolved' ORDER BY severity DESC, "createdAt" LIMIT 10`,
        values: [id(index)],
      },
      { text: `SELECT * FROM "Reading" WHERE "patientId" = $1 AND "deletedAt" IS NULL ORDER BY "measuredAt" DESC LIMIT 15`, values: [id(index)] },
      // The page records the view in the audit trail; so does its twin.
      {
        text: `INSERT INTO "AuditEvent" ("actorId", "actorRole", action, "targetType", "targetId", "patientId", outcome) VALUES ('bench-admin', 'admin', 'patient.view', 'patient', $1, $1, 'success')`,
        values: [id(index)],
      },
    ],
  };
}

// The 90-day vitals query a patient chart needs, through Prisma as a page would run it.
function vitalsCase(patientIds: string[], vitals: (patientId: string) => Promise<unknown>): PageCase {
  const id = (index: number) => patientIds[index % patientIds.length] ?? "";
  return {
    name: "Patient 90-day vitals (query)",
    path: (index) => `(prisma) readings of ${id(index)}`,
    call: (index) => vitals(id(index)),
    sql: (index) => [
      {
        text: `SELECT id, metric, value, value2, unit, flags, "measuredAt" FROM "Reading"
               WHERE "patientId" = $1 AND "measuredAt" >= now() - interval '90 days' AND "deletedAt" IS NULL ORDER BY "measuredAt"`,
        values: [id(index)],
      },
    ],
    note: "no 90-day vitals page in this branch: the Prisma query such a page would run, measured in-process",
  };
}

function listCases(): PageCase[] {
  return [
    {
      name: "Devices",
      path: () => "/devices",
      sql: () => [
        {
          text: `SELECT d.id, d.vendor, d.category, d."vendorType", d.imei, d."vendorDeviceId", d.lifecycle, d."vendorStatus", d."lastReadingAt",
                        g."gatewayUuid", p.id AS patient_id, p."firstName", p."lastName", s.status AS shipment_status
                 FROM (SELECT * FROM "Device" ORDER BY "updatedAt", id LIMIT 25) d
                 LEFT JOIN "Gateway" g ON g.id = d."gatewayId" LEFT JOIN "Patient" p ON p.id = d."patientId"
                 LEFT JOIN LATERAL (SELECT status FROM "Shipment" s WHERE s."deviceId" = d.id ORDER BY s."createdAt" DESC LIMIT 1) s ON true
                 ORDER BY d."updatedAt", d.id`,
          values: [],
        },
        { text: `SELECT count(*) FROM "Device"`, values: [] },
      ],
    },
    {
      name: "Shipments",
      path: () => "/shipments",
      sql: () => [
        {
          text: `SELECT s.id, s.vendor, s.fulfiller, s.status, s."trackingLink", s.carrier, s."createdAt", s."updatedAt",
                        p.id AS patient_id, p."firstName", p."lastName", d."vendorType"
                 FROM "Shipment" s JOIN "Patient" p ON p.id = s."patientId" LEFT JOIN "Device" d ON d.id = s."deviceId"
                 ORDER BY s."updatedAt" DESC, s.id LIMIT 25`,
          values: [],
        },
        { text: `SELECT count(*) FROM "Shipment"`, values: [] },
      ],
    },
    {
      name: "Readings feed",
      path: () => "/readings",
      sql: () => [
        {
          text: `SELECT r.id, r.metric, r.value, r.value2, r.unit, r.flags, r.vendor, r.arrival, r."measuredAt", p.id AS patient_id, p."firstName", p."lastName"
                 FROM "Reading" r LEFT JOIN "Patient" p ON p.id = r."patientId"
                 WHERE r."deletedAt" IS NULL ORDER BY r."measuredAt" DESC, r.id DESC LIMIT 25`,
          values: [],
        },
        // The feed counts at most 10,000 readings past the page (lib/queries/activity.ts); so does its twin.
        { text: `SELECT count(*) FROM (SELECT 1 FROM "Reading" WHERE "deletedAt" IS NULL LIMIT 10001) AS ahead`, values: [] },
      ],
    },
    {
      name: "Alert worklist",
      path: () => "/alerts",
      sql: () => [
        {
          text: `SELECT a.id, a.severity, a.status, a.message, a."createdAt", p.id AS patient_id, p."firstName", p."lastName", u.name AS assignee
                 FROM "Alert" a JOIN "Patient" p ON p.id = a."patientId" LEFT JOIN "User" u ON u.id = a."assignedToId"
                 WHERE a.status <> 'resolved' ORDER BY a.severity DESC, a."createdAt" LIMIT 25`,
          values: [],
        },
        { text: `SELECT count(*) FROM "Alert" WHERE status <> 'resolved'`, values: [] },
      ],
    },
  ];
}

// Patients with readings in the last 90 days, to open their records.
export async function activePatients(databaseUrl: string): Promise<string[]> {
  return withClient(databaseUrl, async (client) => {
    const rows = await client.query<{ id: string }>(
      `SELECT DISTINCT d."patientId" AS id FROM "Device" d WHERE d.lifecycle = 'active' AND d."patientId" IS NOT NULL ORDER BY 1 LIMIT 50`,
    );
    return rows.rows.map((row) => row.id);
  });
}

// A name fragment that matches about one patient in a hundred, as a coordinator's search does.
export const PATIENT_SEARCH = "garc";

// Every page case of this branch.
export async function pageCases(databaseUrl: string, vitals: (patientId: string) => Promise<unknown>): Promise<PageCase[]> {
  const patientIds = await activePatients(databaseUrl);
  return [...patientCases(PATIENT_SEARCH), patientDetailCase(patientIds), vitalsCase(patientIds, vitals), ...listCases()];
}

// Fetches a dashboard page signed in: ok when it answers 200 with a page heading (not a redirect to sign-in).
export async function fetchPage(baseUrl: string, path: string, cookie: string, signal?: AbortSignal): Promise<{ ok: boolean; status: number; detail?: string }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: "manual", signal });
  const html = await response.text();
  if (response.status !== 200) return { ok: false, status: response.status, detail: `${path}: ${response.status}` };
  return html.includes("<h1") ? { ok: true, status: 200 } : { ok: false, status: 200, detail: `${path}: no page heading` };
}

async function timeSql(pool: pg.Pool, statements: { text: string; values: unknown[] }[]): Promise<void> {
  await Promise.all(statements.map((statement) => pool.query(statement)));
}

// Measures one case at one concurrency: page (or call) first, then its SQL twin.
async function measureCase(settings: PageSettings, page: PageCase, concurrency: number, cookie: string, pool: pg.Pool): Promise<PageResult> {
  const call = async (index: number) => {
    if (page.call) {
      await page.call(index);
      return { ok: true, units: 1 };
    }
    const result = await fetchPage(settings.baseUrl, page.path(index), cookie);
    return { ok: result.ok, units: 1, detail: result.detail };
  };
  // Warm-up: compiled route, connection pools, plan cache.
  for (let i = 0; i < 3; i++) await call(i);
  const pageRun = await measureCpu(settings.cpu, () => runClosedLoop({ concurrency, maxItems: settings.requests, seconds: settings.maxSeconds, call }));
  const pageLoad = pageRun.result;
  for (let i = 0; i < 3; i++) await timeSql(pool, page.sql(i));
  const sqlRun = await measureCpu(settings.cpu, () =>
    runClosedLoop({
      concurrency,
      maxItems: settings.requests,
      seconds: settings.maxSeconds,
      call: async (index) => {
        await timeSql(pool, page.sql(index));
        return { ok: true, units: 1 };
      },
    }),
  );
  const sqlLoad = sqlRun.result;
  const perRequest = (ms: number, count: number) => round(ms / Math.max(1, count), 1);
  const pageMs = summarize(pageLoad.latenciesMs);
  const sqlMs = summarize(sqlLoad.latenciesMs);
  if (pageLoad.errors.length > 0) throw new Error(`page ${page.name} failed: ${pageLoad.errors.join("; ")}`);
  return {
    name: page.name,
    path: page.path(0),
    concurrency,
    pageMs,
    sqlMs,
    ratioP50: ratio(pageMs.p50, sqlMs.p50),
    ratioP95: ratio(pageMs.p95, sqlMs.p95),
    errors: pageLoad.errorCount,
    cpuMsPerRequest: {
      web: perRequest(pageRun.webCpuMs, pageLoad.latenciesMs.length),
      postgres: perRequest(pageRun.postgresCpuMs, pageLoad.latenciesMs.length),
      sqlPostgres: perRequest(sqlRun.postgresCpuMs, sqlLoad.latenciesMs.length),
    },
    note: page.note,
  };
}

// Bounds of the page phase.
export type PageSettings = { baseUrl: string; databaseUrl: string; concurrency: number[]; requests: number; maxSeconds: number; cpu: ReturnType<typeof cpuSubjects> };

// Runs every page case at every concurrency level.
export async function runPageBenchmark(
  settings: PageSettings,
  vitals: (patientId: string) => Promise<unknown>,
  log: (message: string) => void,
): Promise<PageResult[]> {
  const cookie = await signIn(settings.baseUrl);
  const cases = await pageCases(settings.databaseUrl, vitals);
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: Math.max(...settings.concurrency) * 2 });
  const results: PageResult[] = [];
  try {
    for (const page of cases) {
      for (const concurrency of settings.concurrency) {
        const started = performance.now();
        const result = await measureCase(settings, page, concurrency, cookie, pool);
        results.push(result);
        log(
          `  ${page.name} × ${concurrency}: page p50 ${result.pageMs.p50} ms p95 ${result.pageMs.p95} ms, SQL p50 ${result.sqlMs.p50} ms p95 ${result.sqlMs.p95} ms, ` +
            `ratio p95 ${result.ratioP95}; CPU/request web ${result.cpuMsPerRequest.web} ms, PostgreSQL ${result.cpuMsPerRequest.postgres} ms (SQL twin ${result.cpuMsPerRequest.sqlPostgres} ms) ` +
            `(${Math.round(performance.now() - started)} ms)`,
        );
      }
    }
  } finally {
    await pool.end();
  }
  return results;
}
