import { test as base, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "pulseboard-demo-2026";
export const ROLE_USERS = {
  admin: "admin@pulseboard.local",
  coordinator: "coordinator@pulseboard.local",
  clinician: "clinician@pulseboard.local",
} as const;
export type DemoRole = keyof typeof ROLE_USERS;

export const storageStateFor = (role: DemoRole) => `e2e/.auth/${role}.json`;

// Signs in through the real form.
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// A test that runs signed in as the given role (storage state saved by auth.setup.ts).
export function testAs(role: DemoRole) {
  return base.extend({ storageState: storageStateFor(role) });
}

export { expect } from "@playwright/test";
