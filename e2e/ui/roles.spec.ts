import { expect, test } from "@playwright/test";

import { createStaff, withE2eDatabase } from "../database";
import { DEMO_PASSWORD, ROLE_USERS, signIn, storageStateFor } from "../fixtures";

test.describe("signed out", () => {
  test("a visitor is sent to sign-in", async ({ page }) => {
    await page.goto("/patients");
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole("heading", { name: /sign in/i })).toBeVisible();
  });

  test("a wrong password is refused with a message that reveals nothing", async ({ page }) => {
    await signIn(page, ROLE_USERS.coordinator, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "do not match an active account" })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in$/);
    // The email stays as typed for the next try (React would reset a form whose action returned).
    await expect(page.getByLabel("Email")).toHaveValue(ROLE_USERS.coordinator);
  });
});

test.describe("admin", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("sees every section, the staff list and the vendor modes", async ({ page }) => {
    await page.goto("/admin");
    const nav = page.getByRole("navigation", { name: "Main", exact: true });
    for (const label of ["Patients", "Devices", "Shipments", "Readings", "Alerts", "Admin"]) await expect(nav.getByRole("link", { name: label })).toBeVisible();
    await expect(page.getByRole("cell", { name: ROLE_USERS.clinician })).toBeVisible();
    await expect(page.getByText("Simulator").first()).toBeVisible();
    await expect(page.getByText(/sim-tenovi-api-key/)).toHaveCount(0);
  });

  test("sees whose care manager each staff member is, and a deactivated one's patients flagged for reassignment", async ({ page }) => {
    const departed = await createStaff("clinician");
    const lastName = `Orphan${departed.id.slice(4, 12).replace(/[^a-z]/g, "x")}`;
    await withE2eDatabase(async (client) => {
      await client.query(
        `INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", "careManagerId", "updatedAt")
         VALUES ('e2e-orphan-' || $1, 'E2E-' || upper(substr(md5($1), 1, 10)), 'Ora', $2, DATE '1950-01-01', $1, now())`,
        [departed.id, lastName],
      );
      await client.query(`UPDATE "User" SET "isActive" = false WHERE id = $1`, [departed.id]);
    });
    await page.goto("/admin");
    const row = page.getByRole("row").filter({ hasText: departed.email });
    await row.getByRole("link", { name: "1 patient to reassign" }).click();
    await expect(page).toHaveURL(new RegExp(`manager=${departed.id}`));
    const patientRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: `${lastName}, Ora` }) });
    await expect(patientRow.getByRole("cell", { name: "E2E clinician (deactivated)" })).toBeVisible();
    await expect(page.getByLabel("Care manager", { exact: true })).toHaveValue(departed.id);
  });

  test("deactivates a staff member only after a confirmation that names the patients they manage", async ({ page }) => {
    const leaving = await createStaff("coordinator");
    await withE2eDatabase(async (client) => {
      for (const n of [1, 2]) {
        await client.query(
          `INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", "careManagerId", "updatedAt")
           VALUES ('e2e-leaving-' || $2 || '-' || $1, 'E2E-' || upper(substr(md5($1 || $2), 1, 10)), 'Lea', 'Managed', DATE '1950-01-01', $1, now())`,
          [leaving.id, n],
        );
      }
    });
    await page.goto("/admin");
    const row = page.getByRole("row").filter({ hasText: leaving.email });
    await row.getByRole("button", { name: "Deactivate" }).click();
    const dialog = page.getByRole("dialog", { name: "Deactivate E2E coordinator?" });
    await expect(dialog).toContainText("care manager of 2 patients");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByText("Active", { exact: true })).toBeVisible();

    await row.getByRole("button", { name: "Deactivate" }).click();
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await expect(page.getByText("Deactivated E2E coordinator")).toBeVisible();
    await expect(row.getByText("Deactivated", { exact: true })).toBeVisible();
    await expect(row.getByRole("link", { name: "2 patients to reassign" })).toBeVisible();
    await expect(row.getByRole("button", { name: "Reactivate" })).toBeVisible();
  });

  test("changes a clinic setting, is told about a bad value, and the change survives a reload", async ({ page }) => {
    await page.goto("/admin");
    const settings = page.getByRole("form", { name: "Clinic settings" });
    const silentAfter = settings.getByLabel("Device silent after (days)");
    const original = await silentAfter.inputValue();
    await silentAfter.fill("0");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await expect(settings.getByText("At least 1 day.")).toBeVisible();
    await expect(silentAfter).toHaveAttribute("aria-invalid", "true");
    await silentAfter.fill("30");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Clinic settings saved")).toBeVisible();
    await page.reload();
    await expect(page.getByRole("form", { name: "Clinic settings" }).getByLabel("Device silent after (days)")).toHaveValue("30");
    // Put it back: the setting is clinic-wide and other tests share the database.
    await page.getByRole("form", { name: "Clinic settings" }).getByLabel("Device silent after (days)").fill(original);
    await page.getByRole("form", { name: "Clinic settings" }).getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Clinic settings saved").last()).toBeVisible();
  });
});

test.describe("coordinator", () => {
  test.use({ storageState: storageStateFor("coordinator") });

  test("works the patient list with server-side search and paging", async ({ page }) => {
    await page.goto("/patients");
    await expect(page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    // The 36 demo patients, plus any a spec running in parallel has just created.
    await expect(page.getByText(/1–25 of (3[6-9]|[4-9]\d|\d{3,})\b/)).toBeVisible();
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByText(/26–\d+ of \d+/)).toBeVisible();
    await page.getByLabel("Name, MRN, phone or IMEI").fill("MRN-100007");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/q=MRN-100007/);
    await expect(page.getByRole("row")).toHaveCount(2);
  });

  test("is refused the admin page", async ({ page }) => {
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Your role does not include this page" })).toBeVisible();
  });
});

test.describe("clinician", () => {
  test.use({ storageState: storageStateFor("clinician") });

  test("starts on alerts and is refused the admin page", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/alerts$/);
    await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(403);
  });
});

test("an admin-only server action called directly by a clinician is refused on the server", async ({ browser }) => {
  // Capture the action id the admin page posts when an admin changes a role, without letting it through.
  const adminContext = await browser.newContext({ storageState: storageStateFor("admin") });
  const adminPage = await adminContext.newPage();
  await adminPage.goto("/admin");
  let actionId: string | undefined;
  await adminPage.route("**/admin", async (route) => {
    const header = route.request().headers()["next-action"];
    if (header) {
      actionId = header;
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await adminPage.getByRole("combobox", { name: /Role for Dr. Jordan Clinician/ }).click();
  await adminPage.getByRole("option", { name: "Admin" }).click();
  await expect.poll(() => actionId).toBeTruthy();
  await adminContext.close();

  const clinicianContext = await browser.newContext({ storageState: storageStateFor("clinician") });
  const clinicianPage = await clinicianContext.newPage();
  await clinicianPage.goto("/alerts");
  const result = await clinicianPage.evaluate(async (id) => {
    const response = await fetch("/admin", {
      method: "POST",
      headers: { "Next-Action": id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
      body: JSON.stringify([{ userId: "any-user", role: "admin" }]),
    });
    return { status: response.status, body: await response.text() };
  }, actionId ?? "");
  expect(result.body).toContain("Your role does not allow this action.");
  await clinicianContext.close();

  // The role did not change: the clinician still lands on the clinician's start page.
  const check = await browser.newContext();
  const page = await check.newPage();
  await signIn(page, ROLE_USERS.clinician, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/alerts$/);
  await check.close();
});
