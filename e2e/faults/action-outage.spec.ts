import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";

import { luhnCheckDigit } from "../../lib/vendors/validic/imei";
import { coordinatorCookie, killAll, processOutputs, serverActionId, startFaultCluster, startSimulators, startWeb, waitFor, withClient, type FaultCluster } from "./harness";

// Issue #8: PostgreSQL stops while a coordinator's server action is writing (a real web process, the action called
// over HTTP as the browser calls it). The coordinator must get a clear message (not a stack trace or the generic
// one), nothing may be half-written or audited as done, and after the restart the same action succeeds once.

const PG_PORT = 54381;
const WEB_PORT = 3381;
const SIMULATOR_PORT = 3389;
const UNAVAILABLE_MESSAGE = "The database is unavailable, so this was not completed. Try again in a moment.";
const GENERIC_MESSAGE = "Something went wrong while executing the operation.";

test.describe.configure({ mode: "serial" });

let cluster: FaultCluster;
let web: { url: string };

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startFaultCluster(PG_PORT);
  await startSimulators(SIMULATOR_PORT, cluster.url);
  web = await startWeb(WEB_PORT, cluster.url, { SIMULATOR_PORT: String(SIMULATOR_PORT) });
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

// A patient written straight into the database, ready for a device.
async function insertPatient(): Promise<string> {
  const id = `faults-patient-${randomBytes(6).toString("hex")}`;
  await withClient(cluster.url, (c) =>
    c.query(
      `INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", "addressLine1", city, state, "zipCode", physician, "updatedAt")
       VALUES ($1, $2, 'Fault', 'Device', '1950-04-23', '1 Main St', 'Columbus', 'OH', '43004', 'Dr. Ada Physician', now())`,
      [id, `MRN-D${randomBytes(4).toString("hex").toUpperCase()}`],
    ),
  );
  return id;
}

function freshImei(): string {
  const payload = `35${String(Date.now()).slice(-8)}${String(Math.floor(Math.random() * 1e4)).padStart(4, "0")}`;
  return `${payload}${luhnCheckDigit(payload)}`;
}

test("a database stopped while an on-site Tenovi assignment is being recorded: no half-written device, the action's own explanation, and Check with vendor finishes it without a second activation", async () => {
  const { userId, cookie } = await coordinatorCookie(cluster.url);
  const patientId = await insertPatient();
  const assign = serverActionId("assignDeviceAction", { id: patientId });
  const reconcile = serverActionId("reconcileDeviceAction", { id: patientId });
  const imei = freshImei();
  const activationsAtTenovi = () =>
    withClient(cluster.url, async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "SimulatorEntity" WHERE vendor = 'tenovi' AND data::text LIKE '%' || $1 || '%' AND kind ILIKE '%device%'`, [imei])).rows[0]?.n));
  const deviceRows = () =>
    withClient(cluster.url, async (c) =>
      (await c.query<{ id: string; lifecycle: string; vendorStatus: string | null; vendorDeviceId: string | null; assignments: string }>(
        `SELECT d.id, d.lifecycle, d."vendorStatus", d."vendorDeviceId", (SELECT count(*) FROM "DeviceAssignment" a WHERE a."deviceId" = d.id AND a."endedAt" IS NULL) AS assignments
           FROM "Device" d WHERE d.imei = $1`,
        [imei],
      )).rows,
    );

  // Tenovi has activated the device when the local recording's writes wait on another session's lock; then a fast shutdown.
  const locker = new pg.Client({ connectionString: cluster.url });
  locker.on("error", () => undefined);
  await locker.connect();
  await locker.query(`BEGIN; LOCK TABLE "DeviceAssignment" IN SHARE MODE`);
  const input = { vendor: "tenovi", connectivity: "cellular", patientId, deviceName: "Tenovi Cellular BPM - L", imei };
  const answer = callAction(assign, cookie, input);
  await waitFor("the recording to wait on the lock", async () => {
    const waiting = await withClient(cluster.url, (c) => c.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%"DeviceAssignment"%'`));
    return (waiting.rowCount ?? 0) > 0;
  });
  expect(await activationsAtTenovi()).toBe(1);
  await cluster.stop();
  const failed = await answer;
  await locker.end().catch(() => undefined);
  expect(failed.status, failed.body).toBe(200);
  // The action's own answer (its outcome could not be audited either, and a generic "try again" would invite a
  // second activation): Tenovi has the device, Pulseboard left it pending and says how to finish.
  expect(failed.body).toContain("pending-verification");
  expect(failed.body).toContain("use “Check with vendor” to pick up Tenovi's record (it will not be requested twice)");
  expect(failed.body).not.toMatch(/\bat \S+ \(|PrismaClient|ECONNREFUSED|terminating connection/);

  // After the restart: the reservation Pulseboard made before calling Tenovi, still pending, and nothing half-recorded.
  await cluster.start();
  const [pending] = await deviceRows();
  expect(pending).toMatchObject({ vendorStatus: "Pending verification", vendorDeviceId: null, assignments: "0" });
  const audits = await withClient(cluster.url, async (c) => (await c.query<{ action: string; outcome: string }>(`SELECT action, outcome FROM "AuditEvent" WHERE "actorId" = $1`, [userId])).rows);
  expect(audits.filter((a) => a.action === "device.assign" && a.outcome === "success")).toHaveLength(0);
  // Its "started" event names the patient and stays marked unfinished, for the Admin page to point at.
  const unfinished = await withClient(cluster.url, async (c) =>
    (await c.query(`SELECT u.action, e."patientId" FROM "UnfinishedAction" u JOIN "AuditEvent" e ON e.id = u."startedEventId" WHERE e."actorId" = $1`, [userId])).rows,
  );
  expect(unfinished).toEqual([{ action: "device.assign", patientId }]);

  // "Check with vendor" finds Tenovi's device and records it, once; Tenovi was asked to activate it only once.
  const checked = await callAction(reconcile, cookie, { deviceId: pending?.id });
  expect(checked.body).not.toContain("serverError");
  const [recorded] = await deviceRows();
  expect(recorded).toMatchObject({ id: pending?.id, lifecycle: "delivered", assignments: "1" });
  expect(recorded?.vendorDeviceId).toBeTruthy();
  expect(await activationsAtTenovi()).toBe(1);

  // Pressing "Assign" again does not activate a second device either.
  await callAction(assign, cookie, input);
  expect(await activationsAtTenovi()).toBe(1);
  expect(await deviceRows()).toHaveLength(1);
});
