import { expect, test, type Page } from "@playwright/test";

import { fromBase32, hotp, totpStep } from "../../lib/auth/totp";
import { violationsOf } from "../axe";
import { createStaff, staffColumns, withE2eDatabase } from "../database";
import { signIn, storageStateFor } from "../fixtures";
import { forgedSessionState, signedInState } from "../sessions";

// Two-step verification: set up from Account with an authenticator app (here: the same RFC 6238 arithmetic), asked
// for at sign-in after the right password, turned off with the password, or by an admin for a lost phone.

type TwoStepRow = { totpEnabledAt: Date | null; totpSecretEncrypted: string | null; sessionVersion: number };

const twoStepOf = (userId: string) => staffColumns<TwoStepRow>(userId, ["totpEnabledAt", "totpSecretEncrypted", "sessionVersion"]);

async function eventsOf(userId: string): Promise<string[]> {
  const result = await withE2eDatabase((c) =>
    c.query<{ event: string }>(
      `SELECT action || ' ' || outcome || coalesce(' ' || (details->>'reason'), '') AS event FROM "AuditEvent"
        WHERE "targetId" = $1 AND (action LIKE '%two_step%' OR action = 'auth.sign_in') AND outcome <> 'started' ORDER BY id`,
      [userId],
    ),
  );
  return result.rows.map((row) => row.event);
}

// What the person's app shows `offset` steps from now.
function appCode(secret: string, offset = 0): string {
  return hotp(fromBase32(secret), totpStep() + offset);
}

// Sets two-step verification up on the account page the page is signed in to, and returns the secret and the
// recovery codes it showed.
async function setUpTwoStep(page: Page, beforeTurnOn?: () => Promise<void>): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto("/account");
  await page.getByRole("button", { name: "Set up two-step verification" }).click();
  await expect(page.getByRole("img", { name: /QR code for your authenticator app/ })).toBeVisible();
  const shown = await page.getByLabel(/^Setup key/).textContent();
  const secret = (shown ?? "").replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("Code from the app").fill("12345");
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByText("Enter the six-digit code from your authenticator app.")).toBeVisible();
  expect(await violationsOf(page), "setup panel").toEqual([]);
  await page.getByLabel("Code from the app").fill(appCode(secret, -1));
  await beforeTurnOn?.();
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByText("Two-step verification is on", { exact: true })).toBeVisible();
  await expect(page.getByText(/^On since/)).toBeVisible();
  const recoveryCodes = await shownRecoveryCodes(page);
  await page.getByRole("button", { name: "I have saved them" }).click();
  // Scanned without the toast, which axe would catch halfway through its fade-in.
  await page.reload();
  await expect(page.getByRole("button", { name: "Turn off two-step verification" })).toBeVisible();
  await expect(page.getByText("10 of 10 recovery codes left")).toBeVisible();
  expect(await violationsOf(page), "account with two-step on").toEqual([]);
  return { secret, recoveryCodes };
}

// The recovery codes the account page shows once, after turning on or renewing.
async function shownRecoveryCodes(page: Page): Promise<string[]> {
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = await list.getByRole("listitem").allTextContents();
  for (const code of codes) expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  return codes;
}

// Whether a browser context's session still opens pages: signed out, a page sends it to sign-in.
async function isSignedIn(page: Page): Promise<boolean> {
  await page.goto("/patients");
  return !new URL(page.url()).pathname.startsWith("/sign-in");
}

