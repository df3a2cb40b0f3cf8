import { expect, test, type Locator, type Page } from "@playwright/test";

import { withE2eDatabase } from "../database";
import { storageStateFor } from "../fixtures";

test.use({ storageState: storageStateFor("admin") });

// The simulator server Playwright's web server started (scripts/start.ts --e2e).
const SIMULATOR_URL = `http://127.0.0.1:${process.env.SIMULATOR_PORT ?? 4110}`;

function vendorCard(page: Page, name: string): Locator {
  return page.getByRole("region", { name, exact: true });
}

test("an admin arms and clears a failure switch, and a Smartz pod's reading shows in the request log", async ({ page }) => {
  await page.goto("/admin");
  await page.getByRole("link", { name: "Simulation" }).click();
  await expect(page).toHaveURL(/\/admin\/simulation$/);
  await expect(page.getByRole("heading", { name: "Simulation", level: 1 })).toBeVisible();

  const smartz = vendorCard(page, "Smartz");
  await expect(smartz.getByText("Simulator", { exact: true })).toBeVisible();

  // Arm: the next two calls answer 429 with Retry-After; the page lists the armed switch. Then clear it at once, so
  // other specs calling Smartz are not affected.
  await smartz.getByLabel("Failure", { exact: true }).selectOption("rate_limited");
  await smartz.getByLabel("Next calls").fill("2");
  await smartz.getByLabel("Retry-After (s)").fill("7");
  await smartz.getByRole("button", { name: "Arm failure switch" }).click();
  await expect(smartz.getByText("The next 2 calls answer HTTP 429 (Retry-After 7 s).", { exact: true })).toBeVisible();
  await expect(smartz.getByText("Armed", { exact: true })).toBeVisible();
  await smartz.getByRole("button", { name: "Clear failure switch" }).click();
  await expect(smartz.getByText("Calls to the simulator succeed.")).toBeVisible();

  // Bad input is refused on the field.
  await smartz.getByLabel("Failure", { exact: true }).selectOption("client_error");
  await smartz.getByLabel("HTTP status").fill("503");
  await smartz.getByRole("button", { name: "Arm failure switch" }).click();
  await expect(smartz.getByLabel("HTTP status")).toHaveAccessibleDescription(/400–499/);

  // Emit: pat-3001's pod reports; Pulseboard's client reads the events back and the request is in the log.
  await smartz.getByLabel("Patient (Smartz patient ID)").selectOption("pat-3001");
  await smartz.getByRole("button", { name: "Send a reading now" }).click();
  await expect(smartz.getByRole("status").filter({ hasText: "pod reported" })).toContainText("Smartz's API answered with");
  const log = smartz.getByRole("table", { name: /requests the Smartz simulator received/ });
  await expect(log.getByRole("cell", { name: "GET /smartz/v1/patients/pat-3001/events" }).first()).toBeVisible();
  await expect(log.getByRole("cell", { name: "POST /smartz/v1/token" }).first()).toBeVisible();
});

test("an admin ships a Tenovi device along and makes it measure", async ({ page, request }) => {
  // A drop-ship activation straight at the simulator, as Pulseboard's assign flow would make it.
  const created = await request.post(`${SIMULATOR_URL}/tenovi/clients/pulseboard-demo/hwi/hwi-devices/`, {
    headers: { Authorization: "Api-Key sim-tenovi-api-key" },
    data: {
      patient_id: `e2e-sim-${Date.now()}`,
      device: {
        name: "Tenovi BPM - L",
        hardware_uuid: null,
        fulfillment_request: {
          shipping_name: "E2E Patient",
          shipping_address: "1 Main Street",
          shipping_city: "Columbus",
          shipping_state: "OH",
          shipping_zip_code: "43215",
          client_will_fulfill: false,
        },
      },
    },
  });
  expect(created.status()).toBe(201);
  const hwiDeviceId = ((await created.json()) as { id: string }).id;

  await page.goto("/admin/simulation");
  const tenovi = vendorCard(page, "Tenovi");
  // The device picker names a demo device's patient, and shows the vendor's id for one Pulseboard does not know.
  const demo = await withE2eDatabase(async (c) =>
    (
      await c.query<{ vendorDeviceId: string; name: string }>(
        `SELECT d."vendorDeviceId", p."lastName" || ', ' || p."firstName" AS name FROM "Device" d JOIN "Patient" p ON p.id = d."patientId"
          WHERE d.vendor = 'tenovi' AND d."vendorDeviceId" IS NOT NULL LIMIT 1`,
      )
    ).rows[0],
  );
  const options = tenovi.getByLabel("Device (HWI device ID)").locator("option");
  await expect(options.and(page.locator(`[value="${demo?.vendorDeviceId}"]`))).toHaveText(new RegExp(`· ${demo?.name}$`));
  await expect(options.and(page.locator(`[value="${hwiDeviceId}"]`))).toHaveText(/· patient e2e-sim-\d+$/);
  await tenovi.getByLabel("Shipment of device").selectOption(hwiDeviceId);
  await tenovi.getByRole("button", { name: "Advance shipment" }).click();
  await expect(tenovi.getByRole("status").filter({ hasText: "is now “Dropshipped”" })).toBeVisible();
  await tenovi.getByRole("button", { name: "Advance shipment" }).click();
  await expect(tenovi.getByRole("status").filter({ hasText: "is now “Delivered”" })).toBeVisible();

  await tenovi.getByLabel("Device (HWI device ID)").selectOption(hwiDeviceId);
  await tenovi.getByRole("button", { name: "Send a reading now" }).click();
  await expect(tenovi.getByRole("status").filter({ hasText: "took" })).toContainText("Tenovi's API lists");
  const log = tenovi.getByRole("table", { name: /requests the Tenovi simulator received/ });
  await expect(log.getByRole("cell", { name: `GET /tenovi/clients/pulseboard-demo/hwi/hwi-devices/${hwiDeviceId}/measurements/` }).first()).toBeVisible();
});
