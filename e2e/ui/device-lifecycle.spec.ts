import { randomUUID } from "node:crypto";
import pg from "pg";

import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";

import { storageStateFor } from "../fixtures";

// The device lifecycle in the browser, per vendor, against the simulators the e2e server runs: assign or ship →
// vendor status updates arrive → first reading → swap or move → offboard. The simulators tick every second in the
// server process; the test moves their clocks by back-dating their own records (SimulatorEntity) so each step is
// due on the next tick, and reads the requests they received (SimulatorRequest) to check what Pulseboard sent.

test.describe.configure({ timeout: 180_000 });

function e2eDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? `postgresql://pulseboard:pulseboard-local@127.0.0.1:${process.env.EMBEDDED_POSTGRES_PORT ?? 54349}/postgres`);
  url.pathname = `/${process.env.E2E_DATABASE_NAME ?? "pulseboard_e2e"}`;
  return url.toString();
}

let sql: pg.Client;

test.beforeAll(async () => {
  sql = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await sql.connect();
});

test.afterAll(async () => {
  await sql.end();
});

type TestPatient = { id: string; mrn: string; firstName: string; lastName: string };

async function createPatient(label: string, smsConsent = false): Promise<TestPatient> {
  const suffix = randomUUID().slice(0, 6);
  const patient = { id: `e2e-dev-${randomUUID()}`, mrn: `E2E-DEV-${suffix}`, firstName: "Morgan", lastName: `${label}${suffix}` };
  await sql.query(
    `INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", "addressLine1", city, state, "zipCode", physician, "smsConsent", "updatedAt")
     VALUES ($1, $2, $3, $4, '1948-03-02', '12 Elm Street', 'Columbus', 'OH', '43215', 'Dr. Patel', $5, now())`,
    [patient.id, patient.mrn, patient.firstName, patient.lastName, smsConsent],
  );
  return patient;
}

