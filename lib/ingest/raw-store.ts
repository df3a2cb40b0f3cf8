import { createHash } from "node:crypto";

import type pg from "pg";

import type { Database } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import type { Gate } from "@/lib/gate";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createGroupedWriter, type GroupedWriter } from "@/lib/ingest/grouped-writer";
import { isDataRefusal } from "@/lib/database/database-errors";
import { poolOf, type IngestDb } from "@/lib/ingest/ingest-db";
import { logger } from "@/lib/logger";

// Where a payload came from; the IngestEvent.source value. Pushed by the vendor (validic_push, tenovi_webhook) or
// fetched by a worker job (tenovi_backfill, validic_backfill, smartz_poll).
export type IngestSource = "validic_push" | "tenovi_webhook" | "tenovi_backfill" | "validic_backfill" | "smartz_poll";

// The receiver's judgement of a parsed body: accepted for processing, or kept but rejected with a reason.
export type DeliveryVerdict = { isValid: true; deliveryId: string | null } | { isValid: false; deliveryId: string | null; error: string };

// The stored IngestEvent as the receiver needs it for its answer.
export type StoredDelivery = {
  id: bigint;
  status: "received" | "rejected";
  deliveryId: string | null;
  bodySha256: string;
  error: string | null;
};

// PostgreSQL's jsonb cannot hold U+0000 or unpaired surrogates, and deep nesting overflows the serializer; such
// bodies are kept as text instead. No real vendor payload nests anywhere near this deep.
const MAX_JSON_DEPTH = 64;
const MAX_ERROR_LENGTH = 1_000;
const UNSTORABLE_CHARACTERS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_CHARACTERS_REASON = "JSON contains U+0000 or an unpaired surrogate";

// A \u escape of U+0000 or of a surrogate in JSON text. Valid UTF-8 (parseBody decodes strictly) cannot carry either
// character itself, so without such an escape no string of the parsed value holds one.
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

// Why jsonb would refuse the parsed body, or null. Its strings are tested only when the text has a suspect escape:
// testing every string and key of a Validic batch of 1,000 records took 1.7–3.3 ms of the web process, the walk
// without them ~0.5 ms.
function unstorableJsonReason(value: unknown, text: string): string | null {
  return unstorableValueReason(value, UNSTORABLE_ESCAPE.test(text), 0);
}

function unstorableValueReason(value: unknown, testStrings: boolean, depth: number): string | null {
  if (depth > MAX_JSON_DEPTH) return `JSON nests deeper than ${MAX_JSON_DEPTH} levels`;
  if (typeof value === "string") return testStrings && UNSTORABLE_CHARACTERS.test(value) ? UNSTORABLE_CHARACTERS_REASON : null;
  if (typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const reason = unstorableValueReason(item, testStrings, depth + 1);
      if (reason) return reason;
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (testStrings && UNSTORABLE_CHARACTERS.test(key)) return UNSTORABLE_CHARACTERS_REASON;
    const reason = unstorableValueReason(record[key], testStrings, depth + 1);
    if (reason) return reason;
  }
  return null;
}

// UTF-8 text when the bytes are valid UTF-8 without NUL (what a text column can hold), else base64. Which one was
// used is recoverable: sha256 of the UTF-8 of rawBody equals bodySha256 only for the text form.
function storableRawBody(body: Uint8Array, text: string | null): { rawBody: string; note: string | null } {
  if (text !== null && !text.includes("\u0000")) return { rawBody: text, note: null };
  return { rawBody: Buffer.from(body).toString("base64"), note: "raw body stored base64-encoded" };
}

function decodeUtf8(body: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return null;
  }
}

type ParsedBody = { kind: "json"; payload: unknown; text: string } | { kind: "unparsable"; reason: string; text: string | null };

function parseBody(body: Uint8Array): ParsedBody {
  const text = decodeUtf8(body);
  if (text === null) return { kind: "unparsable", reason: "body is not valid UTF-8", text };
  if (text.trim() === "") return { kind: "unparsable", reason: "body is empty", text };
  try {
    return { kind: "json", payload: JSON.parse(text), text };
  } catch {
    // The parser's message quotes the body, which may carry PHI, so only the fact is recorded.
    return { kind: "unparsable", reason: "body is not valid JSON", text };
  }
}

