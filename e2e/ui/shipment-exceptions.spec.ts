import { randomInt, randomUUID } from "node:crypto";

import { withE2eDatabase } from "../database";
import { expect, testAs } from "../fixtures";

// The shipment exceptions worklist as a coordinator uses it: a clinic shipment on the way for ten days is listed as
// stuck with its age, and recording its delivery takes it off. The shipment's state columns are kept by database
// triggers (prisma/schema.prisma), so this follows one through the app's own writes.

const test = testAs("coordinator");
const DAY = 86_400_000;

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

// A Validic Smart Meter the clinic shipped ten days ago, still "Shipped", for a new enrolled patient.
async function createStuckShipment() {
  const suffix = randomUUID().slice(0, 8);
  const shipment = { patientId: `e2e-shp-${suffix}`, mrn: `E2E-SHP-${suffix}`, imei: `35${String(randomInt(1e12)).padStart(13, "0")}` };
  // Timestamps as ISO text: the columns are UTC timestamp(3) without a zone.
  const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
  await withE2eDatabase(async (c) => {
    await c.query(`INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", "updatedAt") VALUES ($1, $2, 'Robin', $3, '1950-01-01', now())`, [
      shipment.patientId,
      shipment.mrn,
      `Stuck${suffix}`,
    ]);
    await c.query(
      `INSERT INTO "Device" (id, vendor, category, connectivity, "vendorType", imei, lifecycle, "patientId", "updatedAt")
       VALUES ($1, 'validic', 'blood_pressure', 'cellular', 'blood_pressure', $2, 'shipping', $3, now())`,
      [`e2e-shp-dev-${suffix}`, shipment.imei, shipment.patientId],
    );
    await c.query(
      `INSERT INTO "Shipment" (id, "patientId", "deviceId", vendor, fulfiller, status, "shippingName", "addressLine1", city, state, "zipCode", carrier, "shippedAt", "createdAt", "updatedAt")
       VALUES ($1, $2, $3, 'validic', 'clinic', 'Shipped', 'Robin', '1 Main St', 'Columbus', 'OH', '43215', 'UPS', $4, $5, $4)`,
      [`e2e-shp-s-${suffix}`, shipment.patientId, `e2e-shp-dev-${suffix}`, daysAgo(10), daysAgo(12)],
    );
    await c.query(`INSERT INTO "ShipmentStatusChange" (id, "shipmentId", status, source, "occurredAt") VALUES ($1, $2, 'Shipped', 'coordinator', $3)`, [
      `e2e-shp-c-${suffix}`,
      `e2e-shp-s-${suffix}`,
      daysAgo(10),
    ]);
  });
  return shipment;
}

test("a clinic shipment stuck on the way is on the worklist with its age until its delivery is recorded", async ({ page }) => {
  const shipment = await createStuckShipment();
  const worklistRow = () => page.getByRole("row").filter({ hasText: shipment.mrn });

  await page.goto(`/shipments?view=exceptions&q=${shipment.mrn}`);
  await expect(worklistRow()).toContainText("Stuck in transit");
  await expect(worklistRow()).toContainText("“Shipped” for 10 days; expected to move on within 7 days.");
  await expect(page.getByRole("list", { name: "Exception reasons" }).getByRole("link", { name: /Stuck in transit \([1-9]\d*\)/ })).toBeVisible();

  await page.goto(`/patients/${shipment.patientId}`);
  await page.getByRole("region", { name: "Devices" }).getByRole("button", { name: /Actions for/ }).click();
  await page.getByRole("menuitem", { name: "Record shipment" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Delivered on").fill(isoDay(-3));
  await dialog.getByRole("button", { name: "Save shipment" }).click();
  await expect(page.getByText("Shipment recorded as delivered.")).toBeVisible();

  await page.goto(`/shipments?view=exceptions&q=${shipment.mrn}`);
  await expect(page.getByText("No exceptions")).toBeVisible();
  await page.goto(`/shipments?q=${shipment.mrn}`);
  await expect(worklistRow()).toContainText("Delivered");
  await expect(worklistRow()).toContainText(`3 days`);
});

test("the demo clinic's shipments were last updated at their latest status, not when the demo was seeded", async () => {
  const dated = await withE2eDatabase((c) =>
    c.query<{ delivered: number; atStatus: number }>(
      `SELECT count(*)::int AS delivered, count(*) FILTER (WHERE "updatedAt" = "deliveredAt")::int AS "atStatus"
         FROM "Shipment" WHERE "shippingName" = 'Demo patient' AND status = 'Delivered'`,
    ),
  );
  const { delivered = 0, atStatus = 0 } = dated.rows[0] ?? {};
  expect(delivered).toBeGreaterThan(20);
  // A few may have been touched by other specs since; the rest keep the delivery time.
  expect(atStatus).toBeGreaterThan(delivered / 2);
});
