import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { decryptSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { receiveTenoviWebhook } from "@/lib/ingest/receivers";
import { createDevice, startRouteServer } from "@/lib/ingest/test-fixtures";
import { createDemoVendors, demoGatewayId, demoImei, type DemoDeviceRequest, type DemoStage } from "@/lib/seed/demo-vendors";
import { createTenoviSimulator } from "@/lib/vendors/tenovi/simulator";
import { createValidicSimulator } from "@/lib/vendors/validic/simulator";

// The demo clinic's vendor side: what the seed leaves in the Tenovi and Validic simulators matches what Pulseboard
// records, and only devices meant to measure on their own do so on ticks. (Smartz residents are covered end to end by
// e2e/ui/demo-ingest.spec.ts: the Smartz simulator's state is reset by other test files running in parallel.)

const AUTH = { header: "X-Tenovi-Auth", key: "demo-vendors-test-key" };
const HOUR = 3_600_000;

let receiver: Awaited<ReturnType<typeof startRouteServer>>;

beforeAll(async () => {
  receiver = await startRouteServer({ "/api/ingest/tenovi": (request) => receiveTenoviWebhook(request, { tenoviAuth: AUTH }) });
});

afterAll(async () => {
  await receiver.close();
});

// Processes webhooks the receiver stored but left for the worker (none while the receiver processes inline).
async function processStoredWebhooks(since: Date) {
  const pending = await db.ingestEvent.findMany({ where: { source: "tenovi_webhook", status: "received", receivedAt: { gte: since } }, select: { id: true } });
  for (const event of pending) await processIngestEvent(event.id);
}

// A seeded-looking request for a fresh patient; a high random index keeps the demo's deterministic ids apart from
// other runs' and from the seed's own.
async function request(vendor: "tenovi" | "validic", vendorType: string, connectivity: "gateway" | "cellular", stage: DemoStage, lastReadingAt: Date | null) {
  const patient = await db.patient.create({
    omit: { dateOfBirth: false },
    data: {
      mrn: `demo-test-${randomInt(1e9)}`,
      firstName: "Demo",
      lastName: "Vendors",
      dateOfBirth: new Date("1950-01-01"),
      physician: "Dr. Patel",
      city: "Columbus",
      state: "OH",
      zipCode: "43215",
      addressLine1: "1 Main Street",
    },
  });
  const now = new Date();
  const demoRequest: DemoDeviceRequest = { index: 100_000 + randomInt(1e6), patient, vendor, vendorType, connectivity, stage, lastReadingAt, now };
  return demoRequest;
}

describe("demo vendor side: Tenovi", () => {
  it("activates an active gateway device on site at the simulator, Connected, with the demo gateway ID and the patient's external_id", async () => {
    const req = await request("tenovi", "Tenovi BPM - L", "gateway", "active", new Date(Date.now() - 2 * HOUR));
    const side = await createDemoVendors({ autoReadings: true }).provision(req);
    expect(side).toMatchObject({ gatewayUuid: demoGatewayId(req.index), imei: null, vendorStatus: "Connected", identity: { externalId: req.patient.id } });
    const wire = await createTenoviSimulator().getDevice(side.vendorDeviceId ?? "");
    expect(wire).toMatchObject({
      status: "Connected",
      patient_id: req.patient.id,
      device: { name: "Tenovi BPM - L", hardware_uuid: demoGatewayId(req.index) },
    });
    expect(wire?.patient).toMatchObject({ external_id: req.patient.id, sms_opt_in: false, physician: "Dr. Patel" });
  });

  it("drop-ships a shipping device: Dropshipped, with the IMEI Tenovi picked as the hardware Pulseboard records", async () => {
    const req = await request("tenovi", "Tenovi Cellular Scale", "cellular", "shipping", null);
    const side = await createDemoVendors({ autoReadings: true }).provision(req);
    const wire = await createTenoviSimulator().getDevice(side.vendorDeviceId ?? "");
    expect(wire?.status).toBe("Dropshipped");
    expect(wire?.device.hardware_uuid).toMatch(/^\d{15}$/);
    expect(side).toMatchObject({ vendorStatus: "Dropshipped", imei: wire?.device.hardware_uuid, gatewayUuid: null });
    expect(side.trackingLink).toBe(wire?.device.fulfillment_request?.shipping_tracking_link);
  });

  it("on a tick, an active seeded device measures on its own and its webhook lands on the patient; a manual one (e2e) and a silent one do not", async () => {
    const lastReadingAt = new Date(Date.now() - 2 * HOUR);
    const sides = [];
    for (const [autoReadings, stage] of [
      [true, "active"],
      [false, "active"],
      [true, "silent"],
    ] as const) {
      const req = await request("tenovi", "Tenovi Cellular Scale", "cellular", stage, lastReadingAt);
      const side = await createDemoVendors({ autoReadings }).provision(req);
      await createDevice({
        vendor: "tenovi",
        vendorDeviceId: side.vendorDeviceId ?? "",
        patientId: req.patient.id,
        imei: side.imei ?? undefined,
        category: "scale",
        lifecycle: "active",
      });
      sides.push({ req, side });
    }
    const sim = createTenoviSimulator({
      autoReadings: { everyMs: HOUR, maxDevicesPerTick: 10_000 },
      webhook: { url: () => `${receiver.url}/api/ingest/tenovi`, authHeader: AUTH.header, authKey: AUTH.key },
    });
    const tickAt = new Date();
    await sim.runTick(tickAt);
    await processStoredWebhooks(tickAt);
    const readings = await Promise.all(sides.map(({ req }) => db.reading.findMany({ where: { patientId: req.patient.id } })));
    expect(readings.map((rows) => rows.length > 0)).toEqual([true, false, false]);
    expect(readings[0]?.[0]).toMatchObject({ vendor: "tenovi", metric: "weight", arrival: "webhook" });
  });
});

describe("demo vendor side: Validic", () => {
  it("provisions the user with our uid, connects the meter by IMEI, and keeps the marketplace token for Pulseboard", async () => {
    const req = await request("validic", "blood_glucose", "cellular", "active", new Date(Date.now() - 7 * HOUR));
    const side = await createDemoVendors({ autoReadings: true }).provision(req);
    const validic = createValidicSimulator({ pushEnabled: false });
    const user = await validic.seedUser(req.patient.id);
    expect(side).toMatchObject({
      vendorDeviceId: null,
      imei: demoImei(req.index),
      vendorStatus: "connected",
      identity: { externalId: req.patient.id, vendorUserId: user.id },
    });
    expect(decryptSecret(side.identity?.marketplaceTokenEncrypted ?? "")).toBe(user.marketplace.token);
    expect(user.sources.map((s) => s.type)).toEqual(["smart_meter"]);
    const connections = await validic.listConnections();
    expect(connections.find((c) => c.imei === demoImei(req.index))).toEqual({
      imei: demoImei(req.index),
      uid: req.patient.id,
      deviceType: "blood_glucose",
      isActive: true,
    });
  });

  it("on a tick, a seeded meter last used 7 hours ago measures; a manual one (e2e) does not", async () => {
    const sevenHoursAgo = new Date(Date.now() - 7 * HOUR);
    const measuring = await request("validic", "blood_pressure", "cellular", "active", sevenHoursAgo);
    const manual = await request("validic", "blood_pressure", "cellular", "active", sevenHoursAgo);
    await createDemoVendors({ autoReadings: true }).provision(measuring);
    await createDemoVendors({ autoReadings: false }).provision(manual);
    const records = await createValidicSimulator({ pushEnabled: false }).measureDue(new Date());
    const imeis = records.map((r) => r.source.device?.id);
    expect(imeis).toContain(demoImei(measuring.index));
    expect(imeis).not.toContain(demoImei(manual.index));
  });
});
