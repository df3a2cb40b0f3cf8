import { randomUUID } from "node:crypto";

import { expect, test } from "@playwright/test";

import { utcTimestamp, withE2eDatabase } from "../database";
import { storageStateFor } from "../fixtures";

// The ingest health page and the unmatched queue, as the demo admin. Rows the UI works on are inserted with pg.

test.use({ storageState: storageStateFor("admin") });

test("the admin reaches ingest health from the Admin page and sees every section", async ({ page }) => {
  await page.goto("/admin");
  await page.getByRole("link", { name: "Ingest health" }).click();
  await expect(page).toHaveURL(/\/admin\/ingest$/);
  await expect(page.getByRole("heading", { name: "Ingest health", level: 1 })).toBeVisible();
  for (const section of [
    "Last delivery per vendor",
    "Deliveries per hour",
    "Reconciliation and polling",
    "Unmatched readings",
    "Duplicates suppressed",
    "Failed events",
    "Quarantined payloads",
    "Last delivery per device",
  ]) {
    await expect(page.getByRole("heading", { name: section, exact: true })).toBeVisible();
  }
  for (const source of ["Tenovi webhook", "Validic push", "Smartz poll"]) await expect(page.getByRole("cell", { name: source, exact: true })).toBeVisible();
  await page.getByText("Show as a table").click();
  await expect(page.getByRole("table", { name: "Stored payloads per hour, last 24 hours" }).getByRole("row")).toHaveCount(25);
  for (const job of ["Tenovi reconcile", "Validic reconcile", "Smartz poll"]) await expect(page.getByRole("region", { name: job })).toBeVisible();
});

// SIMULATOR_CREDENTIALS.tenovi.webhookAuthKey (lib/vendors/config.ts): what the e2e server accepts from Tenovi.
const TENOVI_SIMULATOR_WEBHOOK_KEY = "Basic c2ltLXRlbm92aTp3ZWJob29r";

test("a Tenovi webhook is answered once stored, and its reading appears when the worker has processed it", async ({ request }) => {
  const hwiDeviceId = randomUUID();
  const response = await request.post("/api/ingest/tenovi", {
    // Tenovi may ask for gzip; a 50-byte acknowledgement is answered as is (no-transform), not compressed per request.
    headers: { Authorization: TENOVI_SIMULATOR_WEBHOOK_KEY, "Accept-Encoding": "gzip, deflate" },
    data: { metric: "pulse", hwi_device_id: hwiDeviceId, patient_id: null, value_1: "64", value_2: null, timestamp: "2025-03-03T08:00:00Z", filter_params: { measurement_index: 0 } },
  });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-encoding"]).toBeUndefined();
  // Answered by the web process ahead of Next's router (lib/ingest/node-routes.ts), with the headers Next gives routes.
  expect(response.headers()).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY" });
  expect(response.headers()["content-security-policy"]).toContain("default-src 'none'");
  const body = (await response.json()) as { status: string; eventId: string };
  expect(body.status).toBe("accepted");
  expect(body.eventId).toMatch(/^\d+$/);
  // The worker (started with the server) is woken by the insert's NOTIFY; the answer did not wait for it.
  const eventStatus = () =>
    withE2eDatabase(async (client) => (await client.query<{ status: string }>(`SELECT status FROM "IngestEvent" WHERE id = $1`, [body.eventId])).rows[0]?.status);
  await expect.poll(eventStatus, { timeout: 15_000 }).toBe("processed");
  const readings = await withE2eDatabase(
    async (client) => (await client.query<{ metric: string }>(`SELECT metric FROM "Reading" WHERE vendor = 'tenovi' AND "vendorRecordId" LIKE $1`, [`${hwiDeviceId}:%`])).rows,
  );
  expect(readings).toEqual([{ metric: "pulse" }]);
});

test("a quarantined payload is listed with its error and shown escaped, as text", async ({ page }) => {
  const marker = `quarantine-${randomUUID()}`;
  const body = `<script>window.__pwned = true</script>${marker}`;
  const id = await withE2eDatabase(async (client) => {
    const result = await client.query<{ id: string }>(
      `INSERT INTO "IngestEvent" (source, "bodySha256", "rawBody", status, error, "receivedAt") VALUES ('tenovi_webhook', $1, $2, 'rejected', 'body is not valid JSON', $3::timestamp) RETURNING id`,
      [randomUUID(), body, utcTimestamp()],
    );
    return result.rows[0]?.id ?? "";
  });
  await page.goto("/admin/ingest");
  const row = page.getByRole("row").filter({ hasText: `#${id}` });
  await expect(row.getByText("body is not valid JSON")).toBeVisible();
  await row.getByRole("link", { name: "View payload" }).click();
  await expect(page.getByRole("heading", { name: `Stored payload #${id}` })).toBeVisible();
  await expect(page.getByLabel("Payload")).toHaveText(body);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
});

