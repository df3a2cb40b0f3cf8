import { expect, request as playwrightRequest, test } from "@playwright/test";
import { randomUUID } from "node:crypto";

import { BASE_URL } from "../../playwright.config";
import { createStaff, staffColumns, withE2eDatabase } from "../database";
import { ROLE_USERS, signIn, storageStateFor } from "../fixtures";
import { callAction, discoverServerActions } from "../server-actions";
import { signedInState } from "../sessions";

// Passwords: everyone changes their own (the current one asked for), an admin resets a forgotten or locked one.

type AccountRow = { failedSignIns: number; lockedUntil: Date | null; sessionVersion: number };

const accountOf = (userId: string) => staffColumns<AccountRow>(userId, ["failedSignIns", "lockedUntil", "sessionVersion"]);

async function passwordEvents(userId: string, action: string): Promise<{ outcome: string; reason: string | null }[]> {
  const result = await withE2eDatabase((c) =>
    c.query<{ outcome: string; reason: string | null }>(
      `SELECT outcome, details->>'reason' AS reason FROM "AuditEvent" WHERE action = $1 AND "targetId" = $2 AND outcome <> 'started' ORDER BY id`,
      [action, userId],
    ),
  );
  return result.rows;
}

test("staff change their own password: the current one is checked, every session ends, the new one signs in", async ({ page, browser }) => {
  const staff = await createStaff("clinician");
  const otherBrowser = await browser.newContext({ storageState: await signedInState(browser, staff) });
  const newPassword = `Fresh-${randomUUID()}`;

  await signIn(page, staff.email, staff.password);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Account and password" }).click();
  await expect(page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();
  await expect(page.getByText(staff.email)).toBeVisible();

  // The repeat is checked in the browser: nothing is sent.
  await page.getByLabel("Current password").fill(staff.password);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("New password again").fill(`${newPassword}x`);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The two new passwords differ.")).toBeVisible();
  // What was typed stays (lib/forms/submit.ts): React would otherwise reset the form.
  await expect(page.getByLabel("New password", { exact: true })).toHaveValue(newPassword);
  expect(await passwordEvents(staff.id, "auth.password_change")).toEqual([]);

  // A wrong current password is refused and counts toward the lockout.
  await page.getByLabel("Current password").fill("not-my-password");
  await page.getByLabel("New password again").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  expect((await accountOf(staff.id)).failedSignIns).toBe(1);

  const before = await accountOf(staff.id);
  await page.getByLabel("Current password").fill(staff.password);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/sign-in\?notice=password-changed$/);
  await expect(page.getByRole("status").filter({ hasText: "Your password was changed." })).toBeVisible();
  const after = await accountOf(staff.id);
  expect(after.sessionVersion).toBe(before.sessionVersion + 1);
  expect(after.failedSignIns).toBe(0);
  expect(await passwordEvents(staff.id, "auth.password_change")).toEqual([
    { outcome: "failure", reason: "wrong_password" },
    { outcome: "success", reason: null },
  ]);

  // The session in the other browser has ended too.
  const otherPage = await otherBrowser.newPage();
  await otherPage.goto("/patients");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await otherBrowser.close();

  await signIn(page, staff.email, staff.password);
  await expect(page.getByText("That email and password do not match an active account")).toBeVisible();
  await signIn(page, staff.email, newPassword);
  // A clinician's home is the alert worklist.
  await expect(page).toHaveURL(/\/alerts$/);
});

