import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";

import { coordinatorCookie, killAll, processOutputs, serverActionId, startFaultCluster, startWeb, waitFor, withClient, type FaultCluster } from "./harness";

// Issue #8: PostgreSQL stops while a coordinator's server action is writing (a real `next start`, the action called
// over HTTP as the browser calls it). The coordinator must get a clear message (not a stack trace or the generic
// one), nothing may be half-written or audited as done, and after the restart the same action succeeds once.

const PG_PORT = 54381;
const WEB_PORT = 3381;
const UNAVAILABLE_MESSAGE = "The database is unavailable; your change was not saved. Try again in a moment.";
const GENERIC_MESSAGE = "Something went wrong while executing the operation.";

test.describe.configure({ mode: "serial" });

let cluster: FaultCluster;
let web: { url: string };

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startFaultCluster(PG_PORT);
  web = await startWeb(WEB_PORT, cluster.url);
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach("processes", { body: processOutputs(), contentType: "text/plain" });
});

test.afterAll(async () => {
  await killAll();
  await cluster?.stop().catch(() => undefined);
});

// Calls a server action the way the browser does (POST to its page with the Next-Action header); the RSC answer.
async function callAction(action: { id: string; page: string }, cookie: string, input: unknown): Promise<{ status: number; body: string }> {
  const response = await fetch(`${web.url}${action.page}`, {
    method: "POST",
    headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", Cookie: cookie, Origin: web.url },
    body: JSON.stringify([input]),
  });
  return { status: response.status, body: await response.text() };
}

function enrolment(mrn: string) {
  return {
    mrn,
    firstName: "Fault",
    lastName: "Rehearsal",
    dateOfBirth: "1950-04-23",
    phone: "(614) 555-0123",
    email: "",
    addressLine1: "1 Main St",
    addressLine2: "",
    city: "Columbus",
    state: "OH",
    zipCode: "43004",
    physician: "Dr. Ada Physician",
    timeZone: "America/New_York",
    smsConsent: false,
  };
}

test("a database stopped while enrolment's INSERT runs: the coordinator reads a clear message, nothing is written or audited as done, and the retry enrols once", async () => {
  const action = serverActionId("enrolPatientAction");
  const { userId, cookie } = await coordinatorCookie(cluster.url);
  const mrn = `MRN-F${randomBytes(4).toString("hex").toUpperCase()}`;
  const patients = () => withClient(cluster.url, async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "Patient" WHERE mrn = $1`, [mrn])).rows[0]?.n));
  const audits = () =>
    withClient(cluster.url, async (c) => (await c.query<{ outcome: string }>(`SELECT outcome FROM "AuditEvent" WHERE "actorId" = $1 AND action = 'patient.enrol' ORDER BY "createdAt"`, [userId])).rows.map((r) => r.outcome));

  // Another session's lock holds the action's INSERT (the session and MRN checks before it have run); then a fast shutdown.
  const locker = new pg.Client({ connectionString: cluster.url });
  locker.on("error", () => undefined);
  await locker.connect();
  await locker.query(`BEGIN; LOCK TABLE "Patient" IN SHARE MODE`);
  const answer = callAction(action, cookie, enrolment(mrn));
  await waitFor("the action's INSERT to wait on the lock", async () => {
    const waiting = await withClient(cluster.url, (c) => c.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO "public"."Patient"%'`));
    return (waiting.rowCount ?? 0) > 0;
  });
  await cluster.stop();
  const failed = await answer;
  await locker.end().catch(() => undefined);

  expect(failed.status, failed.body).toBe(200);
  expect(failed.body).toContain(UNAVAILABLE_MESSAGE);
  expect(failed.body).not.toContain(GENERIC_MESSAGE);
  expect(failed.body).not.toMatch(/\bat \S+ \(|PrismaClient|ECONNREFUSED|terminating connection/);

  await cluster.start();
  expect(await patients()).toBe(0);
  expect(await audits()).not.toContain("success");

  // The coordinator presses the button again: enrolled once, audited once.
  let retried = { status: 0, body: "" };
  await waitFor("the retried enrolment to succeed", async () => {
    retried = await callAction(action, cookie, enrolment(mrn));
    return !retried.body.includes("serverError");
  }, 20_000);
  expect(retried.status).toBe(200);
  expect(await patients()).toBe(1);
  expect(await audits()).toEqual(expect.arrayContaining(["success"]));
  expect((await audits()).filter((o) => o === "success")).toHaveLength(1);

  // A third press is refused as a duplicate and writes nothing more.
  const again = await callAction(action, cookie, enrolment(mrn));
  expect(again.body).toMatch(/already/i);
  expect(await patients()).toBe(1);

  // The web process lived through the outage.
  expect((await fetch(`${web.url}/api/health`)).status).toBe(200);
});
