import { expect, test } from "@playwright/test";

test("the health endpoint reports the database and migrations", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", database: "reachable", pendingMigrations: [] });
});

test("route handlers are not an open door: next-auth session is empty for a visitor", async ({ request }) => {
  const response = await request.get("/api/auth/session");
  expect(response.status()).toBe(200);
  expect(await response.json()).toBeNull();
});
