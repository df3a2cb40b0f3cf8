import { expect, test, type Locator, type Page } from "@playwright/test";

import { formatDateTime } from "../../lib/format";
import { formatReadingValue, METRIC_LABELS } from "../../lib/readings/format";
import { withE2eDatabase } from "../database";
import { storageStateFor } from "../fixtures";

// The demo clinic is the same at the vendors' simulators as in Pulseboard: a seeded patient's device measures at
// its simulator and the reading arrives through the real path (Tenovi webhook, Validic Push Service, the worker's
// Smartz poll) on that patient's page within seconds; the ingest health page shows the deliveries per vendor.
// Receivers may acknowledge before the worker processes a delivery, so every check waits for the reading to appear.

test.use({ storageState: storageStateFor("admin") });
test.describe.configure({ timeout: 150_000 });

type Vendor = "tenovi" | "validic" | "smartz";
type SeededTarget = { patientId: string; timeZone: string; target: string };
type StoredReading = { id: string; metric: string; value: number; value2: number | null; unit: string; flags: string[]; measuredAt: Date; vendor: string };

// A seeded (MRN-1…) patient with an active device of the vendor, and what the Simulation page picks for it: the HWI
// device id, the IMEI, or the Smartz patient id. The last one by MRN, away from the cuffs other specs use.
async function seededTarget(vendor: Vendor): Promise<SeededTarget> {
  const target = { tenovi: `d."vendorDeviceId"`, validic: `d.imei`, smartz: `i."externalId"` }[vendor];
  const rows = await withE2eDatabase(async (client) =>
    client.query<SeededTarget>(
      `SELECT p.id AS "patientId", p."timeZone", ${target} AS target
         FROM "Patient" p
         JOIN "Device" d ON d."patientId" = p.id
         LEFT JOIN "VendorIdentity" i ON i."patientId" = p.id AND i.vendor = d.vendor
        WHERE p.mrn LIKE 'MRN-1%' AND p.status = 'enrolled' AND d.vendor = $1::"Vendor" AND d.lifecycle = 'active'
          AND d.category <> 'blood_pressure' AND ${target} IS NOT NULL
        ORDER BY p.mrn DESC LIMIT 1`,
      [vendor],
    ),
  );
  const row = rows.rows[0];
  if (!row) throw new Error(`the demo clinic has no seeded patient with an active ${vendor} device known to its simulator`);
  return row;
}

