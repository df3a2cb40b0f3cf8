import { expect, test } from "@playwright/test";

import { pushBatch, tenoviBpmPair, validicBloodPressureRecord, validicTokenRequest } from "../../lib/ingest/payload-fixtures";
import { SIMULATOR_CREDENTIALS } from "../../lib/vendors/config";
import {
  drainIngest,
  killAll,
  processOutputs,
  startFaultCluster,
  startWeb,
  startWorkerProcess,
  waitFor,
  withClient,
  type FaultCluster,
  type FaultProcess,
} from "./harness";

// Issue #8: two web instances and two workers on one database during an ingest run, one worker killed mid-job.
// Vendors push to both instances (the same delivery to both at once, as a retry racing the original would), and
// a backlog of stored-but-unprocessed events is being swept when its worker dies. Afterwards every acknowledged
// record is present exactly once and no job ran twice at once.

const PG_PORT = 54382;
const WEB_PORTS = [3382, 3383] as const;
// Large enough that worker A cannot finish it between the check that it started and its kill.
// Large enough that worker A's drain of it (bulk, 500 events per transaction) is still running when A is killed.
const BACKLOG = 3_000;

test.describe.configure({ mode: "serial" });

let cluster: FaultCluster;
let webs: { url: string }[] = [];

test.beforeAll(async () => {
  test.setTimeout(150_000);
  cluster = await startFaultCluster(PG_PORT);
  webs = await Promise.all(WEB_PORTS.map((port) => startWeb(port, cluster.url)));
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach("processes", { body: processOutputs(), contentType: "text/plain" });
});

