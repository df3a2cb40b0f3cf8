import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { tenoviBpmPair } from "@/lib/ingest/payload-fixtures";
import { processIngestEvent } from "@/lib/ingest/process-ingest-event";
import { deliveriesPerHour, duplicatesSuppressed } from "@/lib/queries/ingest-health";

// The numbers on the ingest health page. The test database is shared, so counts are compared before and after.

const HOUR = 3_600_000;

describe("ingest health", () => {
  it("buckets stored payloads by UTC hour and vendor over the last 24 hours", async () => {
    const now = new Date();
    const before = await deliveriesPerHour(now);
    await db.ingestEvent.create({
      data: { source: "smartz_poll", bodySha256: randomUUID(), status: "processed", receivedAt: new Date(now.getTime() - 2 * HOUR) },
    });
    await db.ingestEvent.create({
      data: { source: "smartz_poll", bodySha256: randomUUID(), status: "processed", receivedAt: new Date(now.getTime() - 30 * HOUR) },
    });

    const after = await deliveriesPerHour(now);

    expect(after).toHaveLength(24);
    expect(after[23]?.hour).toBe(new Date(Math.floor(now.getTime() / HOUR) * HOUR).toISOString());
    expect((after[21]?.smartz ?? 0) - (before[21]?.smartz ?? 0)).toBe(1);
    expect(after.reduce((sum, h) => sum + h.smartz, 0) - before.reduce((sum, h) => sum + h.smartz, 0)).toBe(1);
  });

  it("counts duplicate records suppressed by processing, and whole deliveries received again", async () => {
    const before = await duplicatesSuppressed();
    const pair = tenoviBpmPair();
    for (const deliveryId of [null, null]) {
      const event = await db.ingestEvent.create({
        data: { source: "tenovi_webhook", deliveryId, bodySha256: randomUUID(), payload: pair as Prisma.InputJsonValue },
      });
      await processIngestEvent(event.id);
    }
    const batch = { id: randomUUID(), data: [], meta: { count: 0 } };
    for (let i = 0; i < 2; i++) {
      const event = await db.ingestEvent.create({ data: { source: "validic_push", deliveryId: batch.id, bodySha256: "same-body", payload: batch } });
      await processIngestEvent(event.id);
    }

    const after = await duplicatesSuppressed();

    expect(after.records - before.records).toBeGreaterThanOrEqual(1);
    expect(after.deliveries - before.deliveries).toBeGreaterThanOrEqual(1);
  });
});