async function lastReadingId(): Promise<string> {
  const { rows } = await withE2eDatabase((c) => c.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM "Reading"`));
  return rows[0]?.id ?? "0";
}

// The newest reading of this patient from this vendor stored after `sinceId`, if any yet.
async function newReading(patientId: string, vendor: Vendor, sinceId: string): Promise<StoredReading | null> {
  const { rows } = await withE2eDatabase((c) =>
    // `measuredAt` is a timestamp(3) holding UTC; read as text so the client's time zone plays no part.
    c.query<Omit<StoredReading, "measuredAt"> & { measuredAt: string }>(
      `SELECT id::text, metric, value, value2, unit, flags, "measuredAt"::text AS "measuredAt", vendor FROM "Reading"
        WHERE "patientId" = $1 AND vendor = $2::"Vendor" AND id > $3::bigint AND "deletedAt" IS NULL ORDER BY "measuredAt" DESC, id DESC LIMIT 1`,
      [patientId, vendor, sinceId],
    ),
  );
  const row = rows[0];
  return row ? { ...row, measuredAt: new Date(`${row.measuredAt.replace(" ", "T")}Z`) } : null;
}

// Waits for the reading the vendor delivered to be stored for the patient, then for the patient's page to show it.
async function expectReadingOnPatientPage(page: Page, seeded: SeededTarget, vendor: Vendor, sinceId: string, timeout: number): Promise<StoredReading> {
  let reading: StoredReading | null = null;
  await expect.poll(async () => (reading = await newReading(seeded.patientId, vendor, sinceId)) !== null, { timeout, intervals: [250, 500, 1_000] }).toBe(true);
  if (!reading) throw new Error("unreachable: the poll above passed");
  const stored: StoredReading = reading;
  const table = () => page.getByRole("table", { name: "Most recent readings" });
  const row = () =>
    table()
      .getByRole("row")
      .filter({ hasText: formatDateTime(stored.measuredAt, seeded.timeZone) })
      .filter({ hasText: METRIC_LABELS[stored.metric] ?? stored.metric })
      .filter({ hasText: formatReadingValue(stored) });
  await page.goto(`/patients/${seeded.patientId}`);
  await expect(async () => {
    await page.reload();
    await expect(row().first()).toContainText(vendor === "tenovi" ? "Tenovi" : vendor === "validic" ? "Validic" : "Smartz", { timeout: 1_000 });
  }).toPass({ timeout: 15_000, intervals: [500, 1_000] });
  return stored;
}

function vendorCard(page: Page, name: string): Locator {
  return page.getByRole("region", { name, exact: true });
}

async function sendReadingNow(page: Page, card: string, label: string, target: string) {
  await page.goto("/admin/simulation");
  const region = vendorCard(page, card);
  await region.getByLabel(label).selectOption(target);
  await region.getByRole("button", { name: "Send a reading now" }).click();
  return region;
}

test("readings from Tenovi, Validic and Smartz reach seeded patients' pages within seconds, and ingest health shows the deliveries", async ({ page }) => {
  const [tenovi, validic, smartz] = await Promise.all([seededTarget("tenovi"), seededTarget("validic"), seededTarget("smartz")]);

  // Tenovi: the seeded device measures at the simulator; its webhook goes to /api/ingest/tenovi.
  let mark = await lastReadingId();
  const tenoviCard = await sendReadingNow(page, "Tenovi", "Device (HWI device ID)", tenovi.target);
  await expect(tenoviCard.getByRole("status").filter({ hasText: "took" })).toContainText("HTTP 2");
  await expectReadingOnPatientPage(page, tenovi, "tenovi", mark, 20_000);

  // Validic: the seeded Smart Meter measures; the Push Service sends the batch to /api/ingest/validic.
  mark = await lastReadingId();
  const validicCard = await sendReadingNow(page, "Validic", "Device (IMEI)", validic.target);
  await expect(validicCard.getByRole("status").filter({ hasText: "Push Service sent" })).toContainText("HTTP 2");
  await expectReadingOnPatientPage(page, validic, "validic", mark, 20_000);

  // Smartz: the seeded resident's pod reports a diaper event; the worker's poll (run now from ingest health) fetches
  // it. A poll already queued by the every-minute schedule picks it up just the same.
  mark = await lastReadingId();
  const smartzCard = await sendReadingNow(page, "Smartz", "Patient (Smartz patient ID)", smartz.target);
  await expect(smartzCard.getByRole("status").filter({ hasText: "pod reported" })).toContainText("Smartz's API answered with");
  await page.goto("/admin/ingest");
  await page.getByRole("button", { name: "Run smartz poll now" }).click();
  await expect(page.getByText(/Run smartz poll now: (queued|already queued)/)).toBeVisible();
  const diaper = await expectReadingOnPatientPage(page, smartz, "smartz", mark, 75_000);
  expect(diaper.metric).toBe("diaper_event");

  // Ingest health: a delivery from each vendor in the last minutes, counted in the last 24 hours.
  await page.goto("/admin/ingest");
  const deliveries = page.getByRole("table", { name: "Last payload per source" });
  for (const source of ["Tenovi webhook", "Validic push", "Smartz poll"]) {
    const row = deliveries.getByRole("row").filter({ has: page.getByRole("cell", { name: source, exact: true }) });
    await expect(row).toContainText(/just now|minute/);
    await expect(row.getByRole("cell").last()).not.toHaveText("0");
  }
  const smartzPoll = page.getByRole("region", { name: "Smartz poll" });
  await expect(smartzPoll.getByText("Patients checked")).toBeVisible();
});
