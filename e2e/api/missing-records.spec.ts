import { expect, test } from "@playwright/test";

import { withE2eDatabase } from "../database";
import { storageStateFor } from "../fixtures";

test.use({ storageState: storageStateFor("admin") });

// The not-found page's heading as rendered HTML (every page also carries the not-found page in its RSC payload, as data).
const NOT_FOUND_HEADING = ">This page does not exist</h1>";

// A page about a record that does not exist answers 404 with the not-found page. The page itself streams under the
// loading boundary, so only the proxy (lib/detail-records.ts) can still set the status.
test("pages about a record that does not exist answer 404, those about one that does 200", async ({ request }) => {
  const existing = await withE2eDatabase(async (client) => {
    const patient = await client.query<{ id: string }>(`SELECT id FROM "Patient" ORDER BY mrn LIMIT 1`);
    const device = await client.query<{ id: string }>(`SELECT id FROM "Device" ORDER BY id LIMIT 1`);
    return { patientId: patient.rows[0]?.id ?? "", deviceId: device.rows[0]?.id ?? "" };
  });
  for (const path of ["/patients/no-such-patient", "/patients/no-such-patient/vitals", "/patients/no-such-patient/edit", "/devices/no-such-device", "/admin/ingest/events/999999999999", "/admin/ingest/events/abc"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
    expect(await response.text(), path).toContain(NOT_FOUND_HEADING);
  }
  for (const path of [`/patients/${existing.patientId}`, `/patients/${existing.patientId}/vitals`, `/devices/${existing.deviceId}`, "/patients/new"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(await response.text(), path).not.toContain(NOT_FOUND_HEADING);
  }
});