test("staff turn on two-step verification; sign-in then asks for a code after the password, and takes each code once", async ({ browser }) => {
  const staff = await createStaff("clinician");
  const elsewhere = await browser.newContext({ storageState: await signedInState(browser, staff) });
  const here = await browser.newContext({ storageState: await signedInState(browser, staff) });
  const page = await here.newPage();
  // The session turning it on was last renewed two minutes ago, so the proxy renews its cookie on the very request
  // whose action seals it again with the new session version: the action's cookie has to be the one the browser keeps.
  const lastRenewedEarlier = async () => here.addCookies((await forgedSessionState(staff, { signedInMsAgo: 300_000, lastUsedMsAgo: 120_000 })).cookies);
  const { secret } = await setUpTwoStep(page, lastRenewedEarlier);
  const stored = await twoStepOf(staff.id);
  expect(stored.totpEnabledAt).not.toBeNull();
  expect(stored.totpSecretEncrypted).not.toContain(secret);
  // Turning it on ended the session opened elsewhere with the password alone, and kept this one.
  expect(stored.sessionVersion).toBe(1);
  expect(await isSignedIn(await elsewhere.newPage())).toBe(false);
  expect(await isSignedIn(page)).toBe(true);

  const fresh = await browser.newContext();
  const signInPage = await fresh.newPage();
  await signIn(signInPage, staff.email, staff.password);
  const code = signInPage.getByLabel("Authentication code");
  await expect(code).toBeFocused();
  // Asked for, not refused: the password was right.
  await expect(signInPage.getByText(/That code is not right/)).toHaveCount(0);
  expect(await violationsOf(signInPage), "sign-in asking for the code").toEqual([]);
  // The password stays as typed while the code is asked for.
  await expect(signInPage.getByLabel("Password")).toHaveValue(staff.password);
  const wrong = String((Number(appCode(secret)) + 500_000) % 1_000_000).padStart(6, "0");
  await code.fill(wrong);
  await signInPage.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(signInPage.getByText(/That code is not right, or it was used already/)).toBeVisible();
  await expect(signInPage).toHaveURL(/\/sign-in/);
  const next = appCode(secret, 1);
  await code.fill(`${next.slice(0, 3)} ${next.slice(3)}`);
  await signInPage.getByRole("button", { name: "Verify and sign in" }).click();
  await signInPage.waitForURL((url) => !url.pathname.startsWith("/sign-in"));

  // The same code a second time (someone who watched it typed) is refused.
  const again = await browser.newContext();
  const replay = await again.newPage();
  await signIn(replay, staff.email, staff.password);
  await replay.getByLabel("Authentication code").fill(next);
  await replay.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(replay.getByText(/used already/)).toBeVisible();

  expect(await eventsOf(staff.id)).toEqual([
    "auth.sign_in success",
    "auth.sign_in success",
    "auth.two_step_setup success",
    "auth.two_step_on success",
    "auth.sign_in failure wrong_code",
    "auth.sign_in success",
    "auth.sign_in failure wrong_code",
  ]);
  await Promise.all([fresh.close(), again.close(), elsewhere.close(), here.close()]);
});

