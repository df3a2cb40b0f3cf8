import { expect, test } from "@playwright/test";

import { fromBase32, hotp, totpStep } from "../../lib/auth/totp";
import { createStaff, withE2eDatabase } from "../database";
import { signIn, storageStateFor } from "../fixtures";
import { callAction, discoverServerActions } from "../server-actions";

// The clinic-wide requirement of two-step verification. It restricts every account without it, so this project runs
// after the ui and api projects, alone (playwright.config.ts), and turns the requirement off again whatever happens.

const SETTING = "auth.requireTwoStep";

async function setRequirement(isRequired: boolean) {
  await withE2eDatabase((c) =>
    isRequired
      ? c.query(
          `INSERT INTO "ClinicSetting" (key, value, "updatedAt") VALUES ($1, 'true'::jsonb, now()) ON CONFLICT (key) DO UPDATE SET value = 'true'::jsonb`,
          [SETTING],
        )
      : c.query(`DELETE FROM "ClinicSetting" WHERE key = $1`, [SETTING]),
  );
}

test.afterEach(async () => setRequirement(false));

test("an admin requires two-step verification; staff without it reach only their account page until they set it up", async ({ browser, page }) => {
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const adminPage = await admin.newPage();
  await adminPage.goto("/admin");
  const settings = adminPage.getByRole("form", { name: "Clinic settings" });
  await settings.getByLabel("Require two-step verification for all staff").check();
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(adminPage.getByText("Clinic settings saved")).toBeVisible();
  const audit = await withE2eDatabase((c) =>
    c.query<{ changed: string }>(
      `SELECT details->>'changed' AS changed FROM "AuditEvent" WHERE action = 'settings.update' AND outcome = 'success' ORDER BY id DESC LIMIT 1`,
    ),
  );
  expect(audit.rows[0]?.changed).toBe("requireTwoStep");
  // The admin has no two-step verification either: the next page they open is their account page.
  await adminPage.goto("/patients");
  await expect(adminPage).toHaveURL(/\/account$/);
  await expect(adminPage.getByText("The clinic requires two-step verification.")).toBeVisible();

  const staff = await createStaff("coordinator");
  await signIn(page, staff.email, staff.password);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto("/shipments");
  await expect(page).toHaveURL(/\/account$/);
  // Actions and API routes refuse too.
  const feed = await page.request.get("/api/readings/feed");
  expect(feed.status()).toBe(403);
  const enrol = discoverServerActions().find((a) => a.exportName === "enrolPatientAction");
  const refused = await callAction(page.request, enrol?.page ?? "/patients/new", enrol?.id ?? "", ["not an object"]);
  expect(refused.result?.serverError).toBe("Set up two-step verification under Account first: the clinic requires it.");
  const denials = await withE2eDatabase((c) =>
    c.query<{ reason: string }>(`SELECT details->>'reason' AS reason FROM "AuditEvent" WHERE "actorId" = $1 AND outcome = 'denied'`, [staff.id]),
  );
  expect(denials.rows).toEqual([{ reason: "two_step_required" }]);

  await page.getByRole("button", { name: "Set up two-step verification" }).click();
  const secret = ((await page.getByLabel(/^Setup key/).textContent()) ?? "").replace(/\s+/g, "");
  await page.getByLabel("Code from the app").fill(hotp(fromBase32(secret), totpStep()));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByText("Two-step verification is on", { exact: true })).toBeVisible();
  await expect(page.getByText("The clinic requires two-step verification.")).toHaveCount(0);
  await page.goto("/shipments");
  await expect(page.getByRole("heading", { name: "Shipments", level: 1 })).toBeVisible();
  await admin.close();
});
