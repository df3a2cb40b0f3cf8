import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { pollSmartz, smartzCursorKey } from "@/lib/ingest/smartz-poll";
import { createDevice, createIdentity, createPatient } from "@/lib/ingest/test-fixtures";
import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";
import { simulatorStore } from "@/lib/vendors/simulator-kit";
import { createSimulatorServer } from "@/lib/vendors/simulator-server";
import { createSmartzClient } from "@/lib/vendors/smartz/client";
import type { SmartzDevice, SmartzPatient } from "@/lib/vendors/smartz/schemas";
import { createSmartzSimulator, emitEventNow } from "@/lib/vendors/smartz/simulator";
import { close, listen, seededRandom } from "@/lib/vendors/tenovi/test-servers";

// The Smartz poll against the Smartz simulator over real HTTP. Each test uses its own Smartz patient and pod
// (simulator state is shared per vendor in the test database).

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createSimulatorServer([createSmartzSimulator()]);
  baseUrl = `${await listen(server)}/smartz`;
});

afterAll(async () => {
  await close(server);
});

function client(fetchImpl?: typeof fetch) {
  const sim = SIMULATOR_CREDENTIALS.smartz;
  return createSmartzClient({ mode: "simulator", baseUrl, ...sim }, { http: { maxAttempts: 1, ...(fetchImpl ? { fetch: fetchImpl } : {}) } });
}

// A Smartz resident wearing their own pod, linked to a new Pulseboard patient who holds that pod.
async function linkedResident(options: { registerPod?: boolean } = {}) {
  const store = simulatorStore("smartz");
  const smartzPatientId = `pat-test-${randomUUID()}`;
  const podId = `pod-test-${randomUUID()}`;
  await store.put<SmartzDevice>("device", podId, {
    id: podId,
    type: "pod",
    serialNumber: `SZP-${podId}`,
    status: "active",
    firmwareVersion: "1.8.0",
    patientId: smartzPatientId,
    nodeId: null,
    batteryLevel: 80,
    location: null,
    lastSeenAt: null,
  });
  await store.put<SmartzPatient>("patient", smartzPatientId, {
    id: smartzPatientId,
    firstName: "Test",
    lastName: "Resident",
    externalId: null,
    dateOfBirth: null,
    manufacturerId: null,
    productId: null,
    podIds: [podId],
    createdAt: null,
  });
  const patient = await createPatient();
  await createIdentity(patient.id, "smartz", smartzPatientId);
  const device =
    options.registerPod === false
      ? null
      : await createDevice({ vendor: "smartz", vendorDeviceId: podId, patientId: patient.id, category: "smart_diaper", lifecycle: "delivered" });
  return { smartzPatientId, podId, patient, device };
}

async function emit(smartzPatientId: string, times: number, seed: number) {
  const random = seededRandom(seed);
  const events = [];
  for (let i = 0; i < times; i++) events.push(...(await emitEventNow(smartzPatientId, { random, now: new Date(Date.now() + i * 1000) })));
  return events;
}

async function cursorOf(patientId: string): Promise<string | null> {
  const row = await db.syncCursor.findUnique({ where: { key: smartzCursorKey(patientId) } });
  return row ? (JSON.parse(row.value) as { cursor: string }).cursor : null;
}

function pollEvents(smartzPatientId: string) {
  return db.ingestEvent.findMany({ where: { source: "smartz_poll", deliveryId: { startsWith: `${smartzPatientId}:` } }, orderBy: { id: "asc" } });
}

