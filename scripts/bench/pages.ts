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
  // What a good answer holds: a page heading (the default) or the report's CSV header.
  expect?: "html" | "csv";
  // Fewer requests than BENCH_PAGE_REQUESTS, for a case that takes seconds each.
  maxRequests?: number;
  note?: string;
};

// A signed-in user's cookies, kept as a browser keeps them: every answer's Set-Cookie replaces them. The proxy renews
// the session cookie at most once a minute; a client that never stored the renewal would have it renewed (sealed
// again, with next-auth's whole pipeline) on every request after the first minute, which no browser causes.
export type CookieJar = Map<string, string>;

function absorbCookies(jar: CookieJar, response: Response): void {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

function cookieHeader(jar: CookieJar): string {
  return [...jar.entries()].map(([name, value]) => `${name}=${value}`).join("; ");
}

// Signs a bench account (the bench admin by default) in through next-auth's credentials flow (CSRF token, then the
// callback) and returns its cookies.
export async function signIn(baseUrl: string, account: { email: string; password: string } = BENCH_ADMIN): Promise<CookieJar> {
  const jar: CookieJar = new Map();
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
  return jar;
}

const PATIENT_ROW_SQL = `
  SELECT p.id, p.mrn, p."firstName", p."lastName", p.status, p."enrolledAt", cm.name AS care_manager,
         d.vendors, coalesce(d.devices, 0) AS devices, d.last_reading,
         (SELECT count(*) FROM "Alert" a WHERE a."patientId" = p.id AND a.status <> 'resolved') AS open_alerts
  FROM "Patient" p
  LEFT JOIN LATERAL (SELECT array_agg(DISTINCT x.vendor) AS vendors, count(*) AS devices, max(x."lastReadingAt") AS last_reading
                     FROM "Device" x WHERE x."patientId" = p.id) d ON true
  LEFT JOIN "CareTimeMonth" ct ON ct."patientId" = p.id AND ct.month = date_trunc('month', now() AT TIME ZONE p."timeZone")::date
  LEFT JOIN "User" cm ON cm.id = p."careManagerId"`;

function patientCases(search: string): PageCase[] {
  const list = (where: string, values: unknown[]) => [
    { text: `${PATIENT_ROW_SQL} ${where} ORDER BY p."lastName", p."firstName", p.id LIMIT 25`, values },
    { text: `SELECT count(*) FROM "Patient" p ${where}`, values },
    // The care-manager filter's choices.
    { text: `SELECT id, name, role, "isActive" FROM "User" WHERE "isActive" ORDER BY name, id`, values: [] },
  ];
  const searchWhere = `WHERE (p."lastName" ILIKE $1 OR p."firstName" ILIKE $1 OR p.mrn ILIKE $1)`;
  const filterWhere = `WHERE p.status = 'enrolled' AND EXISTS (SELECT 1 FROM "Device" x WHERE x."patientId" = p.id AND x.vendor = 'validic')`;
  // The month-end worklist: enrolled patients whose care time this month (their time zone) has not met 99457.
  const careShortWhere = `WHERE p.status = 'enrolled' AND p.id NOT IN (
    SELECT ct."patientId" FROM "CareTimeMonth" ct JOIN "Patient" cp ON cp.id = ct."patientId"
     WHERE ct.month >= current_date - 32 AND ct.month = date_trunc('month', now() AT TIME ZONE cp."timeZone")::date
       AND ct.minutes >= 20 AND ct."liveEntries" > 0)`;
  return [
    { name: "Patients (default)", path: () => "/patients", sql: () => list("", []) },
    { name: `Patients (search "${search}")`, path: () => `/patients?q=${search}`, sql: () => list(searchWhere, [`%${search}%`]) },
    { name: "Patients (enrolled, Validic)", path: () => "/patients?status=enrolled&vendor=validic", sql: () => list(filterWhere, []) },
    { name: "Patients (care time short of 99457)", path: () => "/patients?care=short", sql: () => list(careShortWhere, []) },
  ];
}

function patientDetailCase(patientIds: string[]): PageCase {
  const id = (index: number) => patientIds[index % patientIds.length] ?? "";
  return {
    name: "Patient record",
    path: (index) => `/patients/${id(index)}`,
    sql: (index) => [
      { text: `SELECT p.*, cm.name, cm."isActive" FROM "Patient" p LEFT JOIN "User" cm ON cm.id = p."careManagerId" WHERE p.id = $1`, values: [id(index)] },
      { text: `SELECT d.*, g."gatewayUuid" FROM "Device" d LEFT JOIN "Gateway" g ON g.id = d."gatewayId" WHERE d."patientId" = $1 ORDER BY d."createdAt"`, values: [id(index)] },
      {
        text: `SELECT * FROM "Alert" WHERE "patientId" = $1 AND status <> 'resolved' ORDER BY severity DESC, "createdAt" LIMIT 10`,
        values: [id(index)],
      },
      { text: `SELECT * FROM "Reading" WHERE "patientId" = $1 AND "deletedAt" IS NULL ORDER BY "measuredAt" DESC LIMIT 15`, values: [id(index)] },
      {
        text: `SELECT c.*, u.name FROM "CareTimeEntry" c JOIN "User" u ON u.id = c."staffId" WHERE c."patientId" = $1 AND c."serviceDate" >= date_trunc('month', now())::date AND c."deletedAt" IS NULL ORDER BY c."serviceDate" DESC`,
        values: [id(index)],
      },
      // The page records the view in the audit trail; so does its twin.
      {
        text: `INSERT INTO "AuditEvent" ("actorId", "actorRole", action, "targetType", "targetId", "patientId", outcome) VALUES ('bench-admin', 'admin', 'patient.view', 'patient', $1, $1, 'success')`,
        values: [id(index)],
      },
    ],
  };
}

// A patient's 90-day vitals page (charts and the readings table); its twin sends what lib/queries/vitals.ts asks for.
function vitalsCase(patientIds: string[]): PageCase {
  const id = (index: number) => patientIds[index % patientIds.length] ?? "";
  const inRange = `"patientId" = $1 AND "measuredAt" >= now() - interval '90 days' AND "measuredAt" < now()`;
  const chartColumns = `r.id, r.metric, r.value, r.value2, r.unit, r.flags, r."mealContext", r."measuredAt", d.category`;
  return {
    name: "Patient 90-day vitals",
    path: (index) => `/patients/${id(index)}/vitals?range=90d`,
    sql: (index) => [
      { text: `SELECT id, "firstName", "lastName", mrn, "timeZone", status FROM "Patient" WHERE id = $1`, values: [id(index)] },
      {
        text: `SELECT ${chartColumns} FROM "Reading" r LEFT JOIN "Device" d ON d.id = r."deviceId" WHERE r.${inRange} AND r."deletedAt" IS NULL ORDER BY r."measuredAt"`,
        values: [id(index)],
      },
      {
        text: `SELECT ${chartColumns} FROM "Reading" r LEFT JOIN "Device" d ON d.id = r."deviceId"
               WHERE r."patientId" = $1 AND r.metric = 'body_weight' AND r."deletedAt" IS NULL AND r."measuredAt" >= now() - interval '60 days' AND r."measuredAt" <= now()
               ORDER BY r."measuredAt"`,
        values: [id(index)],
      },
      { text: `SELECT * FROM "AlertRule" WHERE ("patientId" IS NULL AND "isActive") OR "patientId" = $1 ORDER BY metric, kind, comparator, "createdAt"`, values: [id(index)] },
      { text: `SELECT value FROM "ClinicSetting" WHERE key = 'glucose.unit'`, values: [] },
      {
        text: `SELECT r.id, r.metric, r.value, r.value2, r.unit, r.flags, r."mealContext", r."measuredAt", r."utcOffsetSeconds", r.vendor, r.arrival, r.origin,
                      r."deletedAt", d."vendorType", d.imei, d."vendorDeviceId"
               FROM "Reading" r LEFT JOIN "Device" d ON d.id = r."deviceId" WHERE r.${inRange} AND r."deletedAt" IS NULL
               ORDER BY r."measuredAt" DESC, r.id DESC LIMIT 500`,
        values: [id(index)],
      },
      { text: `SELECT count(*) FROM "Reading" WHERE ${inRange} AND "deletedAt" IS NOT NULL`, values: [id(index)] },
      {
        text: `INSERT INTO "AuditEvent" ("actorId", "actorRole", action, "targetType", "targetId", "patientId", outcome) VALUES ('bench-admin', 'admin', 'patient.vitals.view', 'patient', $1, $1, 'success')`,
        values: [id(index)],
      },
    ],
  };
}

// lib/adherence's NON_BILLABLE_METRICS and the CSV's first column. Copied, not imported: lib/adherence imports
// lib/db.ts, which would create its client before explain.ts can hand it the bench database (see explain.ts).
const NON_BILLABLE_METRICS = ["battery_percentage"];
const CSV_FIRST_COLUMN = "Month";

// The last whole calendar month (UTC), which the generated two years of readings cover.
function lastMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

// The monthly adherence report (CSV of every patient, GET /api/reports/adherence); its twin is the report's own
// statement (lib/adherence/monthly-report.ts) sent with pg, plus the audit row the route writes.
function adherenceCase(): PageCase {
  const month = lastMonth();
  return {
    name: "Monthly adherence report (CSV)",
    path: () => `/api/reports/adherence?month=${month}`,
    expect: "csv",
    // Each export reads a month of readings for every patient (seconds); 16 users share 16 requests.
    maxRequests: 16,
    sql: () => [
      {
        text: `WITH m AS (SELECT $1::date AS first_day, ($1::date + interval '1 month')::date AS next_first)
               SELECT p.id, p.mrn, p."lastName", p."firstName", p.status::text AS status, p."timeZone",
                      to_char((p."enrolledAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone", 'YYYY-MM-DD') AS enrolled_on,
                      to_char((p."offboardedAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone", 'YYYY-MM-DD') AS offboarded_on,
                      COALESCE(d.days, 0)::int AS days, (m.next_first - m.first_day)::int AS days_in_month,
                      COALESCE(ct.minutes, 0) AS minutes, COALESCE(ct."liveEntries", 0) > 0 AS live
               FROM "Patient" p CROSS JOIN m
               LEFT JOIN LATERAL (
                 SELECT count(DISTINCT ((r."measuredAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone")::date) AS days
                 FROM "Reading" r
                 WHERE r."patientId" = p.id AND r."deletedAt" IS NULL AND r.origin <> 'manual' AND r.metric <> ALL($2::text[])
                   AND r."measuredAt" >= ((m.first_day::timestamp AT TIME ZONE p."timeZone") AT TIME ZONE 'UTC')
                   AND r."measuredAt" < ((m.next_first::timestamp AT TIME ZONE p."timeZone") AT TIME ZONE 'UTC')
               ) d ON true
               LEFT JOIN "CareTimeMonth" ct ON ct."patientId" = p.id AND ct.month = m.first_day
               WHERE ((p."enrolledAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone")::date < m.next_first
                 AND (p."offboardedAt" IS NULL OR ((p."offboardedAt" AT TIME ZONE 'UTC') AT TIME ZONE p."timeZone")::date >= m.first_day)
               ORDER BY p."lastName", p."firstName", p.mrn`,
        values: [`${month}-01`, NON_BILLABLE_METRICS],
      },
      {
        text: `INSERT INTO "AuditEvent" ("actorId", "actorRole", action, "targetType", "targetId", outcome) VALUES ('bench-admin', 'admin', 'report.adherence.export', 'report', $1, 'success')`,
        values: [`adherence:${month}`],
      },
    ],
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
      name: "Shipment exceptions",
      path: () => "/shipments?view=exceptions",
      sql: () => {
        // The worklist's rule (lib/shipments/exceptions.ts, default settings) written by hand: enrolled patients'
        // shipments stuck on the way for 7 days, delivered 5 days ago without a reading since, or in a vendor's
        // problem status; the page of 25 longest in their state (the view's default order) and the count per reason
        // (the tabs and the total), in one statement as the page sends them; then the status filter's choices.
        const worklist = `SELECT * FROM (
            SELECT s.id, s.vendor, s.status, s.carrier, s."trackingLink", s."createdAt", s."updatedAt", s."stateSince", p.id AS patient_id, p."firstName", p."lastName", p.mrn,
                   d."vendorType", coalesce(d.imei, d."vendorDeviceId") AS device,
                   CASE
                     WHEN s."statusKey" IN ('pending shipment', 'dropship requested', 'ready to ship', 'shipped', 'dropshipped')
                          AND s."stateSince" <= now() - interval '7 days' THEN 'stuck'
                     WHEN s."statusKey" = 'delivered' AND s."deviceId" IS NOT NULL AND coalesce(s."deliveredAt", s."stateSince") <= now() - interval '5 days'
                          AND (d."lastReadingAt" IS NULL OR d."lastReadingAt" < coalesce(s."deliveredAt", s."stateSince")) THEN 'no_first_reading'
                     WHEN s."statusKey" IN ('returned', 'client action required', 'on hold') THEN s."statusKey"
                   END AS reason
            FROM "Shipment" s JOIN "Patient" p ON p.id = s."patientId" AND p.status = 'enrolled' LEFT JOIN "Device" d ON d.id = s."deviceId") x
          WHERE reason IS NOT NULL`;
        return [
          {
            text: `WITH x AS MATERIALIZED (${worklist})
                   SELECT (SELECT json_object_agg(reason, n) FROM (SELECT reason, count(*) AS n FROM x GROUP BY reason) c) AS counts, pg.*
                     FROM (SELECT * FROM x ORDER BY "stateSince", id LIMIT 25) pg`,
            values: [],
          },
          { text: `SELECT DISTINCT status FROM "Shipment" ORDER BY status`, values: [] },
        ];
      },
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
export async function pageCases(databaseUrl: string): Promise<PageCase[]> {
  const patientIds = await activePatients(databaseUrl);
  return [...patientCases(PATIENT_SEARCH), patientDetailCase(patientIds), vitalsCase(patientIds), ...listCases(), adherenceCase()];
}

// Fetches a dashboard page (or the CSV report) signed in, keeping the cookies it sets: ok when it answers 200 with a page heading (not a redirect
// to sign-in), or with the CSV's header row.
export async function fetchPage(
  baseUrl: string,
  path: string,
  cookies: CookieJar,
  signal?: AbortSignal,
  expect: "html" | "csv" = "html",
): Promise<{ ok: boolean; status: number; detail?: string }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookieHeader(cookies) }, redirect: "manual", signal });
  absorbCookies(cookies, response);
  const body = await response.text();
  if (response.status !== 200) return { ok: false, status: response.status, detail: `${path}: ${response.status}` };
  if (expect === "csv") return body.startsWith(`${CSV_FIRST_COLUMN},`) ? { ok: true, status: 200 } : { ok: false, status: 200, detail: `${path}: no CSV header` };
  return body.includes("<h1") ? { ok: true, status: 200 } : { ok: false, status: 200, detail: `${path}: no page heading` };
}

