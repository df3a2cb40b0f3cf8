import { randomUUID } from "node:crypto";

import { violationsOf } from "../axe";
import { withE2eDatabase } from "../database";
import { expect, testAs } from "../fixtures";

// Care time for the monthly treatment-management codes: logged from a patient's record, totalled against 99457's 20
// minutes, and in the monthly report.

const test = testAs("clinician");

async function createPatient(): Promise<{ id: string; mrn: string }> {
  const patient = { id: `e2e-care-${randomUUID()}`, mrn: `E2E-CARE-${randomUUID().slice(0, 8)}` };
  await withE2eDatabase((c) =>
    c.query(
      `INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", "timeZone", "updatedAt") VALUES ($1, $2, 'Rowan', 'Caretime', '1950-05-05', 'America/Chicago', now())`,
      [patient.id, patient.mrn],
    ),
  );
  return patient;
}

test("a clinician logs care time on a patient's record; the month's total counts toward 99457 and goes into the report", async ({ page }) => {
  const patient = await createPatient();
  await page.goto(`/patients/${patient.id}`);
  await expect(page.getByRole("heading", { name: /^Care time, / })).toBeVisible();
  await expect(page.getByText(/^No care time logged in /)).toBeVisible();
  await expect(page.getByText("20 min to 99457")).toBeVisible();

  await page.getByRole("button", { name: "Log care time" }).click();
  const dialog = page.getByRole("dialog", { name: "Log care time" });
  await dialog.getByLabel("Minutes").fill("0");
  await dialog.getByRole("button", { name: "Log time" }).click();
  await expect(dialog.getByText("At least 1 minute.")).toBeVisible();
  expect(await violationsOf(page)).toEqual([]);
  await dialog.getByLabel("Minutes").fill("15");
  await dialog.getByLabel("Note (optional)").fill("Reviewed two weeks of readings");
  await dialog.getByRole("button", { name: "Log time" }).click();
  await expect(page.getByText("Logged 15 min of care time")).toBeVisible();
  await expect(page.getByText("5 min to 99457")).toBeVisible();

  await page.getByRole("button", { name: "Log care time" }).click();
  await dialog.getByLabel("Minutes").fill("30");
  await dialog.getByLabel(/Included a live call/).check();
  await dialog.getByRole("button", { name: "Log time" }).click();
  await expect(page.getByText("Logged 30 min of care time")).toBeVisible();
  await expect(page.getByText("99457 met")).toBeVisible();
  await expect(page.getByText("99458 × 1")).toBeVisible();
  await expect(page.getByRole("meter", { name: "Care time toward 99457" })).toHaveAttribute("aria-valuenow", "20");
  const rows = page.getByRole("table", { name: /^Care time logged in / }).getByRole("row");
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: "Reviewed two weeks of readings" })).toContainText("Dr. Jordan Clinician");

  // An entry logged in error is removed (after confirming) and leaves the total.
  await page.getByRole("button", { name: "Remove 15 min on" }).click();
  await page
    .getByRole("dialog", { name: /^Remove 15 min on/ })
    .getByRole("button", { name: "Remove entry" })
    .click();
  await expect(page.getByText(/^Removed 15 min on/)).toBeVisible();
  await expect(rows).toHaveCount(2);
  await expect(page.getByText("99458 × 1")).toHaveCount(0);
  await expect(page.getByText("99457 met")).toBeVisible();

  // An entry logged wrong is corrected in place; the total follows.
  await page.getByRole("button", { name: "Correct 30 min on" }).click();
  const correction = page.getByRole("dialog", { name: "Correct care time" });
  await expect(correction.getByLabel("Minutes")).toHaveValue("30");
  await expect(correction.getByLabel(/Included a live call/)).toBeChecked();
  expect(await violationsOf(page)).toEqual([]);
  await correction.getByLabel("Minutes").fill("18");
  await correction.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved the entry: 18 min")).toBeVisible();
  await expect(page.getByText("2 min to 99457")).toBeVisible();
  await expect(page.getByText("99457 met")).toHaveCount(0);
  await expect(rows).toHaveCount(2);

  const audit = await withE2eDatabase((c) =>
    c.query<{ action: string; outcome: string; minutes: string }>(
      `SELECT action, outcome, details->>'minutes' AS minutes FROM "AuditEvent" WHERE action LIKE 'care_time.%' AND "patientId" = $1 AND outcome <> 'started' ORDER BY id`,
      [patient.id],
    ),
  );
  expect(audit.rows).toEqual([
    { action: "care_time.log", outcome: "success", minutes: "15" },
    { action: "care_time.log", outcome: "success", minutes: "30" },
    { action: "care_time.remove", outcome: "success", minutes: "15" },
    { action: "care_time.update", outcome: "success", minutes: "18" },
  ]);

  const month = await withE2eDatabase(
    async (c) =>
      (await c.query<{ month: string }>(`SELECT to_char(max("serviceDate"), 'YYYY-MM') AS month FROM "CareTimeEntry" WHERE "patientId" = $1`, [patient.id]))
        .rows[0]?.month,
  );
  const report = await page.request.get(`/api/reports/adherence?month=${month}`);
  const line = (await report.text()).split("\r\n").find((row) => row.includes(patient.mrn));
  expect(line?.split(",").slice(-4)).toEqual(["18", "yes", "no", "0"]);
});