test.afterAll(async () => {
  await killAll();
  await cluster?.stop().catch(() => undefined);
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return withClient(cluster.url, async (c) => Number((await c.query<{ n: string }>(sql, params)).rows[0]?.n ?? -1));
}

async function validicToken(url: string): Promise<string> {
  const response = await fetch(`${url}/api/ingest/validic/token`, validicTokenRequest());
  return ((await response.json()) as { access_token: string }).access_token;
}

type Delivery = { path: string; headers: Record<string, string>; body: string; targets: string[] };

async function deliver(delivery: Delivery): Promise<number[]> {
  return Promise.all(
    delivery.targets.map(async (url) => (await fetch(`${url}${delivery.path}`, { method: "POST", headers: delivery.headers, body: delivery.body })).status),
  );
}

// Events stored by a receiver that then died before processing them: `received`, older than the sweep's staleness.
async function storeBacklog(): Promise<string[]> {
  const devices = Array.from({ length: BACKLOG }, () => crypto.randomUUID());
  await withClient(cluster.url, (c) =>
    c.query(
      `INSERT INTO "IngestEvent" (source, "bodySha256", payload, status, "receivedAt")
       SELECT 'tenovi_webhook', md5(p::text), p, 'received', now() - interval '10 minutes' FROM unnest($1::jsonb[]) AS p`,
      [devices.map((device) => JSON.stringify(tenoviBpmPair({ hwi_device_id: device })))],
    ),
  );
  return devices;
}

test("two web instances and two workers on one database: no duplicate readings, nothing acknowledged lost, no job run twice, a worker killed mid-job loses nothing", async () => {
  test.setTimeout(150_000);
  const backlogDevices = await storeBacklog();

  // Worker A starts alone and drains the backlog (a worker drains what is pending when it starts, as after a crash);
  // worker B starts while A is mid-drain.
  const workerA: FaultProcess = startWorkerProcess("worker-a", cluster.url);
  const workerB = startWorkerProcess("worker-b", cluster.url);

  // The vendors push to both instances: distinct deliveries spread over them, and some sent to both at once.
  const [a, b] = webs.map((w) => w.url);
  if (!a || !b) throw new Error("two web instances expected");
  const token = await validicToken(a);
  const validicHeaders = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const tenoviHeaders = { Authorization: SIMULATOR_CREDENTIALS.tenovi.webhookAuthKey, "Content-Type": "application/json" };
  const batchRecords = Array.from({ length: 16 }, () => [validicBloodPressureRecord(), validicBloodPressureRecord(), validicBloodPressureRecord()]);
  const batches = batchRecords.map((records) => pushBatch(records));
  const webhooks = Array.from({ length: 12 }, () => tenoviBpmPair());
  const deliveries: Delivery[] = [
    ...batches.map((batch, i) => ({
      path: "/api/ingest/validic",
      headers: validicHeaders,
      body: JSON.stringify(batch),
      targets: i < 4 ? [a, b] : [i % 2 ? a : b],
    })),
    ...webhooks.map((rows, i) => ({
      path: "/api/ingest/tenovi",
      headers: tenoviHeaders,
      body: JSON.stringify(rows),
      targets: i < 4 ? [a, b] : [i % 2 ? a : b],
    })),
  ];
  const firstWave = Promise.all(deliveries.slice(0, 14).map(deliver));

  // Worker A dies mid-drain (SIGKILL: no graceful stop), with some of the backlog done and some not.
  await waitFor(
    "worker A to process part of the backlog",
    async () => (await count(`SELECT count(*) AS n FROM "IngestEvent" WHERE status = 'processed' AND "receivedAt" < now() - interval '5 minutes'`)) >= 3,
    30_000,
    workerA,
  );
  workerA.kill("SIGKILL");
  await workerA.exited;
  const doneBeforeKill = await count(`SELECT count(*) AS n FROM "IngestEvent" WHERE status = 'processed' AND "receivedAt" < now() - interval '5 minutes'`);
  const statuses = [...(await firstWave), ...(await Promise.all(deliveries.slice(14).map(deliver)))].flat();

  // Every delivery was acknowledged by at least one instance, and none was answered with an error.
  expect(
    statuses.every((s) => s >= 200 && s < 300),
    `statuses: ${statuses.join(",")}`,
  ).toBe(true);

  // Processing finishes: inline or by worker B, then whatever the dead worker left, as the next sweep would.
  await waitFor(
    "the pushes to be processed",
    async () =>
      (await count(`SELECT count(*) AS n FROM "IngestEvent" WHERE status IN ('received', 'failed') AND "receivedAt" > now() - interval '5 minutes'`)) === 0,
    20_000,
  ).catch(() => undefined);
  await drainIngest(cluster.url);
  expect(await count(`SELECT count(*) AS n FROM "IngestEvent" WHERE status <> 'processed'`)).toBe(0);

  // Every record exactly once: 3 records × 2 metrics per batch, 2 metrics per webhook and per backlog event.
  const validicIds = batchRecords.flat().map((record) => record.id);
  expect(await count(`SELECT count(*) AS n FROM "Reading" WHERE vendor = 'validic' AND "vendorRecordId" = ANY($1)`, [validicIds])).toBe(validicIds.length * 2);
  expect(await count(`SELECT count(DISTINCT "vendorRecordId") AS n FROM "Reading" WHERE vendor = 'validic'`)).toBe(validicIds.length);
  const tenoviDevices = [...webhooks.map((rows) => rows[0]?.hwi_device_id), ...backlogDevices];
  expect(await count(`SELECT count(*) AS n FROM "Reading" WHERE vendor = 'tenovi'`)).toBe(tenoviDevices.length * 2);
  // Each delivery sent to both instances was stored at most twice and its records derived once.
  for (const batch of batches.slice(0, 4))
    expect(await count(`SELECT count(*) AS n FROM "IngestEvent" WHERE "deliveryId" = $1`, [batch.id])).toBeLessThanOrEqual(2);
  expect(doneBeforeKill).toBeLessThan(BACKLOG);

  // No job of a one-at-a-time (stately) queue ran twice at once: at most one active, and no overlapping runs.
  expect(
    await count(
      `SELECT count(*) AS n FROM (SELECT j.name FROM pgboss.job j JOIN pgboss.queue q ON q.name = j.name WHERE q.policy = 'stately' AND j.state = 'active' GROUP BY j.name HAVING count(*) > 1) t`,
    ),
  ).toBe(0);
  expect(
    await count(`
      SELECT count(*) AS n FROM pgboss.job x JOIN pgboss.job y ON x.name = y.name AND x.id < y.id
        JOIN pgboss.queue q ON q.name = x.name
       WHERE q.policy = 'stately' AND x.started_on IS NOT NULL AND y.started_on IS NOT NULL
         AND tstzrange(x.started_on, coalesce(x.completed_on, now())) && tstzrange(y.started_on, coalesce(y.completed_on, now()))`),
  ).toBe(0);

  // Worker B is still running and healthy.
  expect(workerB.child.exitCode).toBeNull();
});
