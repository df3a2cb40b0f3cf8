import { expect, test, type Page, type Request } from "@playwright/test";

import { storageStateFor } from "../fixtures";

test.use({ storageState: storageStateFor("admin") });

// The routes the page's router prefetches (path and query, without the router's cache-busting parameter).
function recordPrefetches(page: Page): string[] {
  const routes: string[] = [];
  page.on("request", (request: Request) => {
    if (!request.headers()["next-router-prefetch"]) return;
    const url = new URL(request.url());
    url.searchParams.delete("_rsc");
    routes.push(url.pathname + url.search);
  });
  return routes;
}

// A list page used to prefetch the route behind every visible row, sort header, page and menu entry (some fifty
// server renders per view); links now prefetch only what the pointer rests on.
test("a list page prefetches nothing on sight, and the route a pointer rests on", async ({ page }) => {
  const prefetched = recordPrefetches(page);
  await page.goto("/patients");
  const firstPatient = page.locator("tbody").getByRole("link").first();
  await expect(firstPatient).toBeVisible();
  // Next schedules viewport prefetches right after hydration; give it time to (not) send them.
  await page.waitForLoadState("networkidle");
  await page.mouse.wheel(0, 2000);
  await page.waitForTimeout(1500);
  expect(prefetched).toEqual([]);

  const href = (await firstPatient.getAttribute("href")) ?? "";
  await firstPatient.hover();
  await expect.poll(() => prefetched).toContain(href);
  expect(new Set(prefetched)).toEqual(new Set([href]));

  await firstPatient.click();
  await expect(page).toHaveURL(href);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