test("the patient list shows each patient's care time this month and finds those still short of 99457", async ({ page }) => {
  const patient = await createPatient();
  await page.goto("/patients");
  await page.getByLabel("Name, MRN, phone or IMEI").fill(patient.mrn);
  await page.getByLabel("Care time this month").selectOption("short");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/care=short/);
  const row = page.getByRole("row").filter({ hasText: patient.mrn });
  await expect(row).toContainText("0 min");
  await expect(row).toContainText("20 min to 99457");

  await page.getByLabel("Care time this month").selectOption("met");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No patients match")).toBeVisible();

  // 25 minutes today in the patient's calendar, one entry a live call: 99457 is met.
  await withE2eDatabase((c) =>
    c.query(
      `INSERT INTO "CareTimeEntry" (id, "patientId", "staffId", "serviceDate", minutes, interactive)
       SELECT $1 || n, $1, u.id, (now() AT TIME ZONE 'America/Chicago')::date, n * 5, n = 2
         FROM "User" u, generate_series(2, 3) AS n WHERE u.email = 'clinician@pulseboard.local'`,
      [patient.id],
    ),
  );
  await page.reload();
  await expect(row).toContainText("25 min");
  await expect(row).toContainText("99457 met");
  expect(await violationsOf(page)).toEqual([]);

  await page.getByRole("link", { name: "Care this month" }).click();
  await expect(page).toHaveURL(/sort=careMinutes/);
  await expect(page).toHaveURL(/care=met/);
  await expect(row).toContainText("25 min");
});

test("a patient's record shows earlier months' care time, for billing after the month has ended", async ({ page }) => {
  const patient = await createPatient();
  // 22 minutes with a live call on the 15th of last month, in the patient's calendar (Chicago).
  const lastMonth = await withE2eDatabase(async (c) => {
    const inserted = await c.query<{ month: string }>(
      `INSERT INTO "CareTimeEntry" (id, "patientId", "staffId", "serviceDate", minutes, interactive, note)
       SELECT $1 || '-last', $1, u.id, (date_trunc('month', now() AT TIME ZONE 'America/Chicago') - interval '1 month')::date + 14, 22, true, 'Monthly review call'
         FROM "User" u WHERE u.email = 'clinician@pulseboard.local'
       RETURNING to_char("serviceDate", 'YYYY-MM') AS month`,
      [patient.id],
    );
    return inserted.rows[0]?.month ?? "";
  });
  const label = (month: string) =>
    new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
  await page.goto(`/patients/${patient.id}`);
  const months = page.getByRole("navigation", { name: "Care time month" });
  await expect(page.getByText(/^No care time logged in /)).toBeVisible();
  // The current month has no "next".
  await expect(months.getByRole("link")).toHaveCount(1);

  await months.getByRole("link", { name: `← ${label(lastMonth)}` }).click();
  await expect(page).toHaveURL(new RegExp(`careMonth=${lastMonth}`));
  await expect(page.getByRole("heading", { name: `Care time, ${label(lastMonth)}` })).toBeVisible();
  await expect(page.getByRole("table", { name: `Care time logged in ${label(lastMonth)}` })).toContainText("Monthly review call");
  await expect(page.getByText("99457 met")).toBeVisible();
  await expect(months.getByRole("link")).toHaveCount(2);

  // A month ahead of the patient's own is not shown: the current one is.
  await page.goto(`/patients/${patient.id}?careMonth=2999-01`);
  await expect(page.getByText(/^No care time logged in /)).toBeVisible();
});

test("a timer on the record counts the time spent, across a reload, and fills in the minutes to log", async ({ page }) => {
  const patient = await createPatient();
  await page.clock.install();
  await page.goto(`/patients/${patient.id}`);
  await page.getByRole("button", { name: "Start timer" }).click();
  const timer = page.getByRole("timer", { name: "Care time running" });
  await page.clock.fastForward("12:30");
  await expect(timer).toHaveText("12:30");
  expect(await violationsOf(page)).toEqual([]);
  await page.reload();
  await page.clock.fastForward("01:00");
  await expect(timer).toHaveText(/^13:3\d$/);

  await page.getByRole("button", { name: "Stop and log" }).click();
  const dialog = page.getByRole("dialog", { name: "Log care time" });
  await expect(dialog.getByLabel("Minutes")).toHaveValue("13");
  await dialog.getByLabel(/Included a live call/).check();
  await dialog.getByRole("button", { name: "Log time" }).click();
  await expect(page.getByText("Logged 13 min of care time")).toBeVisible();
  await expect(page.getByRole("button", { name: "Start timer" })).toBeVisible();
  await expect(page.getByRole("table", { name: /^Care time logged in / }).getByRole("row")).toHaveCount(2);
});
