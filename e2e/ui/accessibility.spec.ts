import { expect, test, type Page } from "@playwright/test";

import { violationsOf } from "../axe";
import { patientIdByMrn, withE2eDatabase } from "../database";
import { ROLE_USERS, storageStateFor, type DemoRole } from "../fixtures";

// Every page each role uses, and the dialogs staff work in, checked with axe-core against WCAG 2.1 A and AA: colour
// contrast, names and roles, focus inside hidden content, keyboard access to scrolling regions. A finding fails the
// test with the rule and the elements it names.

// Demo patients: one per vendor (the Validic one has an open alert).
const DEMO_MRNS = { tenovi: "MRN-100001", validic: "MRN-100002", smartz: "MRN-100010" } as const;

// Opens a page once its content (not the loading skeleton) is there.
async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await page.waitForLoadState("networkidle");
}

async function pagesFor(role: DemoRole): Promise<string[]> {
  const [tenovi, validic, smartz] = await Promise.all([patientIdByMrn(DEMO_MRNS.tenovi), patientIdByMrn(DEMO_MRNS.validic), patientIdByMrn(DEMO_MRNS.smartz)]);
  const device = await withE2eDatabase(async (c) => (await c.query<{ id: string }>(`SELECT id FROM "Device" WHERE "patientId" = $1 LIMIT 1`, [validic])).rows[0]?.id);
  const everyone = [
    "/patients",
    `/patients/${tenovi}`,
    `/patients/${validic}`,
    `/patients/${validic}/vitals`,
    `/patients/${smartz}/vitals`,
    "/devices",
    `/devices/${device}`,
    "/shipments",
    "/shipments?view=exceptions",
    "/readings",
    "/alerts",
    "/alerts/rules",
    "/emergency-access",
    "/account",
  ];
  const writers = ["/patients/new", `/patients/${tenovi}/edit`];
  const admins = ["/admin", "/admin/audit", "/admin/ingest", "/admin/ingest/unmatched", "/admin/simulation"];
  return role === "admin" ? [...everyone, ...writers, ...admins] : role === "coordinator" ? [...everyone, ...writers] : everyone;
}

for (const role of ["admin", "coordinator", "clinician"] as const) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test(`every page passes WCAG 2.1 AA checks`, async ({ page }) => {
      test.setTimeout(120_000);
      const findings: string[] = [];
      for (const path of await pagesFor(role)) {
        await open(page, path);
        findings.push(...(await violationsOf(page)).map((v) => `${path}: ${v}`));
      }
      expect(findings).toEqual([]);
    });
  });
}

test.describe("signed out", () => {
  test("the sign-in page passes WCAG 2.1 AA checks, with and without its notice", async ({ page }) => {
    for (const path of ["/sign-in", "/sign-in?notice=password-changed"]) {
      await page.goto(path);
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      expect(await violationsOf(page), path).toEqual([]);
    }
  });
});

test.describe("dialogs", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("the ship-device and resolve-alert dialogs pass WCAG 2.1 AA checks", async ({ page }) => {
    await open(page, `/patients/${await patientIdByMrn(DEMO_MRNS.validic)}`);
    await page.getByRole("button", { name: "Ship device" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    expect(await violationsOf(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toHaveCount(0);

    await page.getByRole("list", { name: "Open alerts" }).getByRole("button", { name: /^Resolve/ }).first().click();
    await expect(page.getByRole("dialog", { name: "Resolve alert" })).toBeVisible();
    expect(await violationsOf(page)).toEqual([]);
  });

  test("the add-staff and reset-password dialogs pass WCAG 2.1 AA checks", async ({ page }) => {
    await open(page, "/admin");
    await page.getByRole("button", { name: "Add staff member" }).click();
    await expect(page.getByRole("dialog", { name: "Add staff member" })).toBeVisible();
    expect(await violationsOf(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toHaveCount(0);

    await page.getByRole("row").filter({ hasText: ROLE_USERS.clinician }).getByRole("button", { name: "Reset password" }).click();
    await expect(page.getByRole("dialog", { name: /^Reset password for/ })).toBeVisible();
    expect(await violationsOf(page)).toEqual([]);
  });
});
