import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { tenoviBpmPair } from "@/lib/ingest/payload-fixtures";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { READINGS_STORED_LISTENERS } from "@/lib/ingest/readings-hook";
import { isRetryDue, sweepIngestEvents } from "@/lib/ingest/sweep";
import { createDevice, createPatient } from "@/lib/ingest/test-fixtures";

// The sweep re-processes what the receivers could not: events left `received` by a crash and `failed` events that
// are due. Every test scopes its sweep to its own events, since the test database is shared with other files.

const MINUTE = 60_000;

async function storedEvent(payload: unknown, data: { status: "received" | "failed"; attempts?: number; ageMs: number }) {
  return db.ingestEvent.create({
    data: {
      source: "tenovi_webhook",
      bodySha256: randomUUID(),
      payload: payload as Prisma.InputJsonValue,
      status: data.status,
      attempts: data.attempts ?? 0,
      error: data.status === "failed" ? "database error P1001" : null,
      receivedAt: new Date(Date.now() - data.ageMs),
    },
  });
}

async function deviceWithPatient() {
  const patient = await createPatient();
  const hwiDeviceId = randomUUID();
  const device = await createDevice({ vendor: "tenovi", vendorDeviceId: hwiDeviceId, patientId: patient.id, lifecycle: "delivered" });
  return { patient, device, hwiDeviceId };
}

afterEach(() => {
  READINGS_STORED_LISTENERS.length = 0;
});

describe("ingest sweep", () => {
  it("backs off by attempts and stops at the cap", () => {
    const arrived = new Date("2025-01-01T00:00:00Z");
    const at = (minutes: number) => new Date(arrived.getTime() + minutes * MINUTE);
    expect(isRetryDue(arrived, 1, at(0.5))).toBe(false);
    expect(isRetryDue(arrived, 1, at(1))).toBe(true);
    expect(isRetryDue(arrived, 3, at(6))).toBe(false);
    expect(isRetryDue(arrived, 3, at(7))).toBe(true);
    expect(isRetryDue(arrived, 5, at(10_000))).toBe(false);
  });

  it("re-processes a failed event once even when two workers sweep at the same time", async () => {
    const { device, hwiDeviceId } = await deviceWithPatient();
    const event = await storedEvent(tenoviBpmPair({ hwi_device_id: hwiDeviceId }), { status: "failed", attempts: 1, ageMs: 10 * MINUTE });
    const scope = { eventIds: [event.id] };

    const [first, second] = await Promise.all([sweepIngestEvents({ scope }), sweepIngestEvents({ scope })]);

    expect(first.processed + second.processed).toBe(1);
    expect(await db.ingestEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "processed", attempts: 2, error: null });
    const readings = await db.reading.findMany({ where: { deviceId: device.id } });
    expect(readings.map((r) => r.metric).sort()).toEqual(["blood_pressure", "pulse"]);
    expect(readings.every((r) => r.ingestEventId === event.id)).toBe(true);
    expect(await db.deviceEvent.count({ where: { deviceId: device.id, type: "first_reading" } })).toBe(1);
    expect(await db.device.findUniqueOrThrow({ where: { id: device.id } })).toMatchObject({ lifecycle: "active" });

    const again = await sweepIngestEvents({ scope });
    expect(again).toMatchObject({ candidates: 0, processed: 0 });
    expect(await db.reading.count({ where: { deviceId: device.id } })).toBe(2);
  });

  it("takes over events stuck in received for over a minute, and leaves fresh, not-yet-due and capped ones", async () => {
    const stuck = await storedEvent(tenoviBpmPair(), { status: "received", ageMs: 2 * MINUTE });
    const fresh = await storedEvent(tenoviBpmPair(), { status: "received", ageMs: 5_000 });
    const notDue = await storedEvent(tenoviBpmPair(), { status: "failed", attempts: 3, ageMs: 2 * MINUTE });
    const capped = await storedEvent(tenoviBpmPair(), { status: "failed", attempts: 5, ageMs: 600 * MINUTE });

    const result = await sweepIngestEvents({ scope: { eventIds: [stuck.id, fresh.id, notDue.id, capped.id] } });

    expect(result).toMatchObject({ candidates: 1, processed: 1 });
    const statuses = await db.ingestEvent.findMany({
      where: { id: { in: [stuck.id, fresh.id, notDue.id, capped.id] } },
      orderBy: { id: "asc" },
      select: { status: true },
    });
    expect(statuses.map((s) => s.status)).toEqual(["processed", "received", "failed", "failed"]);
  });

  it("counts a retry that fails again and keeps the reason", async () => {
    const event = await storedEvent({ not: "a tenovi webhook" }, { status: "failed", attempts: 1, ageMs: 10 * MINUTE });
    const result = await sweepIngestEvents({ scope: { eventIds: [event.id] } });
    expect(result).toMatchObject({ candidates: 1, failed: 1 });
    const stored = await db.ingestEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored).toMatchObject({ status: "failed", attempts: 2 });
    expect(stored.error).toMatch(/does not parse/);
  });

  it("never fails an ingest when the readings-stored hook throws, and the sweep delivers the readings later", async () => {
    const { device, hwiDeviceId } = await deviceWithPatient();
    const seen: bigint[][] = [];
    let isBroken = true;
    READINGS_STORED_LISTENERS.push(async (ids) => {
      if (isBroken) throw new Error("alert evaluation is down");
      seen.push(ids);
    });
    const event = await storedEvent(tenoviBpmPair({ hwi_device_id: hwiDeviceId }), { status: "received", ageMs: 0 });

    const outcome = await processIngestEvent(event.id);
    expect(outcome.status).toBe("processed");
    const readingIds = (await db.reading.findMany({ where: { deviceId: device.id }, orderBy: { id: "asc" }, select: { id: true } })).map((r) => r.id);
    expect(readingIds).toHaveLength(2);
    const kept = await db.syncCursor.findUniqueOrThrow({ where: { key: `readings-hook:retry:event:${event.id}` } });
    expect(JSON.parse(kept.value)).toEqual(readingIds.map(String));

    isBroken = false;
    const result = await sweepIngestEvents({ scope: { eventIds: [] } });
    expect(result.hookBatchesRetried).toBeGreaterThanOrEqual(1);
    expect(seen).toContainEqual(readingIds);
    expect(await db.syncCursor.findUnique({ where: { key: kept.key } })).toBeNull();
  });

  it("hands the ids of inserted and changed readings to the hook after the commit", async () => {
    const { hwiDeviceId } = await deviceWithPatient();
    const calls: { ids: bigint[]; committed: number }[] = [];
    READINGS_STORED_LISTENERS.push(async (ids) => {
      // Visible from another connection: the transaction has committed.
      calls.push({ ids, committed: await db.reading.count({ where: { id: { in: ids } } }) });
    });
    const pair = tenoviBpmPair({ hwi_device_id: hwiDeviceId });
    const first = await storedEvent(pair, { status: "received", ageMs: 0 });
    await processIngestEvent(first.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.ids).toHaveLength(2);
    expect(calls[0]?.committed).toBe(2);

    const resend = await storedEvent(pair, { status: "received", ageMs: 0 });
    await processIngestEvent(resend.id);
    expect(calls).toHaveLength(1);
  });
});
