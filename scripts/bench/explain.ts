import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { PrismaClient } from "@/lib/generated/prisma/client";
import { PATIENT_SEARCH } from "@/scripts/bench/pages";

// EXPLAIN ANALYZE of the SQL the list pages really send: lib/queries' functions run against the bench database
// through a Prisma client that records each statement, and each recorded statement is explained with its
// parameters. For the README's plans and for finding why a page is slow (BENCH_EXPLAIN=1).

// One statement a page sent, with its plan.
export type ExplainedQuery = { page: string; sql: string; plan: string; executionMs: number };

// lib/db.ts's GLOBAL_OMIT, so the statements are the ones the app sends. Copied, not imported: importing lib/db.ts
// creates its client, which needs DATABASE_URL before this module can set one up.
const APP_OMIT = { user: { passwordHash: true }, vendorIdentity: { marketplaceTokenEncrypted: true }, patient: { phone: true, dateOfBirth: true } } as const;

type Recorded = { query: string; params: string };

// Explains the statements of every list page's default view (and the patient search and filter).
export async function explainPageQueries(databaseUrl: string): Promise<ExplainedQuery[]> {
  const recorded: Recorded[] = [];
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 2 }), omit: APP_OMIT, log: [{ emit: "event", level: "query" }] });
  client.$on("query", (event) => recorded.push({ query: event.query, params: event.params }));
  // lib/db.ts reuses a client left on globalThis; lib/queries then send their statements through this one.
  (globalThis as { prisma?: unknown }).prisma = client;
  const { listPatients, patientListSchema } = await import("@/lib/queries/patients");
  const { listDevices, deviceListSchema } = await import("@/lib/queries/devices");
  const { listShipments, shipmentListSchema } = await import("@/lib/queries/shipments");
  const { DEFAULT_SHIPMENT_EXCEPTION_SETTINGS } = await import("@/lib/shipments/exceptions");
  const { readingFeed, feedParamsSchema } = await import("@/lib/queries/feed");
  const { listAlertWorklist, alertWorklistSchema } = await import("@/lib/queries/alerts");
  const pages: [string, () => Promise<unknown>][] = [
    ["Patients (default)", () => listPatients(patientListSchema.parse({}))],
    [`Patients (search "${PATIENT_SEARCH}")`, () => listPatients(patientListSchema.parse({ q: PATIENT_SEARCH }))],
    ["Patients (enrolled, Validic)", () => listPatients(patientListSchema.parse({ status: "enrolled", vendor: "validic" }))],
    ["Patients (care time short of 99457)", () => listPatients(patientListSchema.parse({ care: "short" }))],
    ["Devices", () => listDevices(deviceListSchema.parse({}))],
    ["Shipment exceptions", () => listShipments(shipmentListSchema.parse({ view: "exceptions" }), DEFAULT_SHIPMENT_EXCEPTION_SETTINGS)],
    ["Readings feed", () => readingFeed(feedParamsSchema.parse({}))],
    ["Alert worklist", () => listAlertWorklist(alertWorklistSchema.parse({}), "bench")],
  ];
  const explained: ExplainedQuery[] = [];
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    for (const [page, run] of pages) {
      recorded.length = 0;
      await run();
      for (const statement of recorded.splice(0)) {
        if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(statement.query)) continue;
        const params = JSON.parse(statement.params) as unknown[];
        const result = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.query}`, params);
        const lines = result.rows.map((row) => row["QUERY PLAN"]);
        const execution = /Execution Time: ([\d.]+) ms/.exec(lines.at(-1) ?? "")?.[1];
        explained.push({ page, sql: statement.query, plan: lines.join("\n"), executionMs: Number(execution ?? Number.NaN) });
      }
    }
  } finally {
    await pool.end();
    await client.$disconnect();
  }
  return explained;
}
