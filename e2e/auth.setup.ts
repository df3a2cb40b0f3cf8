import { expect, test } from "@playwright/test";

import { ROLE_USERS, signIn, storageStateFor, type DemoRole } from "./fixtures";

const HOME: Record<DemoRole, RegExp> = { admin: /\/patients$/, coordinator: /\/patients$/, clinician: /\/alerts$/ };

for (const role of Object.keys(ROLE_USERS) as DemoRole[]) {
  test(`sign in as the demo ${role}`, async ({ page }) => {
    await signIn(page, ROLE_USERS[role]);
    await expect(page).toHaveURL(HOME[role]);
    await page.context().storageState({ path: storageStateFor(role) });
  });
}