function joinReasons(...reasons: (string | null)[]): string {
  return reasons
    .filter((r): r is string => Boolean(r))
    .join("; ")
    .slice(0, MAX_ERROR_LENGTH);
}

async function insert(client: IngestDb, data: Prisma.IngestEventCreateInput): Promise<bigint> {
  const row = await client.ingestEvent.create({ data, select: { id: true } });
  return row.id;
}

// The channel a stored, processable delivery is announced on (NOTIFY, sent when the insert commits); the worker
// LISTENs and drains (lib/ingest/drain.ts). A lost notification only delays the event until the sweep.
export const INGEST_NOTIFY_CHANNEL = "pulseboard_ingest";

// The JSON insert in plain SQL, on the receivers' pg pool (lib/ingest/ingest-db.ts, poolOf): each body's own text
// goes in as jsonb, so nothing re-serializes a push batch on the path every vendor request waits on. receivedAt is
// set here, in UTC, as Prisma sets DateTime defaults. Rows stored together (lib/ingest/grouped-writer.ts) get their
// ids in the statement, matched back by ordinal; the worker is woken in the same statement when any row is
// `received` (NOTIFY is transactional, so it goes out only if the rows commit).
const JSON_COLUMNS = 7;

function insertJsonSql(rowCount: number): string {
  const values = Array.from({ length: rowCount }, (_, row) => {
    const p = (column: number) => `$${row * JSON_COLUMNS + column + 1}`;
    return `(${row}, ${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}::jsonb, ${p(4)}::"IngestStatus", ${p(5)}, ${p(6)}::timestamp(3))`;
  });
  const channel = `$${rowCount * JSON_COLUMNS + 1}::text`;
  return `
    WITH input AS (
      SELECT nextval('"IngestEvent_id_seq"') AS id, v.*
      FROM (VALUES ${values.join(", ")}) AS v(ordinal, source, "deliveryId", "bodySha256", payload, status, error, "receivedAt")),
    inserted AS (
      INSERT INTO "IngestEvent" (id, source, "deliveryId", "bodySha256", payload, status, error, "receivedAt")
      SELECT id, source, "deliveryId", "bodySha256", payload, status, error, "receivedAt" FROM input)
    SELECT input.ordinal, input.id::text AS id FROM input
    LEFT JOIN LATERAL (SELECT pg_notify(${channel}, '') WHERE ${channel} IS NOT NULL) AS n ON true`;
}

type JsonRow = { source: IngestSource; bodySha256: string; deliveryId: string | null; json: string; status: StoredDelivery["status"]; error: string | null };

async function insertJsonRows(pool: pg.Pool, rows: JsonRow[]): Promise<bigint[]> {
  const receivedAt = new Date().toISOString();
  const params: unknown[] = rows.flatMap((row) => [row.source, row.deliveryId, row.bodySha256, row.json, row.status, row.error, receivedAt]);
  params.push(rows.some((row) => row.status === "received") ? INGEST_NOTIFY_CHANNEL : null);
  const result = await pool.query<{ ordinal: number; id: string }>(insertJsonSql(rows.length), params);
  const ids = new Map(result.rows.map((row) => [row.ordinal, BigInt(row.id)]));
  return rows.map((_, ordinal) => {
    const id = ids.get(ordinal);
    if (id === undefined) throw new AppError("DATABASE_UNAVAILABLE", "The ingest event insert returned no id.");
    return id;
  });
}

// A row's outcome in a group: its id, or the database's refusal of its value (the caller stores it another way).
type JsonRowResult = { id: bigint } | { refusal: unknown };

// A group the database refused for one row's value is written again row by row, so only that row is refused.
async function writeJsonGroup(pool: pg.Pool, rows: JsonRow[]): Promise<JsonRowResult[]> {
  try {
    return (await insertJsonRows(pool, rows)).map((id) => ({ id }));
  } catch (error) {
    if (!isDataRefusal(error)) throw error;
    if (rows.length === 1) return [{ refusal: error }];
    const results: JsonRowResult[] = [];
    for (const row of rows) results.push(...(await writeJsonGroup(pool, [row])));
    return results;
  }
}

