import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { tenoviBpmPair } from "@/lib/ingest/payload-fixtures";
import { createDevice, createPatient } from "@/lib/ingest/test-fixtures";
import { createBoss } from "@/lib/jobs/boss";
import { findJob, JOBS, type JobDefinition } from "@/lib/jobs/registry";
import { ensureQueue, runJob, startWorker } from "@/lib/jobs/worker";

// The worker on a real pg-boss in the test database (a schema of its own). Jobs here are scoped to this file's
// data: the sweep takes explicit event ids.

const SCHEMA = `pgboss_test_${process.pid}`;
const bosses: PgBoss[] = [];

function boss(): PgBoss {
  const instance = createBoss({ connectionString: process.env.DATABASE_URL, schema: SCHEMA, schedule: false, supervise: false, maxConnections: 3 });
  bosses.push(instance);
  return instance;
}

beforeAll(async () => {
  await boss().start();
});

afterAll(async () => {
  for (const instance of bosses) await instance.stop({ graceful: false, wait: true }).catch(() => undefined);
});

function sweepJob(): JobDefinition {
  const sweep = findJob("ingest.sweep");
  if (!sweep) throw new Error("ingest.sweep is not registered");
  // Quick to expire and to retry, so the test need not wait minutes.
  return { ...sweep, expireInSeconds: 1, retry: { limit: 2, delaySeconds: 0, backoff: false } };
}

async function failedEventForNewDevice() {
  const patient = await createPatient();
  const hwiDeviceId = randomUUID();
  const device = await createDevice({ vendor: "tenovi", vendorDeviceId: hwiDeviceId, patientId: patient.id, lifecycle: "delivered" });
  const event = await db.ingestEvent.create({
    data: {
      source: "tenovi_webhook",
      bodySha256: randomUUID(),
      payload: tenoviBpmPair({ hwi_device_id: hwiDeviceId }) as Prisma.InputJsonValue,
      status: "failed",
      attempts: 1,
      receivedAt: new Date(Date.now() - 10 * 60_000),
    },
  });
  return { device, event };
}

async function waitFor<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("worker", () => {
  it("a job whose worker was killed mid-run is retried by pg-boss and its effects happen once", async () => {
    const job = sweepJob();
    const { device, event } = await failedEventForNewDevice();
    const first = boss();
    await first.start();
    await ensureQueue(first, job);
    const jobId = await first.send(job.name, { trigger: "test", eventIds: [String(event.id)] });
    expect(jobId).not.toBeNull();

    // Worker A takes the job and does its work, then dies before telling pg-boss it finished.
    const [taken] = await first.fetch<Record<string, unknown>>(job.name);
    expect(taken?.id).toBe(jobId);
    await runJob(job, { id: taken?.id ?? "", data: taken?.data }, new AbortController().signal);
    expect(await db.reading.count({ where: { deviceId: device.id } })).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    // pg-boss's maintenance finds the run past its expiry and queues the retry.
    await first.expire();
    expect((await first.getJobById(job.name, jobId ?? ""))?.state).toBe("retry");

    // Worker B picks up the retry and runs the handler again.
    const worker = await startWorker({ boss: boss(), jobs: [job], schedule: false, pollingIntervalSeconds: 0.5, drainOnNotify: false });
    const finished = await waitFor(
      () => first.getJobById(job.name, jobId ?? ""),
      (j) => j?.state === "completed",
    );
    await worker.stop();

    expect(finished).toMatchObject({ state: "completed", retryCount: 1 });
    expect(await db.reading.count({ where: { deviceId: device.id } })).toBe(2);
    expect(await db.deviceEvent.count({ where: { deviceId: device.id, type: "first_reading" } })).toBe(1);
    expect(await db.ingestEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "processed", attempts: 2 });
  });

  it("keeps one job of a kind waiting, so repeated on-demand requests and schedules do not pile up", async () => {
    const job: JobDefinition = { ...sweepJob(), name: `test.stately-${randomUUID()}` };
    const instance = boss();
    await instance.start();
    await ensureQueue(instance, job);
    const first = await instance.send(job.name, { trigger: "manual" }, { singletonKey: job.name });
    const second = await instance.send(job.name, { trigger: "manual" }, { singletonKey: job.name });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
  });

  it("schedules every registered cron in UTC and keeps each queue's retry policy", async () => {
    const worker = await startWorker({ boss: boss(), schedule: true, pollingIntervalSeconds: 30, drainOnNotify: false });
    const schedules = await worker.boss.getSchedules();
    const queue = await worker.boss.getQueue("tenovi.reconcile");
    await worker.stop();

    const expected = JOBS.filter((j) => j.cron).map((j) => [j.name, j.cron]);
    expect(schedules.map((s) => [s.name, s.cron]).sort()).toEqual(expected.sort());
    expect(queue).toMatchObject({ policy: "stately", retryLimit: 2, retryDelay: 300, retryBackoff: true });
  });
});
