import { randomUUID } from "node:crypto";

import { expect, test } from "@playwright/test";

import { withE2eDatabase } from "../database";
import { storageStateFor } from "../fixtures";

type DemoPatient = { id: string; firstName: string; lastName: string; deviceId: string };

// An enrolled demo patient with an active blood-pressure cuff; with `managedByClinician`, one the demo clinician is
// (or is not) care manager of.
async function patientWithCuff(offset: number, managedByClinician?: boolean): Promise<DemoPatient> {
  const managed = `EXISTS (SELECT 1 FROM "User" u WHERE u.id = p."careManagerId" AND u.email = 'clinician@pulseboard.local')`;
  const byManager = managedByClinician === undefined ? "" : `AND ${managedByClinician ? "" : "NOT "}${managed}`;
  return withE2eDatabase(async (client) => {
    const result = await client.query<DemoPatient>(
      `SELECT p.id, p."firstName", p."lastName", d.id AS "deviceId"
       FROM "Patient" p JOIN "Device" d ON d."patientId" = p.id
       WHERE p.status = 'enrolled' AND d.category = 'blood_pressure' AND d.lifecycle = 'active' ${byManager}
       ORDER BY p.mrn OFFSET $1 LIMIT 1`,
      [offset],
    );
    const patient = result.rows[0];
    if (!patient) throw new Error("the demo clinic has no patient with an active cuff");
    return patient;
  });
}

// What ingest does, in its order: the reading is stored (and may be shown), then the alert rules raise its alert.
// `beforeAlert` runs between the two.
async function insertOutOfRangeReading(patient: DemoPatient, systolic: number, diastolic: number, beforeAlert?: (readingId: string) => Promise<void>) {
  return withE2eDatabase(async (client) => {
    const rule = await client.query<{ id: string }>(`SELECT id FROM "AlertRule" WHERE "patientId" IS NULL AND kind = 'threshold' AND metric = 'blood_pressure' AND comparator = 'greater_than' LIMIT 1`);
    const reading = await client.query<{ id: string }>(
      `INSERT INTO "Reading" ("patientId", "deviceId", vendor, "vendorRecordId", metric, value, value2, unit, "measuredAt", "utcOffsetSeconds", origin, arrival, "updatedAt")
       VALUES ($1, $2, 'tenovi', $3, 'blood_pressure', $4, $5, 'mmHg', now(), -18000, 'device', 'webhook', now()) RETURNING id::text`,
      [patient.id, patient.deviceId, `e2e-${randomUUID()}`, systolic, diastolic],
    );
    const readingId = reading.rows[0]?.id ?? "";
    await beforeAlert?.(readingId);
    const alertId = `e2e-${randomUUID()}`;
    const message = `Systolic above 180 mmHg: ${systolic}/${diastolic} mmHg`;
    await client.query(`INSERT INTO "Alert" (id, "patientId", "ruleId", "readingId", severity, status, message, "updatedAt") VALUES ($1, $2, $3, $4::bigint, 'high', 'open', $5, now())`, [
      alertId,
      patient.id,
      rule.rows[0]?.id ?? null,
      readingId,
      message,
    ]);
    return { readingId, alertId, message };
  });
}

async function auditOutcomes(action: string, alertId: string): Promise<string[]> {
  return withE2eDatabase(async (client) => (await client.query<{ outcome: string }>(`SELECT outcome FROM "AuditEvent" WHERE action = $1 AND "targetId" = $2`, [action, alertId])).rows.map((r) => r.outcome));
}