test("two-step verification is turned off with the current password, which ends the other sessions; a wrong one counts toward the lockout", async ({
  browser,
  page,
}) => {
  const staff = await createStaff("coordinator");
  await signIn(page, staff.email, staff.password);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  const { secret } = await setUpTwoStep(page);
  const elsewhere = await browser.newContext();
  const elsewherePage = await elsewhere.newPage();
  await signIn(elsewherePage, staff.email, staff.password);
  await elsewherePage.getByLabel("Authentication code").fill(appCode(secret));
  await elsewherePage.getByRole("button", { name: "Verify and sign in" }).click();
  await elsewherePage.waitForURL((url) => !url.pathname.startsWith("/sign-in"));

  await page.getByLabel("Current password, to turn it off").fill("not-my-password");
  await page.getByRole("button", { name: "Turn off two-step verification" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  expect((await twoStepOf(staff.id)).totpEnabledAt).not.toBeNull();
  await page.getByLabel("Current password, to turn it off").fill(staff.password);
  await page.getByRole("button", { name: "Turn off two-step verification" }).click();
  await expect(page.getByText("Two-step verification is off", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Set up two-step verification" })).toBeVisible();
  expect(await twoStepOf(staff.id)).toMatchObject({ totpEnabledAt: null, totpSecretEncrypted: null, sessionVersion: 2 });
  expect((await eventsOf(staff.id)).slice(-2)).toEqual(["auth.two_step_off failure wrong_password", "auth.two_step_off success"]);
  expect(await isSignedIn(elsewherePage)).toBe(false);
  expect(await isSignedIn(page)).toBe(true);
  await elsewhere.close();
});

test("an admin turns two-step verification off for someone who lost their phone, which ends their sessions", async ({ browser, page }) => {
  const staff = await createStaff("clinician");
  await signIn(page, staff.email, staff.password);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await setUpTwoStep(page);
  const before = await twoStepOf(staff.id);

  const admin = await browser.newContext({ storageState: storageStateFor("admin") });
  const adminPage = await admin.newPage();
  await adminPage.goto("/admin");
  const row = adminPage.getByRole("row").filter({ hasText: staff.email });
  await expect(row.getByText("On", { exact: true })).toBeVisible();
  await row.getByRole("button", { name: "Turn off two-step" }).click();
  const dialog = adminPage.getByRole("dialog", { name: "Turn off two-step verification for E2E clinician?" });
  expect(await violationsOf(adminPage), "turn-off dialog").toEqual([]);
  await dialog.getByRole("button", { name: "Turn off two-step" }).click();
  await expect(adminPage.getByText("Two-step verification turned off for E2E clinician")).toBeVisible();
  await expect(row.getByText("Off", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: "Turn off two-step" })).toHaveCount(0);
  expect(await twoStepOf(staff.id)).toMatchObject({ totpEnabledAt: null, totpSecretEncrypted: null, sessionVersion: before.sessionVersion + 1 });
  expect((await eventsOf(staff.id)).at(-1)).toBe("staff.two_step_reset success");

  // Their open session has ended; the password alone signs them in again.
  await page.goto("/patients");
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, staff.email, staff.password);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await admin.close();
});

test("a recovery code signs in once without the phone; a new set replaces the old one", async ({ browser, page }) => {
  const staff = await createStaff("coordinator");
  await signIn(page, staff.email, staff.password);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  const { recoveryCodes } = await setUpTwoStep(page);
  const [first = "", second = ""] = recoveryCodes;

  const signInWith = async (code: string) => {
    const context = await browser.newContext();
    const signInPage = await context.newPage();
    await signIn(signInPage, staff.email, staff.password);
    await signInPage.getByLabel("Authentication code").fill(code);
    await signInPage.getByRole("button", { name: "Verify and sign in" }).click();
    return { context, signInPage };
  };
  const lost = await signInWith(first.toLowerCase());
  await lost.signInPage.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await lost.context.close();
  const reused = await signInWith(first);
  await expect(reused.signInPage.getByText(/used already/)).toBeVisible();
  await reused.context.close();

  await page.reload();
  await expect(page.getByText("9 of 10 recovery codes left")).toBeVisible();
  await page.getByLabel("Current password, for new recovery codes").fill("not-my-password");
  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  await page.getByLabel("Current password, for new recovery codes").fill(staff.password);
  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  const renewed = await shownRecoveryCodes(page);
  expect(renewed).not.toContain(second);
  // Scanned with the outcome toasts on screen (their colours once fell short of the contrast rule).
  await expect(page.locator("[data-sonner-toast]").filter({ hasText: "New recovery codes made" })).toHaveCSS("opacity", "1");
  expect(await violationsOf(page), "new recovery codes").toEqual([]);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByText("10 of 10 recovery codes left")).toBeVisible();

  const old = await signInWith(second);
  await expect(old.signInPage.getByText(/used already/)).toBeVisible();
  await old.context.close();
  const events = await withE2eDatabase((c) =>
    c.query<{ event: string }>(
      `SELECT action || ' ' || outcome || coalesce(' ' || (details->>'reason'), '') || coalesce(' left ' || (details->>'recoveryCodesLeft'), '') AS event
         FROM "AuditEvent" WHERE "targetId" = $1 AND action IN ('auth.sign_in', 'auth.recovery_codes_renew') AND outcome <> 'started' ORDER BY id`,
      [staff.id],
    ),
  );
  expect(events.rows.map((row) => row.event)).toEqual([
    "auth.sign_in success",
    "auth.sign_in success left 9",
    "auth.sign_in failure wrong_code",
    "auth.recovery_codes_renew failure wrong_password",
    "auth.recovery_codes_renew success",
    "auth.sign_in failure wrong_code",
  ]);
});

test("a setup cancelled before its first code is forgotten", async ({ page }) => {
  const staff = await createStaff("clinician");
  await signIn(page, staff.email, staff.password);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await page.goto("/account");
  await page.getByRole("button", { name: "Set up two-step verification" }).click();
  await expect(page.getByLabel(/^Setup key/)).toBeVisible();
  expect((await twoStepOf(staff.id)).totpSecretEncrypted).not.toBeNull();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Set up two-step verification" })).toBeVisible();
  await expect.poll(async () => (await twoStepOf(staff.id)).totpSecretEncrypted).toBeNull();
  expect((await eventsOf(staff.id)).slice(-2)).toEqual(["auth.two_step_setup success", "auth.two_step_setup_cancel success"]);
});