async function timeSql(pool: pg.Pool, statements: { text: string; values: unknown[] }[]): Promise<void> {
  await Promise.all(statements.map((statement) => pool.query(statement)));
}

// Measures one case at one concurrency: page (or call) first, then its SQL twin.
async function measureCase(settings: PageSettings, page: PageCase, concurrency: number, cookies: CookieJar, pool: pg.Pool): Promise<PageResult> {
  const call = async (index: number) => {
    const result = await fetchPage(settings.baseUrl, page.path(index), cookies, undefined, page.expect ?? "html");
    return { ok: result.ok, units: 1, detail: result.detail };
  };
  const requests = Math.min(settings.requests, page.maxRequests ?? settings.requests);
  // Warm-up (compiled route, connection pools, plan cache): once for a slow case, else three times.
  const warmUps = page.maxRequests ? 1 : 3;
  for (let i = 0; i < warmUps; i++) await call(i);
  const pageRun = await measureCpu(settings.cpu, () => runClosedLoop({ concurrency, maxItems: requests, seconds: settings.maxSeconds, call }));
  const pageLoad = pageRun.result;
  for (let i = 0; i < warmUps; i++) await timeSql(pool, page.sql(i));
  const sqlRun = await measureCpu(settings.cpu, () =>
    runClosedLoop({
      concurrency,
      maxItems: requests,
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
export type PageSettings = {
  baseUrl: string;
  databaseUrl: string;
  concurrency: number[];
  requests: number;
  maxSeconds: number;
  cpu: ReturnType<typeof cpuSubjects>;
  // Names (prefixes) of the cases to run; all when empty.
  only: string[];
};

// V8 compiles the server's code as it runs, so a fresh server answers its first hundred or so pages slower: every page
// is viewed this many times before anything is measured, or the first case measured pays for the warm-up.
const WARM_UP_VIEWS = 20;

async function warmUpServer(baseUrl: string, cases: PageCase[], cookies: CookieJar): Promise<void> {
  for (let view = 0; view < WARM_UP_VIEWS; view++) {
    for (const page of cases) if (!page.maxRequests) await fetchPage(baseUrl, page.path(view), cookies, undefined, page.expect ?? "html");
  }
}

// Runs every page case at every concurrency level.
export async function runPageBenchmark(settings: PageSettings, log: (message: string) => void): Promise<PageResult[]> {
  const cookies = await signIn(settings.baseUrl);
  const cases = (await pageCases(settings.databaseUrl)).filter((page) => settings.only.length === 0 || settings.only.some((prefix) => page.name.startsWith(prefix)));
  // Idle connections close within a second, so the twins do not hold connections the next page run needs (a
  // shared server has few to spare, and every web process has its own pool).
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: Math.max(...settings.concurrency) * 2, idleTimeoutMillis: 1_000 });
  const results: PageResult[] = [];
  log(`  warm-up: ${WARM_UP_VIEWS} views of each page`);
  await warmUpServer(settings.baseUrl, cases, cookies);
  try {
    for (const page of cases) {
      for (const concurrency of settings.concurrency) {
        const started = performance.now();
        const result = await measureCase(settings, page, concurrency, cookies, pool);
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
