import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { receiveTenoviWebhook } from "@/lib/ingest/receivers";
import { reconcileTenovi } from "@/lib/ingest/tenovi-reconcile";
import { createDevice, createPatient, drainingAfter, startRouteServer } from "@/lib/ingest/test-fixtures";
import { createSimulatorServer } from "@/lib/vendors/simulator-server";
import { tenoviHwiDeviceSchema } from "@/lib/vendors/tenovi/schemas";
import { createTenoviSimulator, type TenoviSimulator } from "@/lib/vendors/tenovi/simulator";
import { close, listen, seededRandom } from "@/lib/vendors/tenovi/test-servers";

// Tenovi sends each webhook once and never retries: the reconcile reads the measurements endpoint back. The Tenovi
// simulator (own client domain, real HTTP) posts its webhooks to the real receiver; some are dropped on purpose.

const GATEWAY = "0A1B2C3D4E5F";
const AUTH = { header: "X-Tenovi-Auth", key: "reconcile-test-webhook-key" };
// ASSUMPTION (rate limit): the simulator allows one request per window; the reconcile paces itself below that.
const RATE_WINDOW_MS = 200;
const REQUESTS_PER_SECOND = 4;
const HOUR = 3_600_000;

let receiver: Awaited<ReturnType<typeof startRouteServer>>;
let server: Server;
let simulatorOrigin: string;
let sim: TenoviSimulator;
const clientDomain = `reconcile-${process.pid}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  receiver = await startRouteServer({ "/api/ingest/tenovi": drainingAfter((request) => receiveTenoviWebhook(request, { tenoviAuth: AUTH })) });
  sim = createTenoviSimulator({
    clientDomain,
    seedGatewayIds: [GATEWAY],
    autoReadings: null,
    stringValueRatio: 0.5,
    random: seededRandom(7),
    rateLimit: { requests: 1, windowMs: RATE_WINDOW_MS },
    webhook: { url: () => `${receiver.url}/api/ingest/tenovi`, authHeader: AUTH.header, authKey: AUTH.key },
  });
  server = createSimulatorServer([sim]);
  simulatorOrigin = await listen(server);
});

afterAll(async () => {
  await close(server);
  await receiver.close();
});

function reconcile(deviceIds: string[], requestsPerSecond = REQUESTS_PER_SECOND) {
  return reconcileTenovi({
    clientOptions: { baseUrl: `${simulatorOrigin}/tenovi/clients/${clientDomain}`, apiKey: sim.options.apiKey, maxAttempts: 1 },
    deviceIds,
    requestsPerSecond,
    trigger: "test",
  });
}

// A BPM at Tenovi (delivered, so it measures) and the same device in Pulseboard, held by a patient.
async function pairedDevice() {
  const result = await sim.activate({
    patient: { external_id: `ext-${randomUUID()}`, sms_opt_in: false },
    device: { name: "Tenovi BPM - L", hardware_uuid: GATEWAY },
  });
  const hwi = tenoviHwiDeviceSchema.parse(result.body);
  const patient = await createPatient();
  const device = await createDevice({ vendor: "tenovi", vendorDeviceId: hwi.id, patientId: patient.id, lifecycle: "delivered" });
  return { hwiDeviceId: hwi.id, patient, device };
}

describe("Tenovi reconcile", () => {
  it("recovers readings whose webhooks were dropped, as backfill, and a second run finds nothing new", async () => {
    const { hwiDeviceId, device } = await pairedDevice();
    const now = Date.now();
    await sim.emitReadingNow(hwiDeviceId, new Date(now - 3 * HOUR));
    expect(await db.reading.count({ where: { deviceId: device.id } })).toBe(2);
    await sim.dropNextWebhooks(10);
    const dropped = [
      ...(await sim.emitReadingNow(hwiDeviceId, new Date(now - 2 * HOUR))).measurements,
      ...(await sim.emitReadingNow(hwiDeviceId, new Date(now - HOUR))).measurements,
    ];
    expect(await db.reading.count({ where: { deviceId: device.id } })).toBe(2);

    const result = await reconcile([device.id]);

    expect(result).toMatchObject({ job: "tenovi.reconcile", checked: 1, stored: 1, recovered: dropped.length, errorCount: 0 });
    const backfilled = await db.reading.findMany({
      where: { deviceId: device.id, arrival: "backfill" },
      include: { ingestEvent: true },
      orderBy: [{ measuredAt: "asc" }, { metric: "asc" }],
    });
    expect(backfilled).toHaveLength(dropped.length);
    expect(backfilled.every((r) => r.ingestEvent?.source === "tenovi_backfill" && r.ingestEvent.status === "processed")).toBe(true);
    const bp = dropped.find((m) => m.metric === "blood_pressure");
    expect(backfilled.find((r) => r.metric === "blood_pressure")).toMatchObject({
      value: Number(bp?.value_1),
      value2: Number(bp?.value_2),
      measuredAt: new Date(bp?.timestamp ?? ""),
    });
    expect(await db.device.findUniqueOrThrow({ where: { id: device.id } })).toMatchObject({ lastReadingAt: new Date(now - HOUR - ((now - HOUR) % 1000)) });
    const saved = await db.syncCursor.findUniqueOrThrow({ where: { key: "reconcile:tenovi:last" } });
    expect(JSON.parse(saved.value)).toMatchObject({ job: "tenovi.reconcile", checked: 1, recovered: dropped.length });

    const again = await reconcile([device.id]);
    expect(again).toMatchObject({ checked: 1, stored: 0, recovered: 0 });
    expect(await db.reading.count({ where: { deviceId: device.id } })).toBe(2 + dropped.length);
    expect(await db.ingestEvent.count({ where: { source: "tenovi_backfill", deliveryId: { startsWith: `${hwiDeviceId}:` } } })).toBe(1);
  });

  it("ASSUMPTION (1 request/second): paces its requests under the configured rate, so Tenovi never answers 429", async () => {
    const devices = await Promise.all([pairedDevice(), pairedDevice(), pairedDevice()]);
    const startedAt = Date.now();

    const result = await reconcile(devices.map((d) => d.device.id));

    const elapsed = Date.now() - startedAt;
    expect(result).toMatchObject({ checked: 3, errorCount: 0, requests: 3 });
    expect(elapsed).toBeGreaterThanOrEqual(2 * (1000 / REQUESTS_PER_SECOND) - 5);
    const requests = await db.simulatorRequest.findMany({
      where: { vendor: "tenovi", path: { contains: `/clients/${clientDomain}/hwi/hwi-devices/` }, receivedAt: { gte: new Date(startedAt) } },
    });
    expect(requests.filter((r) => r.path.endsWith("/measurements/"))).toHaveLength(3);
    expect(requests.filter((r) => r.status === 429)).toHaveLength(0);
  });

  it("records a device Tenovi does not know as an error and carries on with the others", async () => {
    const known = await pairedDevice();
    const unknown = await createDevice({ vendor: "tenovi", vendorDeviceId: randomUUID(), patientId: known.patient.id, lifecycle: "active" });
    const result = await reconcile([known.device.id, unknown.id]);
    expect(result).toMatchObject({ checked: 2, errorCount: 1 });
    expect(result.errors[0]?.target).toBe(unknown.vendorDeviceId);
    expect(result.errors[0]?.message).toMatch(/Not found/i);
  });

  it("skips disconnected devices", async () => {
    const { device } = await pairedDevice();
    await db.device.update({ where: { id: device.id }, data: { lifecycle: "disconnected" } });
    expect(await reconcile([device.id])).toMatchObject({ checked: 0 });
  });
});
