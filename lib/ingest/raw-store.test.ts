import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { createIngestGate } from "@/lib/ingest/ingest-gate";
import { tenoviRow } from "@/lib/ingest/payload-fixtures";
import { receiveTenoviWebhook } from "@/lib/ingest/receivers";
import { tenoviConfig } from "@/lib/vendors/config";

const { webhookAuthHeader, webhookAuthKey } = tenoviConfig();

function webhook(body: string): Request {
  return new Request("http://pulseboard.test/api/ingest/tenovi", { method: "POST", headers: { [webhookAuthHeader]: webhookAuthKey }, body });
}

// Sends the bodies while the receivers' only database slot is taken, then frees it: they wait together. Each answer's
// HTTP status with the event its eventId names.
async function sendWhileBusy(bodies: string[]) {
  const gate = createIngestGate({ concurrency: 1 });
  let release = () => undefined as void;
  const held = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
  const answers = Promise.all(bodies.map((body) => receiveTenoviWebhook(webhook(body), { gate })));
  await new Promise((resolve) => setTimeout(resolve, 20));
  release();
  await held;
  return Promise.all(
    (await answers).map(async (answer) => {
      const { eventId } = (await answer.json()) as { eventId: string };
      return { status: answer.status, event: await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(eventId) } }) };
    }),
  );
}

describe("deliveries stored together", () => {
  it("stores webhooks that waited for the database in one statement, each answer naming its own body's row", async () => {
    const rows = Array.from({ length: 8 }, () => tenoviRow());
    const stored = await sendWhileBusy(rows.map((row) => JSON.stringify(row)));
    expect(stored.map(({ status, event }) => [status, event.status, event.payload])).toEqual(rows.map((row) => [200, "received", row]));
    // One statement: one receivedAt, consecutive ids.
    expect(new Set(stored.map(({ event }) => event.receivedAt.getTime())).size).toBe(1);
    const ids = stored.map(({ event }) => Number(event.id));
    expect(ids).toEqual(ids.map((_, index) => (ids[0] ?? 0) + index));
  });

  it("stores the rest of a group whose statement the database refused for one body, and that body as text", async () => {
    const rows = Array.from({ length: 3 }, () => tenoviRow());
    // Valid JSON whose number PostgreSQL's numeric cannot hold: jsonb refuses it, the pre-check does not see it.
    const refusedBody = `{"metric":"pulse","value_1":"64","huge":1e1000000}`;
    const stored = await sendWhileBusy([...rows.map((row) => JSON.stringify(row)), refusedBody]);
    expect(stored.slice(0, 3).map(({ status, event }) => [status, event.status, event.payload])).toEqual(rows.map((row) => [200, "received", row]));
    expect(stored[3]?.status).toBe(400);
    expect(stored[3]?.event).toMatchObject({ status: "rejected", payload: null, rawBody: refusedBody, error: expect.stringContaining("could not be stored as JSON") });
  });
});