// Up to this many deliveries (and bytes of body) share one INSERT.
const GROUP_LIMITS = { maxRows: 100, maxBytes: 8 * 1024 * 1024 } as const;
const writers = new WeakMap<IngestDb, WeakMap<Gate, GroupedWriter<JsonRow, JsonRowResult>>>();

function jsonWriter(client: IngestDb, gate: Gate): GroupedWriter<JsonRow, JsonRowResult> {
  const byGate = writers.get(client) ?? new WeakMap<Gate, GroupedWriter<JsonRow, JsonRowResult>>();
  writers.set(client, byGate);
  let writer = byGate.get(gate);
  if (!writer) {
    const pool = poolOf(client);
    writer = createGroupedWriter({ gate, writeRows: (rows) => writeJsonGroup(pool, rows), sizeOf: (row) => row.json.length, ...GROUP_LIMITS });
    byGate.set(gate, writer);
  }
  return writer;
}

function unavailable(error: unknown): AppError {
  return new AppError("DATABASE_UNAVAILABLE", "The database is unavailable; the delivery was not stored. Retry later.", {
    cause: error,
    details: { retryAfterSeconds: 30 },
  });
}

// Stores one delivery exactly as received, before anything else happens to it: parsed JSON when it parses and fits
// jsonb (status `received`, or `rejected` with the validator's reason), otherwise the raw text or base64 (status
// `rejected`). Written through the gate, grouped with the deliveries waiting beside it (one statement each, so an
// outage leaves nothing half-written); it throws DATABASE_UNAVAILABLE then, or the gate's own refusal when overloaded.
export async function storeDelivery(
  client: IngestDb,
  gate: Gate,
  input: { source: IngestSource; body: Uint8Array; judge: (payload: unknown) => DeliveryVerdict },
): Promise<StoredDelivery> {
  const bodySha256 = createHash("sha256").update(input.body).digest("hex");
  const parsed = parseBody(input.body);
  const base = { source: input.source, bodySha256 };

  if (parsed.kind === "json") {
    const unstorable = unstorableJsonReason(parsed.payload, parsed.text);
    if (!unstorable) {
      const verdict = input.judge(parsed.payload);
      const status: StoredDelivery["status"] = verdict.isValid ? "received" : "rejected";
      const error = verdict.isValid ? null : joinReasons(verdict.error);
      const result = await jsonWriter(client, gate)
        .write({ ...base, deliveryId: verdict.deliveryId, json: parsed.text, status, error })
        .catch((cause: unknown) => {
          throw isAppError(cause) ? cause : unavailable(cause);
        });
      if ("id" in result) return { id: result.id, status, deliveryId: verdict.deliveryId, bodySha256, error };
      // The database refused this JSON (something the pre-check missed): keep the body as text instead.
      logger.warn("ingest payload refused as JSON; storing raw text", { source: input.source, bodySha256 });
    }
    const text = new TextDecoder().decode(input.body);
    return gate.run(() => storeUnparsable(client, base, input.body, text, unstorable ?? "payload could not be stored as JSON"));
  }
  return gate.run(() => storeUnparsable(client, base, input.body, parsed.text, parsed.reason));
}

async function storeUnparsable(
  client: IngestDb,
  base: { source: IngestSource; bodySha256: string },
  body: Uint8Array,
  text: string | null,
  reason: string,
): Promise<StoredDelivery> {
  const { rawBody, note } = storableRawBody(body, text);
  const error = joinReasons(reason, note);
  try {
    const id = await insert(client, { ...base, rawBody, status: "rejected", error });
    return { id, status: "rejected", deliveryId: null, bodySha256: base.bodySha256, error };
  } catch (cause) {
    throw unavailable(cause);
  }
}

// Stores a payload a worker job fetched from a vendor (backfill, poll), before it is processed: status `received`,
// so a crash between this insert and processing leaves it for the sweep. Returns the event id.
export async function storeFetched(client: Database, input: { source: IngestSource; deliveryId: string | null; payload: Prisma.InputJsonValue }): Promise<bigint> {
  const bodySha256 = createHash("sha256").update(JSON.stringify(input.payload)).digest("hex");
  const row = await client.ingestEvent.create({
    data: { source: input.source, deliveryId: input.deliveryId, bodySha256, payload: input.payload, status: "received" },
    select: { id: true },
  });
  return row.id;
}
