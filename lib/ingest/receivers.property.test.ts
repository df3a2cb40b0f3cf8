import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

import { POST as tenoviRoute } from "@/app/api/ingest/tenovi/route";
import { POST as pushRoute } from "@/app/api/ingest/validic/route";
import { POST as tokenRoute } from "@/app/api/ingest/validic/token/route";
import { db } from "@/lib/db";
import { pushBatch, tenoviRow, validicBloodPressureRecord, validicTokenRequest } from "@/lib/ingest/payload-fixtures";
import { tenoviConfig } from "@/lib/vendors/config";

// Whatever arrives with valid credentials and under the size limit, a receiver never answers 5xx while the
// database is up, and every request is either stored (the answer names the event) or refused 4xx with a reason.

const RUNS = 40;
const { webhookAuthHeader, webhookAuthKey } = tenoviConfig();
let token = "";

beforeAll(async () => {
  const response = await tokenRoute(
    new Request("http://pulseboard.test/api/ingest/validic/token", validicTokenRequest()),
  );
  token = ((await response.json()) as { access_token: string }).access_token;
});

type Receiver = { name: string; send: (body: Uint8Array<ArrayBuffer>) => Promise<Response> };

const receivers: Receiver[] = [
  {
    name: "Validic push",
    send: (body) =>
      pushRoute(new Request("http://pulseboard.test/api/ingest/validic", { method: "POST", headers: { Authorization: `Bearer ${token}` }, body })),
  },
  {
    name: "Tenovi webhook",
    send: (body) =>
      tenoviRoute(new Request("http://pulseboard.test/api/ingest/tenovi", { method: "POST", headers: { [webhookAuthHeader]: webhookAuthKey }, body })),
  },
];

// JSON values of every kind, including strings PostgreSQL's jsonb refuses (U+0000, lone surrogates), deep nesting,
// and values shaped almost like the real payloads.
const awkwardString = fc.constantFrom("\u0000", "\ud800", "a\udc00b", "\u2028", "💉", "");
const jsonValues = fc.oneof(
  fc.jsonValue(),
  fc.jsonValue({ stringUnit: "binary", maxDepth: 4 }),
  fc.dictionary(awkwardString, fc.oneof(awkwardString, fc.jsonValue({ maxDepth: 2 }))),
  fc.integer({ min: 60, max: 200 }).map((depth) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`) as unknown),
  fc.record({
    id: fc.oneof(fc.uuid(), fc.jsonValue({ maxDepth: 1 })),
    data: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }),
    meta: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({
    id: fc.uuid(),
    data: fc.array(
      fc.constant(null).map(() => validicBloodPressureRecord()),
      { maxLength: 3 },
    ),
    meta: fc.record({ count: fc.nat(5) }),
  }),
  fc.array(fc.record({ metric: fc.string(), hwi_device_id: fc.jsonValue({ maxDepth: 1 }), value_1: fc.jsonValue({ maxDepth: 1 }), timestamp: fc.string() }), {
    maxLength: 3,
  }),
  fc.constant(null).map(() => [tenoviRow(), { ...tenoviRow(), value_2: null }]),
  fc.constant(null).map(() => pushBatch([validicBloodPressureRecord()])),
);

async function expectStoredOr4xx(response: Response) {
  expect(response.status).toBeLessThan(500);
  const body = (await response.json()) as { eventId?: string; message?: string; error?: string };
  if (response.status >= 400) {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(body.message ?? body.error).toEqual(expect.any(String));
  }
  if (body.eventId) {
    const event = await db.ingestEvent.findUnique({ where: { id: BigInt(body.eventId) } });
    expect(event).not.toBeNull();
    if (response.status === 400) expect(event?.status).toBe("rejected");
  } else {
    // Only a refusal at the door (413) may leave nothing stored; these bodies are all under the limits.
    expect(response.status).toBe(413);
  }
}

describe.each(receivers)("$name receiver under arbitrary input", ({ send }) => {
  it("never answers 5xx to arbitrary JSON values; each one is stored or refused 4xx with a reason", async () => {
    await fc.assert(
      fc.asyncProperty(jsonValues, async (value) => {
        await expectStoredOr4xx(await send(new TextEncoder().encode(JSON.stringify(value))));
      }),
      { numRuns: RUNS },
    );
  });

  it("never answers 5xx to arbitrary bytes; each body is stored or refused 4xx with a reason", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        await expectStoredOr4xx(await send(new Uint8Array(bytes)));
      }),
      { numRuns: RUNS },
    );
  });
});