test.describe("clinician review", () => {
  test.use({ storageState: storageStateFor("clinician") });

  test("a new out-of-range reading reaches the live feed without a reload; the clinician reviews the chart, acknowledges and resolves with a note", async ({ page }) => {
    const patient = await patientWithCuff(0);
    const patientName = `${patient.lastName}, ${patient.firstName}`;
    await page.goto("/readings");
    await expect(page.getByRole("heading", { name: "Readings", level: 1 })).toBeVisible();
    await page.evaluate(() => Object.assign(window, { pulseboardNoReload: "still the same page" }));

    // The feed shows the reading before its alert exists; the poll after the alert announces it as out of range.
    const { readingId, alertId, message } = await insertOutOfRangeReading(patient, 231, 127, async (id) => {
      await expect(page.locator(`tr[data-reading-id="${id}"]`)).toBeVisible({ timeout: 15_000 });
      await expect(page.locator('p[aria-live="polite"]')).toContainText(/\d+ new readings?/);
    });

    const row = page.locator(`tr[data-reading-id="${readingId}"]`);
    await expect(row).toContainText("231/127 mmHg");
    await expect(row).toContainText("Out of range");
    // Announced as now out of range (or with readings that arrived in the same poll: "n new readings, 1 out of range").
    await expect(page.locator('p[aria-live="polite"]')).toContainText(/\d+ readings? now out of range|\d+ new readings?, \d+ out of range/);
    expect(await page.evaluate(() => (window as Window & { pulseboardNoReload?: string }).pulseboardNoReload)).toBe("still the same page");

    await page.getByLabel("Out-of-range only").check();
    await expect(page).toHaveURL(/outOfRange=1/);
    await expect(page.locator(`tr[data-reading-id="${readingId}"]`)).toBeVisible();

    // The patient's charts: blood pressure drawn, with the reading in the chart's data table.
    await row.getByRole("link", { name: patientName }).click();
    await expect(page.getByRole("heading", { name: "Vitals", level: 1 })).toBeVisible();
    const chart = page.getByRole("figure", { name: "Blood pressure" });
    await expect(chart).toBeVisible();
    await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
    await expect(chart.locator("svg.recharts-surface > title").filter({ hasText: /^Blood pressure$/ })).toHaveCount(1);
    await chart.getByText(/Blood pressure: data table/).click();
    await expect(chart.getByRole("cell", { name: "231 mmHg" })).toBeVisible();
    await expect(page.getByRole("complementary", { name: "Readings table" }).getByText("231/127 mmHg")).toBeVisible();
    await page.getByRole("link", { name: "7 days" }).click();
    await expect(page).toHaveURL(/range=7d/);
    await expect(page.getByRole("link", { name: "7 days" })).toHaveAttribute("aria-current", "page");

    // Acknowledge on the patient page: a double click sends one acknowledgement.
    await page.getByRole("link", { name: `← ${patient.firstName} ${patient.lastName}` }).click();
    const openAlerts = page.getByRole("list", { name: "Open alerts" });
    const alertItem = openAlerts.getByRole("listitem").filter({ hasText: message });
    await expect(alertItem).toBeVisible();
    await alertItem.getByRole("button", { name: /^Acknowledge/ }).dblclick();
    await expect(page.getByText("Alert acknowledged")).toBeVisible();
    await expect(alertItem.getByText("Acknowledged", { exact: true })).toBeVisible();
    await expect(alertItem.getByRole("button", { name: /^Acknowledge/ })).toHaveCount(0);
    expect(await auditOutcomes("alert.acknowledge", alertId)).toEqual(["success"]);

    // Resolving needs a note.
    await alertItem.getByRole("button", { name: /^Resolve/ }).click();
    const dialog = page.getByRole("dialog", { name: "Resolve alert" });
    await dialog.getByRole("button", { name: "Resolve alert" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("Write what was done before resolving.");
    await dialog.getByLabel("Resolution note (required)").fill("Called the patient; repeat reading 142/88. Medication adjusted by Dr. Patel.");
    await dialog.getByRole("button", { name: "Resolve alert" }).dblclick();
    await expect(page.getByText("Alert resolved")).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(openAlerts.getByText(message)).toHaveCount(0);
    const history = page.getByRole("list", { name: "Resolved alerts" });
    await expect(history.getByText(message)).toBeVisible();
    await expect(history.getByText("Called the patient; repeat reading 142/88. Medication adjusted by Dr. Patel.")).toBeVisible();
    await expect(history.getByText(/by Dr\. Jordan Clinician/).first()).toBeVisible();
    expect(await auditOutcomes("alert.resolve", alertId)).toEqual(["success"]);
  });

  test("assigns an alert from the worklist to a clinician", async ({ page }) => {
    const patient = await patientWithCuff(1);
    const { message } = await insertOutOfRangeReading(patient, 207, 111);
    await page.goto(`/alerts?q=${encodeURIComponent(patient.lastName)}&status=open`);
    const row = page.getByRole("row").filter({ hasText: message });
    await row.getByRole("combobox", { name: /Assigned clinician for alert/ }).click();
    await page.getByRole("option", { name: "Dr. Jordan Clinician" }).click();
    await expect(page.getByText("Assigned to Dr. Jordan Clinician")).toBeVisible();
    await page.goto("/alerts?assignee=me");
    await expect(page.getByRole("row").filter({ hasText: message })).toBeVisible();
  });

  test("narrows the worklist to the patients they are care manager of", async ({ page }) => {
    const theirs = await insertOutOfRangeReading(await patientWithCuff(0, true), 213, 109);
    const another = await insertOutOfRangeReading(await patientWithCuff(0, false), 214, 109);
    // Newest first, so both new alerts would be on the first page.
    await page.goto("/alerts?sort=createdAt&dir=desc");
    await page.getByLabel("Patients").selectOption("mine");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/patients=mine/);
    await expect(page.getByRole("row").filter({ hasText: theirs.message })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: another.message })).toHaveCount(0);
  });

  test("acknowledges the open alerts ticked on the worklist together", async ({ page }) => {
    const patient = await patientWithCuff(4);
    const alerts = [await insertOutOfRangeReading(patient, 221, 112), await insertOutOfRangeReading(patient, 222, 112)];
    await page.goto(`/alerts?q=${encodeURIComponent(patient.lastName)}&status=open`);
    const acknowledge = page.getByRole("button", { name: "Acknowledge selected" });
    await expect(acknowledge).toBeDisabled();
    for (const { message } of alerts) await page.getByRole("checkbox", { name: `Select ${patient.lastName}, ${patient.firstName}: ${message}` }).check();
    await expect(page.getByText("2 alerts selected")).toBeVisible();
    await acknowledge.click();
    await expect(page.getByText("Acknowledged 2 alerts")).toBeVisible();
    for (const { message } of alerts) await expect(page.getByRole("row").filter({ hasText: message })).toHaveCount(0);
    expect(await auditOutcomes("alert.acknowledge", alerts[0]?.alertId ?? "")).toEqual(["success"]);
  });

  test("overrides a program default for one patient", async ({ page }) => {
    const patient = await patientWithCuff(2);
    await page.goto(`/patients/${patient.id}`);
    await page.getByRole("button", { name: /^Override rule for this patient: SpO₂ below 90/ }).click();
    const dialog = page.getByRole("dialog", { name: "Override for this patient" });
    await dialog.getByLabel("Threshold").fill("88");
    await dialog.getByLabel("Alert message").fill("SpO₂ below 88% (COPD baseline)");
    await dialog.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByText("Rule added")).toBeVisible();
    const rules = page.getByRole("table", { name: "Alert rules for this patient" });
    await expect(rules.getByRole("row").filter({ hasText: "SpO₂ below 88" })).toContainText("This patient (replaces the default)");
    await expect(rules.getByRole("row").filter({ hasText: "SpO₂ below 90" })).toHaveCount(0);

    // Deleting the override asks first ("Keep rule" changes nothing); then the default applies again.
    await rules.getByRole("button", { name: /^Delete rule: / }).click();
    const confirm = page.getByRole("dialog", { name: "Delete this rule?" });
    await confirm.getByRole("button", { name: "Keep rule" }).click();
    await expect(confirm).toHaveCount(0);
    await expect(rules.getByRole("row").filter({ hasText: "SpO₂ below 88" })).toHaveCount(1);
    await rules.getByRole("button", { name: /^Delete rule: / }).click();
    await confirm.getByRole("button", { name: "Delete rule" }).click();
    await expect(page.getByText("Rule deleted")).toBeVisible();
    await expect(rules.getByRole("row").filter({ hasText: "SpO₂ below 88" })).toHaveCount(0);
    await expect(rules.getByRole("row").filter({ hasText: "SpO₂ below 90" })).toHaveCount(1);
  });

  test("has no device assignment controls, on the devices page or the patient page", async ({ page }) => {
    const patient = await patientWithCuff(0);
    const deviceControls = /assign device|assign on site|unassign|reassign|ship device|^ship|disconnect|replace|swap|move to|offboard|activate/i;
    await page.goto("/devices");
    await expect(page.getByRole("heading", { name: "Devices", level: 1 })).toBeVisible();
    await expect(page.getByRole("table")).toBeVisible();
    await expect(page.getByRole("main").getByRole("button", { name: deviceControls })).toHaveCount(0);
    await expect(page.getByRole("main").getByRole("link", { name: deviceControls })).toHaveCount(0);
    await page.goto(`/patients/${patient.id}`);
    await expect(page.getByRole("heading", { name: "Devices" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("button", { name: deviceControls })).toHaveCount(0);
  });

  test("pages the vitals readings table on the server, newest first, and draws a chart's data table when it is opened", async ({ page }) => {
    const patient = await patientWithCuff(3);
    // 30 readings in the last half hour, newest first: 190.3/120.1, 189.3/119.1, … (decimals the demo clinic never has).
    await withE2eDatabase((client) =>
      client.query(
        `INSERT INTO "Reading" ("patientId", "deviceId", vendor, "vendorRecordId", metric, value, value2, unit, "measuredAt", "utcOffsetSeconds", origin, arrival, "updatedAt")
         SELECT $1, $2, 'tenovi', 'e2e-page-' || $3 || '-' || i, 'blood_pressure', 190.3 - i, 120.1 - i, 'mmHg', now() - i * interval '1 minute', -18000, 'device', 'webhook', now()
           FROM generate_series(0, 29) i`,
        [patient.id, patient.deviceId, randomUUID()],
      ),
    );
    await page.goto(`/patients/${patient.id}/vitals?range=7d`);
    const table = page.getByRole("complementary", { name: "Readings table" });
    const pagination = table.getByRole("navigation", { name: "Pagination" });
    await expect(pagination).toContainText(/^1–25 of \d+/);
    await expect(table.getByText("190.3/120.1 mmHg")).toBeVisible();
    await expect(table.getByText("165.3/95.1 mmHg")).toHaveCount(0);

    await pagination.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/[?&]page=2(&|#|$)/);
    await expect(pagination).toContainText(/^26–/);
    await expect(table.getByText("165.3/95.1 mmHg")).toBeVisible();
    await expect(table.getByText("190.3/120.1 mmHg")).toHaveCount(0);
    await expect(pagination.getByRole("link", { name: "Previous" })).toBeVisible();

    // Another range starts again at the first page.
    await page.getByRole("link", { name: "30 days" }).click();
    await expect(page).toHaveURL(/range=30d/);
    await expect(page).not.toHaveURL(/page=/);
    await expect(pagination).toContainText(/^1–25 of \d+/);

    // The chart's data table is drawn when opened.
    const chart = page.getByRole("figure", { name: "Blood pressure" });
    await expect(chart.getByRole("cell", { name: "190.3 mmHg" })).toHaveCount(0);
    await chart.getByText(/Blood pressure: data table/).click();
    await expect(chart.getByRole("cell", { name: "190.3 mmHg" })).toBeVisible();
  });
});
