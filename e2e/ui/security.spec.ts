import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";

import { patientIdByMrn, withE2eDatabase } from "../database";
import { ROLE_USERS, signIn, storageStateFor } from "../fixtures";

// Collects Content-Security-Policy violations the browser reports on this page.
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []))];
}

test("the app works under its Content-Security-Policy: sign-in, dialogs, selects, navigation", async ({ page }) => {
  const violations = await watchCsp(page);
  await signIn(page, ROLE_USERS.admin);
  await expect(page).toHaveURL(/\/patients$/);
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Add staff member" }).click();
  await expect(page.getByRole("dialog", { name: "Add staff member" })).toBeVisible();
  await page.getByRole("combobox", { name: "Role" }).click();
  await expect(page.getByRole("option", { name: "Clinician" })).toBeVisible();
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  expect(await violations()).toEqual([]);
});

test.describe("audit log (admin)", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("filters, sorts and pages on the server through the URL", async ({ page }) => {
    await page.goto("/admin/audit");
    await page.getByLabel("Action").selectOption("auth.sign_in");
    await page.getByLabel("Outcome").selectOption("success");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/action=auth\.sign_in/);
    await expect(page).toHaveURL(/outcome=success/);
    const rows = page.getByRole("row").filter({ hasText: "auth." });
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) await expect(row).toContainText("auth.sign_in");
    await page.getByRole("link", { name: "Time (UTC)" }).click();
    await expect(page).toHaveURL(/sort=createdAt&dir=asc|dir=asc.*sort=createdAt|sort=createdAt.*dir=asc/);
    await page.getByLabel("From (UTC)").fill("2000-01-01");
    await page.getByLabel("To (UTC)").fill("2000-01-02");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByText("No audit events match")).toBeVisible();
  });

  test("exports the filtered view as CSV, and the export is itself audited", async ({ page }) => {
    await page.goto("/admin/audit?action=auth.sign_in");
    const downloadPromise = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/^pulseboard-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync(await download.path(), "utf8").trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,time_utc,actor_id,actor_name,actor_role,action,outcome,target_type,target_id,patient_id,source_ip,request_id,details");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toContain(",auth.sign_in,");
    await page.goto("/admin/audit?action=audit.export");
    await expect(page.getByRole("row").filter({ hasText: "audit.export" }).first()).toContainText('"action":"auth.sign_in"');
  });

  test("points the admin at an action whose outcome was never written, and lists it on its own", async ({ page }) => {
    // What a server action leaves when the database is lost between its change and its outcome event.
    const deviceId = `device-${randomUUID()}`;
    const requestId = randomUUID();
    await withE2eDatabase((c) =>
      c.query(
        `WITH started AS (
           INSERT INTO "AuditEvent" ("actorRole", action, outcome, "requestId", details, "createdAt")
           VALUES ('coordinator', 'device.ship', 'started', $1, $2::jsonb, now() - interval '10 minutes') RETURNING id)
         INSERT INTO "UnfinishedAction" ("startedEventId", action, "createdAt")
         SELECT id, 'device.ship', now() - interval '10 minutes' FROM started`,
        [requestId, JSON.stringify({ input: { deviceId } })],
      ),
    );
    await page.goto("/admin");
    await expect(page.getByRole("status").filter({ hasText: /no recorded outcome/ })).toBeVisible();
    await page.getByRole("link", { name: "Review in the audit log" }).click();
    await expect(page).toHaveURL(/outcome=unrecorded/);
    await expect(page.getByLabel("Outcome")).toHaveValue("unrecorded");
    const row = page.getByRole("row").filter({ hasText: deviceId });
    await expect(row).toContainText("device.ship");

    // Once checked, it leaves the list and the Admin page stops pointing at it.
    await row.getByRole("button", { name: "Mark checked device.ship" }).click();
    await expect(page.getByText("Marked device.ship as checked")).toBeVisible();
    await expect(row).toHaveCount(0);
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: /no recorded outcome/ })).toHaveCount(0);
  });
});

test.describe("break-glass emergency access", () => {
  test.use({ storageState: storageStateFor("clinician") });

  test("a clinician gets one patient's audit trail for a limited time, with a written reason, and admins see it", async ({ page, browser }) => {
    const patientId = await patientIdByMrn("MRN-100001");
    const otherPatientId = await patientIdByMrn("MRN-100002");
    // Without a grant the trail is refused.
    expect((await page.goto(`/emergency-access/${otherPatientId}`))?.status()).toBe(403);

    await page.goto("/patients");
    await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Emergency access" }).click();
    await page.getByLabel("Patient MRN").fill("MRN-100001");
    await page.getByLabel("Reason for emergency access").fill("too short");
    await page.getByRole("button", { name: "Break the glass" }).click();
    await expect(page.getByText(/at least 20 characters/)).toBeVisible();

    await page.getByLabel("Patient MRN").fill("MRN-999999");
    await page.getByLabel("Reason for emergency access").fill("On call tonight; the attending asked who changed this record.");
    await page.getByRole("button", { name: "Break the glass" }).click();
    await expect(page.getByText("No patient has that MRN.")).toBeVisible();

    await page.getByLabel("Patient MRN").fill("MRN-100001");
    await page.getByRole("button", { name: "Break the glass" }).click();
    await expect(page).toHaveURL(new RegExp(`/emergency-access/${patientId}$`));
    await expect(page.getByRole("heading", { name: /Audit trail:/ })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Emergency access until" })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "auth.break_glass" }).first()).toBeVisible();
    // The grant is for that patient only.
    expect((await page.goto(`/emergency-access/${otherPatientId}`))?.status()).toBe(403);

    const stored = await withE2eDatabase((c) =>
      c.query<{ outcome: string; sourceIp: string | null; details: { expiresAt: string; reasonLength: number } }>(
        `SELECT outcome, "sourceIp", details FROM "AuditEvent" WHERE action = 'auth.break_glass' AND "patientId" = $1 ORDER BY id DESC LIMIT 1`,
        [patientId],
      ),
    );
    const grant = stored.rows[0];
    expect(grant?.outcome).toBe("success");
    expect(grant?.sourceIp).toBeTruthy();
    const minutes = (new Date(grant?.details.expiresAt ?? 0).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(55);
    expect(minutes).toBeLessThanOrEqual(60);

    // Reads go through recordAccess, which records the source address like actions do.
    const view = await withE2eDatabase((c) =>
      c.query<{ sourceIp: string | null; details: { via: string } }>(`SELECT "sourceIp", details FROM "AuditEvent" WHERE action = 'audit_trail.view' AND "patientId" = $1 ORDER BY id DESC LIMIT 1`, [patientId]),
    );
    expect(view.rows[0]?.details.via).toBe("break_glass");
    expect(view.rows[0]?.sourceIp).toBeTruthy();

    const admin = await browser.newContext({ storageState: storageStateFor("admin") });
    const adminPage = await admin.newPage();
    await adminPage.goto(`/admin/audit?patientId=${patientId}`);
    const grantRow = adminPage.getByRole("row").filter({ hasText: "auth.break_glass" }).first();
    await expect(grantRow.getByText("Break-glass", { exact: true })).toBeVisible();
    await expect(grantRow).toContainText("the attending asked who changed this record");
    await expect(adminPage.getByRole("row").filter({ hasText: "audit_trail.view" }).first().getByText("Via break-glass")).toBeVisible();
    await admin.close();
  });
});