test("a failed event is replayed from the page", async ({ page }) => {
  const hwiDeviceId = randomUUID();
  const payload = {
    metric: "pulse",
    hwi_device_id: hwiDeviceId,
    patient_id: null,
    value_1: "71",
    value_2: null,
    timestamp: "2025-03-01T10:00:00Z",
    filter_params: { measurement_index: 0 },
  };
  const id = await withE2eDatabase(async (client) => {
    // At the sweep's attempt cap, so only the replay button touches it.
    const result = await client.query<{ id: string }>(
      `INSERT INTO "IngestEvent" (source, "bodySha256", payload, status, attempts, error, "receivedAt") VALUES ('tenovi_webhook', $1, $2, 'failed', 5, 'database error P1001', $3::timestamp) RETURNING id`,
      [randomUUID(), JSON.stringify(payload), utcTimestamp()],
    );
    return result.rows[0]?.id ?? "";
  });
  await page.goto("/admin/ingest");
  await page.getByRole("button", { name: `Replay event ${id}` }).click();
  await expect(page.getByText(/Replayed 1 event\(s\): 1 processed/)).toBeVisible();
  await expect(page.getByRole("button", { name: `Replay event ${id}` })).toHaveCount(0);
  const status = await withE2eDatabase(
    async (client) => (await client.query<{ status: string }>(`SELECT status FROM "IngestEvent" WHERE id = $1`, [id])).rows[0]?.status,
  );
  expect(status).toBe("processed");
});

test("an unmatched reading is assigned to a patient from the queue, and its device registered", async ({ page }) => {
  const hwiDeviceId = randomUUID();
  const externalId = `ext-${randomUUID()}`;
  const recordId = `${hwiDeviceId}:2025-03-02T09:00:00.000Z:0`;
  const row = {
    metric: "blood_pressure",
    device_name: "Tenovi BPM - L",
    hwi_device_id: hwiDeviceId,
    patient_id: externalId,
    value_1: 131,
    value_2: 84,
    timestamp: "2025-03-02T09:00:00Z",
    filter_params: { measurement_index: 0 },
  };
  const patient = await withE2eDatabase(async (client) => {
    const now = utcTimestamp();
    await client.query(
      `INSERT INTO "VendorRecord" (id, vendor, "vendorRecordId", "recordType", payload, "startTime", "updatedAt") VALUES ($1, 'tenovi', $2, 'measurement', $3, '2025-03-02T09:00:00'::timestamp, $4::timestamp)`,
      [randomUUID(), recordId, JSON.stringify({ rows: [row] }), now],
    );
    await client.query(
      `INSERT INTO "Reading" (vendor, "vendorRecordId", metric, value, value2, unit, "measuredAt", arrival, flags, "updatedAt") VALUES ('tenovi', $1, 'blood_pressure', 131, 84, 'mmHg', '2025-03-02T09:00:00'::timestamp, 'webhook', ARRAY['unknown_device'], $2::timestamp)`,
      [recordId, now],
    );
    return (await client.query<{ id: string; mrn: string }>(`SELECT id, mrn FROM "Patient" WHERE status = 'enrolled' ORDER BY "lastName", "firstName" LIMIT 1`))
      .rows[0];
  });
  expect(patient).toBeDefined();

  await page.goto("/admin/ingest/unmatched");
  const group = page.getByRole("row").filter({ hasText: hwiDeviceId });
  await expect(group).toContainText(externalId);
  await group.getByRole("button", { name: /^Assign / }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("combobox", { name: "Patient" }).click();
  await page.getByRole("option", { name: new RegExp(`\\(${patient?.mrn ?? ""}\\)`) }).click();
  await expect(dialog.getByRole("checkbox")).toBeChecked();
  await dialog.getByRole("button", { name: "Assign readings" }).click();
  await expect(page.getByText("Assigned 1 reading(s) and registered the device.")).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: hwiDeviceId })).toHaveCount(0);

  const stored = await withE2eDatabase(async (client) => {
    const reading = (
      await client.query<{ patientId: string; deviceId: string }>(
        `SELECT "patientId", "deviceId" FROM "Reading" WHERE vendor = 'tenovi' AND "vendorRecordId" = $1`,
        [recordId],
      )
    ).rows;
    const device = (
      await client.query<{ id: string; patientId: string }>(`SELECT id, "patientId" FROM "Device" WHERE vendor = 'tenovi' AND "vendorDeviceId" = $1`, [
        hwiDeviceId,
      ])
    ).rows;
    const audit = (
      await client.query<{ outcome: string }>(
        `SELECT outcome FROM "AuditEvent" WHERE action = 'ingest.assign-unmatched' AND "patientId" = $1 ORDER BY id DESC LIMIT 1`,
        [patient?.id],
      )
    ).rows;
    return { reading, device, audit };
  });
  expect(stored.reading).toEqual([{ patientId: patient?.id, deviceId: stored.device[0]?.id }]);
  expect(stored.device).toHaveLength(1);
  expect(stored.device[0]?.patientId).toBe(patient?.id);
  expect(stored.audit).toEqual([{ outcome: "success" }]);
});
