import { expect, test } from "@playwright/test";

import { withE2eDatabase } from "../database";
import { storageStateFor } from "../fixtures";

test.use({ storageState: storageStateFor("coordinator") });

// Letters only, so the generated name passes the name rules; unique so parallel runs do not collide.
function uniqueLetters(length: number): string {
  return Array.from({ length }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
}

test("a coordinator enrols a patient after fixing field errors, finds them by search and edits them", async ({ page }) => {
  const lastName = `Quill${uniqueLetters(6)}`;
  const mrn = `E2E-${Date.now().toString(36).toUpperCase()}`;

  await page.goto("/patients");
  await page.getByRole("link", { name: "Enrol patient" }).click();
  await expect(page).toHaveURL(/\/patients\/new$/);
  await expect(page.getByRole("heading", { name: "Enrol patient", level: 1 })).toBeVisible();

  // A taken MRN (the demo clinic's first patient) and a phone number that is not a US number.
  await page.getByLabel("MRN").fill("MRN-100001");
  await page.getByLabel("First name").fill("Rosalind");
  await page.getByLabel("Last name").fill(lastName);
  await page.getByLabel("Date of birth").fill("1951-07-25");
  await page.getByLabel("Ordering physician").fill("Dr. Patel");
  await page.getByLabel("Mobile phone").fill("555-0123");
  await page.getByLabel("Street address").fill("88 Elm Street");
  await page.getByLabel("City").fill("Columbus");
  await page.getByLabel("State").selectOption("OH");
  await page.getByLabel("ZIP code").fill("43215");
  await page.getByLabel("Consents to text messages").check();
  await page.getByRole("button", { name: "Enrol patient" }).click();

  // Checked in the browser: the phone is marked, with a message tied to the input.
  const phone = page.getByLabel("Mobile phone");
  await expect(page.getByRole("alert").filter({ hasText: "One field needs attention." })).toBeVisible();
  await expect(phone).toHaveAttribute("aria-invalid", "true");
  await expect(phone).toHaveAccessibleDescription(/10-digit US phone number/);
  await expect(phone).toBeFocused();

  // Checked on the server: the duplicate MRN comes back under the MRN field, and nothing typed is lost.
  await phone.fill("(614) 555-0182");
  await page.getByRole("button", { name: "Enrol patient" }).click();
  const mrnInput = page.getByLabel("MRN");
  await expect(mrnInput).toHaveAccessibleDescription(/Another patient already has MRN MRN-100001/);
  await expect(mrnInput).toHaveAttribute("aria-invalid", "true");
  await expect(phone).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Last name")).toHaveValue(lastName);

  await mrnInput.fill(mrn.toLowerCase());
  await page.getByRole("button", { name: "Enrol patient" }).click();
  await expect(page.getByText("Patient enrolled")).toBeVisible();
  await expect(page.getByRole("heading", { name: `Rosalind ${lastName}`, level: 1 })).toBeVisible();
  await expect(page.getByText(`MRN ${mrn}`)).toBeVisible();
  await expect(page.getByText("(614) 555-0182")).toBeVisible();

  // The list finds the new patient by name, by MRN and by phone digits.
  for (const query of [lastName.toLowerCase(), mrn, "614 555 0182"]) {
    await page.goto("/patients");
    await page.getByLabel("Name, MRN, phone or IMEI").fill(query);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/[?&]q=/);
    await expect(page.getByRole("link", { name: `${lastName}, Rosalind` })).toBeVisible();
  }

  // Edit: the form opens with the stored values; the change shows on the patient page.
  await page.getByRole("link", { name: `${lastName}, Rosalind` }).click();
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("MRN")).toHaveValue(mrn);
  await expect(page.getByLabel("Mobile phone")).toHaveValue("6145550182");
  await expect(page.getByLabel("Consents to text messages")).toBeChecked();
  await expect(page.getByLabel("Care manager", { exact: true })).toHaveValue("");
  await page.getByLabel("City").fill("Dublin");
  await page.getByLabel("ZIP code").fill("430171234");
  await page.getByLabel("Care manager", { exact: true }).selectOption({ label: "Casey Coordinator (Care coordinator)" });
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Patient details saved")).toBeVisible();
  await expect(page).toHaveURL(/\/patients\/[^/]+$/);
  await expect(page.getByText("88 Elm Street, Dublin, OH, 43017-1234")).toBeVisible();
  const identity = page.locator("dl").filter({ hasText: "Care manager" });
  await expect(identity.getByText("Casey Coordinator")).toBeVisible();

  // The coordinator's "My patients" now lists them, with the care manager column; "No care manager" does not.
  await page.goto(`/patients?q=${lastName}`);
  await page.getByLabel("Care manager", { exact: true }).selectOption("me");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/manager=me/);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: `${lastName}, Rosalind` }) });
  await expect(row.getByRole("cell", { name: "Casey Coordinator" })).toBeVisible();
  await page.getByLabel("Care manager", { exact: true }).selectOption("none");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No patients match")).toBeVisible();
});

test("the patient list filters by device status and open alerts through the URL", async ({ page }) => {
  await page.goto("/patients");
  await page.getByLabel("Device status").selectOption("shipping");
  await page.getByLabel("Open alerts").selectOption("none");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/lifecycle=shipping/);
  await expect(page).toHaveURL(/alerts=none/);
  await expect(page.getByLabel("Device status")).toHaveValue("shipping");
  const rows = page.getByRole("row");
  await expect(rows.first()).toBeVisible();
  await page.getByRole("link", { name: "Last reading" }).click();
  await expect(page).toHaveURL(/sort=lastReadingAt/);
  await expect(page).toHaveURL(/lifecycle=shipping/);
});

test("a coordinator gives the patients ticked on the list a care manager in one step", async ({ page }) => {
  const lastName = `Bulk${uniqueLetters(8)}`;
  const ids = await withE2eDatabase(async (client) => {
    const result = await client.query<{ id: string }>(
      `INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", "updatedAt")
       SELECT 'e2e-bulk-' || $1 || n, 'E2E-' || upper($1) || n, first, $2, DATE '1950-01-01', now()
         FROM (VALUES (1, 'Ada'), (2, 'Ben')) AS v(n, first)
       RETURNING id`,
      [uniqueLetters(6), lastName],
    );
    return result.rows.map((row) => row.id);
  });
  await page.goto(`/patients?q=${lastName}`);
  const assign = page.getByRole("button", { name: "Assign", exact: true });
  await expect(assign).toBeDisabled();
  await page.getByRole("checkbox", { name: "Select every patient on this page" }).check();
  await expect(page.getByText("2 patients selected")).toBeVisible();
  await page.getByLabel("Care manager for the selected patients").selectOption({ label: "Dr. Jordan Clinician (Clinician)" });
  await assign.click();
  await expect(page.getByText("Care manager assigned: 2 of 2 patients changed")).toBeVisible();
  for (const first of ["Ada", "Ben"]) {
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: `${lastName}, ${first}` }) });
    await expect(row.getByRole("cell", { name: "Dr. Jordan Clinician" })).toBeVisible();
    await expect(row.getByRole("checkbox")).not.toBeChecked();
  }
  const audited = await withE2eDatabase(
    async (client) => (await client.query(`SELECT 1 FROM "AuditEvent" WHERE action = 'patient.care_manager_change' AND "patientId" = ANY($1)`, [ids])).rowCount,
  );
  expect(audited).toBe(2);
});