describe("Smartz poll", () => {
  it("stores new events as readings through an IngestEvent and advances the cursor; polling again stores nothing", async () => {
    const { smartzPatientId, patient, device } = await linkedResident();
    const events = await emit(smartzPatientId, 3, 1);
    const last = events.at(-1);

    const first = await pollSmartz({ client: client(), patientIds: [patient.id] });

    expect(first).toMatchObject({ checked: 1, stored: 1, recovered: events.length, errorCount: 0 });
    const readings = await db.reading.findMany({ where: { vendor: "smartz", patientId: patient.id }, orderBy: { vendorRecordId: "asc" } });
    expect(readings.map((r) => r.vendorRecordId)).toEqual(events.map((e) => e.id).sort());
    expect(readings.every((r) => r.metric === "diaper_event" && r.value === 1 && r.unit === "event" && r.arrival === "poll" && r.deviceId === device?.id)).toBe(
      true,
    );
    expect(readings.map((r) => r.flags[0]).sort()).toEqual(events.map((e) => e.type).sort());
    const records = await db.vendorRecord.count({ where: { vendor: "smartz", vendorRecordId: { in: events.map((e) => e.id) } } });
    expect(records).toBe(events.length);
    expect(await cursorOf(patient.id)).toBe(`evt:${Number(last?.id.replace("evt-", ""))}`);
    const stored = await pollEvents(smartzPatientId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "processed" });
    expect(await db.device.findUniqueOrThrow({ where: { id: device?.id ?? "" } })).toMatchObject({ lifecycle: "active" });

    const second = await pollSmartz({ client: client(), patientIds: [patient.id] });
    expect(second).toMatchObject({ stored: 0, recovered: 0 });
    expect(await pollEvents(smartzPatientId)).toHaveLength(1);
    expect(await db.reading.count({ where: { vendor: "smartz", patientId: patient.id } })).toBe(events.length);
  });

  it("picks up only what is new since the cursor, page by page", async () => {
    const { smartzPatientId, patient } = await linkedResident();
    const before = await emit(smartzPatientId, 2, 2);
    await pollSmartz({ client: client(), patientIds: [patient.id] });
    const cursor = await cursorOf(patient.id);
    const after = await emit(smartzPatientId, 5, 3);

    const result = await pollSmartz({ client: client(), patientIds: [patient.id], pageSize: 2 });

    expect(result.recovered).toBe(after.length);
    const stored = await pollEvents(smartzPatientId);
    expect(stored.length).toBe(1 + Math.ceil(after.length / 2));
    expect((stored[1]?.payload as { since: string }).since).toBe(cursor);
    expect(await db.reading.count({ where: { vendor: "smartz", patientId: patient.id } })).toBe(before.length + after.length);
  });

  it("a page fetched again after a lost cursor write duplicates nothing", async () => {
    const { smartzPatientId, patient } = await linkedResident();
    const events = await emit(smartzPatientId, 3, 4);
    await pollSmartz({ client: client(), patientIds: [patient.id] });
    const cursor = await cursorOf(patient.id);
    // The process died after the store committed but before the cursor write: the cursor is where it was.
    await db.syncCursor.delete({ where: { key: smartzCursorKey(patient.id) } });

    const result = await pollSmartz({ client: client(), patientIds: [patient.id] });

    expect(result).toMatchObject({ stored: 1, recovered: 0 });
    expect(await db.reading.count({ where: { vendor: "smartz", patientId: patient.id } })).toBe(events.length);
    expect(await cursorOf(patient.id)).toBe(cursor);
  });

  it("leaves the cursor where it was when the events cannot be fetched, and says why", async () => {
    const { smartzPatientId, patient } = await linkedResident();
    await emit(smartzPatientId, 1, 5);
    await pollSmartz({ client: client(), patientIds: [patient.id] });
    const cursor = await cursorOf(patient.id);
    await emit(smartzPatientId, 2, 6);
    const failingEvents: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes("/events")) throw new TypeError("fetch failed");
      return fetch(input, init);
    };

    const result = await pollSmartz({ client: client(failingEvents), patientIds: [patient.id] });

    expect(result).toMatchObject({ stored: 0, errorCount: 1 });
    expect(result.errors[0]).toMatchObject({ target: smartzPatientId });
    expect(await cursorOf(patient.id)).toBe(cursor);
    expect(await pollEvents(smartzPatientId)).toHaveLength(1);
    const saved = await db.syncCursor.findUniqueOrThrow({ where: { key: "poll:smartz:last" } });
    expect(JSON.parse(saved.value)).toMatchObject({ job: "smartz.poll", errorCount: 1 });

    const recovered = await pollSmartz({ client: client(), patientIds: [patient.id] });
    expect(recovered.errorCount).toBe(0);
    expect(recovered.recovered).toBeGreaterThanOrEqual(2);
  });

  it("attributes an event by its pod when the Smartz patient is not linked", async () => {
    const patient = await createPatient();
    const podId = `pod-test-${randomUUID()}`;
    const device = await createDevice({ vendor: "smartz", vendorDeviceId: podId, patientId: patient.id, category: "smart_diaper", lifecycle: "active" });
    await db.deviceAssignment.create({ data: { deviceId: device.id, patientId: patient.id, startedAt: new Date("2024-01-01T00:00:00Z") } });
    const event = {
      id: `evt-test-${randomUUID()}`,
      patientId: `pat-unlinked-${randomUUID()}`,
      deviceId: podId,
      type: "wet",
      severity: "high",
      saturation: 80,
      occurredAt: "2025-02-01T10:00:00.000Z",
    };
    const payload = { smartzPatientId: event.patientId, since: null, nextCursor: "evt:1", events: [event] };
    const stored = await db.ingestEvent.create({ data: { source: "smartz_poll", bodySha256: randomUUID(), payload: payload as Prisma.InputJsonValue } });

    expect((await processIngestEvent(stored.id)).status).toBe("processed");
    const reading = await db.reading.findFirstOrThrow({ where: { vendor: "smartz", vendorRecordId: event.id } });
    expect(reading).toMatchObject({ patientId: patient.id, deviceId: device.id, flags: ["wet"], measuredAt: new Date(event.occurredAt) });
  });
});