test("an admin sets a new password for a locked-out staff member, which ends the lockout and their sessions", async ({ browser }) => {
  const staff = await createStaff("coordinator");
  const state = await signedInState(browser, staff);
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const page = await admin.newPage();
  await withE2eDatabase((c) => c.query(`UPDATE "User" SET "lockedUntil" = now() + interval '10 minutes' WHERE id = $1`, [staff.id]));
  const before = await accountOf(staff.id);
  const newPassword = `Reset-${randomUUID()}`;

  await page.goto("/admin");
  const row = page.getByRole("row").filter({ hasText: staff.email });
  await expect(row.getByText("Locked", { exact: true })).toBeVisible();
  await row.getByRole("button", { name: "Reset password" }).click();
  const dialog = page.getByRole("dialog", { name: "Reset password for E2E coordinator" });
  await dialog.getByLabel(/New password/).fill("short");
  await dialog.getByRole("button", { name: "Set new password" }).click();
  await expect(dialog.getByText("Use at least 12 characters.")).toBeVisible();
  await dialog.getByLabel(/New password/).fill(newPassword);
  await dialog.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("New password set for E2E coordinator")).toBeVisible();
  await expect(dialog).toHaveCount(0);

  const after = await accountOf(staff.id);
  expect(after.lockedUntil).toBeNull();
  expect(after.sessionVersion).toBe(before.sessionVersion + 1);
  expect(await passwordEvents(staff.id, "staff.password_reset")).toEqual([{ outcome: "success", reason: null }]);
  await page.reload();
  const resetRow = page.getByRole("row").filter({ hasText: staff.email });
  await expect(resetRow.getByText("Active", { exact: true })).toBeVisible();
  await expect(resetRow.getByText("own password not chosen yet")).toBeVisible();

  const theirs = await browser.newContext({ storageState: state });
  const theirPage = await theirs.newPage();
  await theirPage.goto("/patients");
  await expect(theirPage).toHaveURL(/\/sign-in/);
  await signIn(theirPage, staff.email, newPassword);
  await expect(theirPage).toHaveURL(/\/account$/);
  await theirs.close();
  await admin.close();
});

test("someone whose password an admin chose reaches only their account page until they choose their own", async ({ browser, page }) => {
  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const adminPage = await admin.newPage();
  const email = `e2e-${randomUUID()}@example.org`;
  const firstPassword = `First-${randomUUID()}`;
  await adminPage.goto("/admin");
  await adminPage.getByRole("button", { name: "Add staff member" }).click();
  const dialog = adminPage.getByRole("dialog", { name: "Add staff member" });
  await dialog.getByLabel("Name").fill("E2E Newcomer");
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel(/First password/).fill(firstPassword);
  await dialog.getByRole("button", { name: "Create account" }).click();
  await expect(adminPage.getByText("Staff account created")).toBeVisible();
  await admin.close();

  await signIn(page, email, firstPassword);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("status").filter({ hasText: "An admin set your password." })).toBeVisible();
  await page.goto("/patients");
  await expect(page).toHaveURL(/\/account$/);

  // Not through an action or a route either.
  const request = page.context().request;
  const enrol = discoverServerActions().find((a) => a.exportName === "enrolPatientAction");
  const refused = await callAction(request, enrol?.page ?? "/patients/new", enrol?.id ?? "", [{ mrn: "E2E-REFUSED" }]);
  expect(refused.result?.serverError).toBe("Choose your own password under Account first.");
  expect((await request.get("/api/readings/feed")).status()).toBe(403);

  const ownPassword = `Own-${randomUUID()}`;
  await page.getByLabel("Current password").fill(firstPassword);
  await page.getByLabel("New password", { exact: true }).fill(ownPassword);
  await page.getByLabel("New password again").fill(ownPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/sign-in\?notice=password-changed$/);
  await signIn(page, email, ownPassword);
  await expect(page).toHaveURL(/\/patients$/);
  await expect(page.getByRole("heading", { name: "Patients", level: 1 })).toBeVisible();
});

test("an admin's own password is not reset from the staff table, even by a crafted request: it needs the current one", async () => {
  const reset = discoverServerActions().find((a) => a.exportName === "resetStaffPasswordAction");
  const admin = await withE2eDatabase((c) =>
    c.query<{ id: string; passwordHash: string }>(`SELECT id, "passwordHash" FROM "User" WHERE email = $1`, [ROLE_USERS.admin]),
  );
  const { id, passwordHash } = admin.rows[0] ?? { id: "", passwordHash: "" };
  const request = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: storageStateFor("admin") });
  try {
    const response = await callAction(request, reset?.page ?? "/admin", reset?.id ?? "", [{ userId: id, password: `Crafted-${randomUUID()}` }]);
    expect(response.result?.serverError).toBe("Change your own password under Account, with your current one.");
  } finally {
    await request.dispose();
  }
  const after = await withE2eDatabase((c) => c.query<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User" WHERE id = $1`, [id]));
  expect(after.rows[0]?.passwordHash).toBe(passwordHash);
});
