import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { createIdentity, createPatient } from "@/lib/ingest/test-fixtures";
import { reconcileValidic } from "@/lib/ingest/validic-reconcile";
import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";
import { createSimulatorServer } from "@/lib/vendors/simulator-server";
import { close, listen } from "@/lib/vendors/tenovi/test-servers";
import { ValidicClient } from "@/lib/vendors/validic/client";
import { createValidicSimulator } from "@/lib/vendors/validic/simulator";
import { newImei, newUid } from "@/lib/vendors/validic/test-helpers";

// The Validic reconcile against the Validic simulator's REST API over real HTTP. The simulator runs without the
// Push Service here, so the REST API is the only way its records reach Pulseboard.

const validic = createValidicSimulator({ pushEnabled: false, measureEveryMs: 0 });
let server: Server;
let client: ValidicClient;

beforeAll(async () => {
  server = createSimulatorServer(validic.simulators);
  const origin = await listen(server);
  const sim = SIMULATOR_CREDENTIALS.validic;
  client = new ValidicClient({
    apiUrl: `${origin}/validic`,
    marketplaceUrl: `${origin}/validic-marketplace`,
    orgId: sim.orgId,
    orgToken: sim.orgToken,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  await close(server);
});

describe("Validic reconcile", () => {
  it("stores records the push never delivered, as backfill, and finds nothing new the second time", async () => {
    const uid = newUid();
    const imei = newImei();
    await validic.seedUser(uid);
    await validic.seedConnection(uid, imei, "blood_pressure");
    const records = [await validic.emitReadingNow(imei), await validic.emitReadingNow(imei)];
    const patient = await createPatient();
    await createIdentity(patient.id, "validic", uid);

    const result = await reconcileValidic({ client, patientIds: [patient.id], trigger: "test" });

    expect(result).toMatchObject({ job: "validic.reconcile", checked: 1, stored: 1, errorCount: 0 });
    const readings = await db.reading.findMany({
      where: { vendor: "validic", vendorRecordId: { in: records.map((r) => r.id) } },
      include: { ingestEvent: true },
    });
    expect(result.recovered).toBe(readings.length);
    expect(readings.length).toBeGreaterThanOrEqual(2);
    expect(readings.every((r) => r.patientId === patient.id && r.arrival === "backfill" && r.ingestEvent?.source === "validic_backfill")).toBe(true);
    expect(new Set(readings.map((r) => r.vendorRecordId))).toEqual(new Set(records.map((r) => r.id)));

    const again = await reconcileValidic({ client, patientIds: [patient.id] });
    expect(again).toMatchObject({ checked: 1, stored: 0, recovered: 0 });
    expect(await db.reading.count({ where: { vendor: "validic", vendorRecordId: { in: records.map((r) => r.id) } } })).toBe(readings.length);
  });

  it("stores a record whose shape the docs do not show (no checksum, offset null) and notes an unreadable one, losing neither the rest", async () => {
    const uid = newUid();
    const imei = newImei();
    await validic.seedUser(uid);
    await validic.seedConnection(uid, imei, "blood_pressure");
    const [plain, unusual, unreadable] = [await validic.emitReadingNow(imei), await validic.emitReadingNow(imei), await validic.emitReadingNow(imei)];
    // The simulator's stored records, edited as Validic might send them.
    const edit = (id: string, change: string) =>
      db.$executeRawUnsafe(`UPDATE "SimulatorEntity" SET data = ${change} WHERE vendor = 'validic' AND kind = $1 AND key = $2`, `record:${uid}`, id);
    await edit(unusual.id, `(data - 'checksum') || '{"utc_offset": null}'::jsonb`);
    await edit(unreadable.id, `jsonb_set(data, '{metrics}', '"not a list"')`);
    const patient = await createPatient();
    await createIdentity(patient.id, "validic", uid);

    const result = await reconcileValidic({ client, patientIds: [patient.id] });

    expect(result).toMatchObject({ checked: 1, stored: 1, errorCount: 0 });
    const readings = await db.reading.findMany({ where: { vendor: "validic", vendorRecordId: { in: [plain.id, unusual.id, unreadable.id] } } });
    expect(new Set(readings.map((reading) => reading.vendorRecordId))).toEqual(new Set([plain.id, unusual.id]));
    const event = await db.ingestEvent.findFirstOrThrow({ where: { source: "validic_backfill", readings: { some: { vendorRecordId: plain.id } } } });
    expect(event.error).toMatch(/^record \d skipped: metrics: /);

    // The next run finds the unreadable record again (it stays in the lookback) and leaves it: it is kept once.
    expect(await reconcileValidic({ client, patientIds: [patient.id] })).toMatchObject({ checked: 1, stored: 0, errorCount: 0 });
    // Changed at Validic, it is a different record and is kept again.
    await edit(unreadable.id, `jsonb_set(data, '{metrics}', '"still not a list"')`);
    expect(await reconcileValidic({ client, patientIds: [patient.id] })).toMatchObject({ checked: 1, stored: 1, errorCount: 0 });
  });

  it("records a patient Validic does not know and carries on", async () => {
    const patient = await createPatient();
    const uid = newUid();
    await createIdentity(patient.id, "validic", uid);
    const result = await reconcileValidic({ client, patientIds: [patient.id] });
    expect(result).toMatchObject({ checked: 1, errorCount: 1 });
    expect(result.errors[0]?.target).toBe(uid);
  });
});