function luhn(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

function newImei(): string {
  const body = `35${String(Math.floor(Math.random() * 1e12)).padStart(12, "0")}`;
  return `${body}${luhn(body)}`;
}

async function requestMark(): Promise<string> {
  const { rows } = await sql.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM "SimulatorRequest"`);
  return rows[0]?.id ?? "0";
}

type SimRequest = { method: string; path: string; status: number; body: Record<string, unknown> | null };

async function simulatorRequests(vendor: string, since: string): Promise<SimRequest[]> {
  const { rows } = await sql.query<SimRequest>(`SELECT method, path, status, body FROM "SimulatorRequest" WHERE vendor = $1 AND id > $2 ORDER BY id`, [vendor, since]);
  return rows;
}

async function deviceRow(patientId: string, vendor: string, where = "TRUE"): Promise<{ id: string; vendorDeviceId: string | null; imei: string | null }> {
  const { rows } = await sql.query<{ id: string; vendorDeviceId: string | null; imei: string | null }>(
    `SELECT id, "vendorDeviceId", imei FROM "Device" WHERE "patientId" = $1 AND vendor = $2 AND ${where} ORDER BY "createdAt" DESC LIMIT 1`,
    [patientId, vendor],
  );
  const row = rows[0];
  if (!row) throw new Error(`no ${vendor} device for ${patientId}`);
  return row;
}

// Makes the Tenovi simulator's next timed step for this device due on its next tick.
async function backdateTenoviDevice(hwiDeviceId: string) {
  await sql.query(
    `UPDATE "SimulatorEntity" SET data = jsonb_set(jsonb_set(data, '{sim,statusChangedAt}', '"2000-01-01T00:00:00.000Z"'), '{sim,lastReadingAt}', 'null')
      WHERE vendor = 'tenovi' AND kind LIKE '%:device' AND key = $1`,
    [hwiDeviceId],
  );
}

async function backdateTenoviReplacement(hwiDeviceId: string) {
  await sql.query(
    `UPDATE "SimulatorEntity" SET data = jsonb_set(data, '{created}', '"2000-01-01T00:00:00.000000Z"')
      WHERE vendor = 'tenovi' AND kind LIKE '%:replacement' AND data->>'hwi_device_id' = $1 AND data->>'status' = 'Requested'`,
    [hwiDeviceId],
  );
}

// Makes the Validic simulator's Smart Meter device due to measure on the next tick.
async function backdateValidicConnection(imei: string) {
  await sql.query(
    `UPDATE "SimulatorEntity" SET data = data || '{"activated_at":"2000-01-01T00:00:00Z","last_measured_at":null}'::jsonb
      WHERE vendor = 'validic' AND kind = 'connection' AND key = $1`,
    [imei],
  );
}

// Reloads the (server-rendered) page until the locator shows the text: vendor updates arrive in the background.
async function reloadUntil(page: Page, locator: () => Locator, text: string | RegExp, timeout = 30_000) {
  await expect(async () => {
    await page.reload();
    await expect(locator()).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout, intervals: [500, 1_000, 1_000, 2_000] });
}

async function pageAs(browser: Browser, role: "admin" | "coordinator" | "clinician", path: string): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateFor(role) });
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

async function choose(page: Page, label: string, option: string | RegExp) {
  await page.getByRole("dialog").getByLabel(label, { exact: true }).click();
  await page.getByRole("option", { name: option }).click();
}

function devicesCard(page: Page): Locator {
  return page.getByRole("region", { name: "Devices" });
}

async function offboard(browser: Browser, patient: TestPatient, expectedPlans: RegExp[], expectedResult: RegExp) {
  const admin = await pageAs(browser, "admin", `/patients/${patient.id}`);
  await admin.getByRole("button", { name: "Offboard patient" }).click();
  const dialog = admin.getByRole("dialog");
  const plans = dialog.getByRole("list", { name: "Devices to disconnect" });
  for (const plan of expectedPlans) await expect(plans).toContainText(plan);
  await dialog.getByRole("button", { name: /and offboard/ }).click();
  const results = dialog.getByRole("list", { name: "Disconnection results" });
  await expect(results).toContainText(expectedResult);
  await expect(results.locator('[data-outcome="failed"]')).toHaveCount(0);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(admin.getByText("Offboarded", { exact: true }).first()).toBeVisible();
  await expect(admin.getByRole("button", { name: "Offboard patient" })).toHaveCount(0);
  await admin.context().close();
}

test("Tenovi: drop-ship → Dropshipped → Delivered → first reading → replacement gateway → offboard (unlink)", async ({ browser }) => {
  const patient = await createPatient("Tenovi");
  const page = await pageAs(browser, "coordinator", `/patients/${patient.id}`);
  const row = () => devicesCard(page).getByRole("row").filter({ hasText: "Tenovi BPM - L" });

  await page.getByRole("button", { name: "Ship device" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByLabel("ZIP code")).toHaveValue("43215");
  await expect(dialog).toContainText("Shipping texts to the patient: off");
  await choose(page, "Device type", "Tenovi BPM - L");
  await dialog.getByLabel("Email shipping updates to (optional)").fill("nurse@clinic.example, not-an-email");
  await dialog.getByRole("button", { name: "Request shipment" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Not an email address: not-an-email");
  await dialog.getByLabel("Email shipping updates to (optional)").fill("nurse@clinic.example");
  const mark = await requestMark();
  await dialog.getByRole("button", { name: "Request shipment" }).click();
  await expect(page.getByText("Tenovi accepted the shipment request (Dropship Requested).")).toBeVisible();
  await expect(row()).toContainText("Assigned");
  await expect(row()).toContainText("Dropship Requested");

  const activation = (await simulatorRequests("tenovi", mark)).find((r) => r.method === "POST" && r.path.endsWith("/hwi/hwi-devices/"));
  expect(activation?.status).toBe(201);
  expect(activation?.body).toMatchObject({
    patient: { external_id: patient.id, sms_opt_in: false, physician: "Dr. Patel" },
    device: { name: "Tenovi BPM - L", hardware_uuid: null, fulfillment_request: { client_will_fulfill: false, notify_emails: "nurse@clinic.example", shipping_zip_code: "43215" } },
  });

  const device = await deviceRow(patient.id, "tenovi");
  const hwiDeviceId = device.vendorDeviceId ?? "";
  await backdateTenoviDevice(hwiDeviceId);
  await reloadUntil(page, row, "Dropshipped");
  await expect(row()).toContainText("Shipping");
  await backdateTenoviDevice(hwiDeviceId);
  await reloadUntil(page, row, /Delivered/);

  await backdateTenoviDevice(hwiDeviceId);
  await reloadUntil(page, row, "Connected");
  await expect(row()).toContainText("Active");
  await expect(page.getByText("No readings yet")).toHaveCount(0);

  await row().getByRole("button", { name: /Actions for/ }).click();
  await page.getByRole("menuitem", { name: "Swap device" }).click();
  await choose(page, "How", "Tenovi ships a replacement gateway");
  await page.getByRole("dialog").getByLabel("Reason").fill("Gateway lost power");
  const swapMark = await requestMark();
  await page.getByRole("dialog").getByRole("button", { name: "Request replacement" }).click();
  await expect(page.getByText(/Tenovi will ship a replacement gateway/)).toBeVisible();
  const replacement = (await simulatorRequests("tenovi", swapMark)).find((r) => r.method === "POST" && r.path.endsWith("/hwi-replacements/"));
  expect(replacement?.body).toMatchObject({ hwi_device_id: hwiDeviceId, device_types: [{ name: "Gateway" }] });
  await backdateTenoviReplacement(hwiDeviceId);
  await reloadUntil(page, row, "Replaced");
  const { rows } = await sql.query<{ hardware: string }>(`SELECT data->'wire'->'device'->>'hardware_uuid' AS hardware FROM "SimulatorEntity" WHERE vendor = 'tenovi' AND key = $1`, [hwiDeviceId]);
  await expect(row()).toContainText(rows[0]?.hardware ?? "missing");

  const offboardMark = await requestMark();
  await offboard(browser, patient, [/Tenovi BPM - L/, /delete the device, or unlink its gateway/], /unlinked/);
  const calls = (await simulatorRequests("tenovi", offboardMark)).map((r) => `${r.method} ${r.status}`);
  expect(calls).toEqual(expect.arrayContaining(["DELETE 400", "GET 200"]));

  await page.goto(`/devices/${device.id}`);
  const timeline = page.getByRole("list", { name: "Device timeline" });
  for (const entry of ["First reading measured", "Replacement requested", "Hardware replaced", "Disconnected", "Shipment requested"]) await expect(timeline).toContainText(entry);
  await expect(page.getByText("Not with any patient now.")).toBeVisible();
  await page.context().close();
});

test("Validic: assign on site by IMEI → first reading → swap on site → offboard (disconnect_all)", async ({ browser }) => {
  const patient = await createPatient("Validic", true);
  const page = await pageAs(browser, "coordinator", `/patients/${patient.id}`);
  const imei = newImei();
  const row = (value: string) => () => devicesCard(page).getByRole("row").filter({ hasText: value });
  const { rows: taken } = await sql.query<{ imei: string }>(`SELECT imei FROM "Device" WHERE vendor = 'validic' AND imei IS NOT NULL AND "patientId" IS NOT NULL LIMIT 1`);

  await page.getByRole("button", { name: "Assign on site" }).click();
  const dialog = page.getByRole("dialog");
  await choose(page, "Vendor", "Validic (Smart Meter)");
  await choose(page, "Device type", "Blood pressure monitor");
  const imeiInput = dialog.getByLabel("IMEI");
  await imeiInput.fill(`${imei.slice(0, 14)}${(Number(imei.slice(14)) + 1) % 10}`);
  await expect(dialog.getByRole("alert")).toContainText("check digit");
  if (taken[0]) {
    await imeiInput.fill(taken[0].imei);
    await expect(dialog.getByTestId("imei-assigned-warning")).toContainText("Already assigned to");
  }
  await imeiInput.fill(`${imei.slice(0, 2)}-${imei.slice(2, 8)} ${imei.slice(8)}`);
  await expect(imeiInput).toHaveValue(imei);
  const mark = await requestMark();
  await dialog.getByRole("button", { name: "Assign device" }).click();
  await expect(page.getByText("Validic accepted the Smart Meter connection (connected).")).toBeVisible();
  await expect(row(imei)()).toContainText("Delivered");
  await expect(row(imei)()).toContainText("connected");

  const sent = await simulatorRequests("validic", mark);
  expect(sent.find((r) => r.method === "POST" && /\/organizations\/[^/]+\/users$/.test(r.path))?.body).toMatchObject({ uid: patient.id });
  expect(sent.find((r) => r.path.endsWith("/smart_meter/connect"))?.body).toEqual({ token: "[redacted]", device_id: imei, device_type: "blood_pressure" });

  await backdateValidicConnection(imei);
  await reloadUntil(page, row(imei), "Active", 45_000);
  await expect(page.getByText("No readings yet")).toHaveCount(0);

  const replacement = newImei();
  await row(imei)().getByRole("button", { name: /Actions for/ }).click();
  await page.getByRole("menuitem", { name: "Swap device" }).click();
  await page.getByRole("dialog").getByLabel("Reason").fill("Cuff torn");
  await page.getByRole("dialog").getByLabel("IMEI").fill(replacement);
  const swapMark = await requestMark();
  await page.getByRole("dialog").getByRole("button", { name: "Swap device" }).click();
  await expect(page.getByText(/Swapped: the new device is in use/)).toBeVisible();
  await expect(row(replacement)()).toContainText("Delivered");
  await expect(page.getByRole("list", { name: "Previous devices" })).toContainText("Cuff torn");
  const swapCalls = (await simulatorRequests("validic", swapMark)).filter((r) => r.path.includes("smart_meter")).map((r) => r.path);
  expect(swapCalls).toEqual(["/validic-marketplace/direct/auth/smart_meter/connect", `/validic-marketplace/direct/auth/smart_meter/disconnect/${imei}`]);

  const offboardMark = await requestMark();
  await offboard(browser, patient, [/disconnect all of the patient's Smart Meter devices/], /Disconnected at Validic/);
  const offboardCalls = (await simulatorRequests("validic", offboardMark)).filter((r) => r.method === "POST").map((r) => r.path);
  expect(offboardCalls).toEqual(["/validic-marketplace/direct/auth/smart_meter/disconnect_all"]);
  await page.context().close();
});

test("Smartz: link a pod → check with Smartz → move to another patient → clinician sees no actions → offboard (unlinked locally)", async ({ browser }) => {
  const [first, second] = [await createPatient("SmartzA"), await createPatient("SmartzB")];
  const page = await pageAs(browser, "coordinator", `/patients/${first.id}`);
  const podRow = () => devicesCard(page).getByRole("row").filter({ hasText: "pod-0204" });

  await page.getByRole("button", { name: "Assign on site" }).click();
  await choose(page, "Vendor", "Smartz");
  await choose(page, "Pod", /SZP-000204/);
  const mark = await requestMark();
  await page.getByRole("dialog").getByRole("button", { name: "Assign device" }).click();
  await expect(page.getByText(/Pod SZP-000204 is linked to the patient/)).toBeVisible();
  await expect(podRow()).toContainText("Delivered");

  await podRow().getByRole("button", { name: /Actions for/ }).click();
  await page.getByRole("menuitem", { name: "Check with vendor" }).click();
  await expect(page.getByText(/the vendor still reports/)).toBeVisible();

  await podRow().getByRole("button", { name: /Actions for/ }).click();
  await page.getByRole("menuitem", { name: "Move to another patient" }).click();
  const dialog = page.getByRole("dialog");
  const search = dialog.getByLabel("Find the patient (name or MRN)");
  const match = dialog.getByRole("button", { name: new RegExp(second.lastName) });
  // Search again if a slow answer left the list empty.
  await expect(async () => {
    await search.fill("");
    await search.fill(second.lastName);
    await expect(match).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 45_000 });
  await match.click();
  await dialog.getByLabel("Reason").fill("Moved to another room");
  await dialog.getByRole("button", { name: /^Move to/ }).click();
  await expect(page.getByText(new RegExp(`Moved to ${second.lastName}`))).toBeVisible();
  await expect(page.getByRole("list", { name: "Previous devices" })).toContainText("Moved to another patient (Moved to another room)");
  expect((await simulatorRequests("smartz", mark)).every((r) => r.method === "GET" || r.path.endsWith("/v1/token"))).toBe(true);

  const clinician = await pageAs(browser, "clinician", `/patients/${second.id}`);
  await expect(devicesCard(clinician).getByRole("row").filter({ hasText: "pod-0204" })).toContainText("Delivered");
  await expect(clinician.getByRole("button", { name: "Assign on site" })).toHaveCount(0);
  await expect(clinician.getByRole("button", { name: /Actions for/ })).toHaveCount(0);
  await expect(clinician.getByRole("button", { name: "Offboard patient" })).toHaveCount(0);
  await clinician.context().close();

  await offboard(browser, second, [/Smartz is read-only/], /Unlinked in Pulseboard/);
  await page.context().close();
});
