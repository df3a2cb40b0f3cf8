import { z } from "zod";

// Inbound Tenovi HWI webhooks: measurement, fulfillment and replacement. A delivery is one object or, with
// `post_as_array`, an array; the three kinds share no discriminator, so they are told apart by shape:
// a measurement has `metric`; a replacement has `status: "Replaced"` and `device_id`; a fulfillment has `status`.
// Parsed tolerantly (values as strings or numbers, missing optional fields), field names kept as Tenovi's.

function coerceNumber(value: string | number, ctx: z.RefinementCtx): number {
  const number = typeof value === "number" ? value : value.trim() === "" ? Number.NaN : Number(value.trim());
  if (Number.isFinite(number)) return number;
  ctx.addIssue({ code: "custom", message: "not a finite number" });
  return z.NEVER;
}

// `value_1` arrives as "120" or 120.
const requiredNumber = z.union([z.number(), z.string()]).transform(coerceNumber);
// `value_2` may also be null, missing or "" (no second value).
const optionalNumber = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((value, ctx) => (value === null || value === undefined || value === "" ? null : coerceNumber(value, ctx)));
const idString = z.union([z.string().min(1), z.number()]).transform(String);

// Tenovi timestamps are ISO 8601; one without a zone designator is read as UTC.
// ASSUMPTION: zone-less device timestamps are UTC (Tenovi publishes no rule); configurable by changing this parser.
export function parseTenoviTimestamp(value: string): Date | null {
  const trimmed = value.trim();
  const hasZone = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(trimmed);
  const time = Date.parse(hasZone || !trimmed.includes("T") ? trimmed : `${trimmed}Z`);
  return Number.isNaN(time) ? null : new Date(time);
}

const timestamp = z.string().refine((value) => parseTenoviTimestamp(value) !== null, "not an ISO 8601 timestamp");

// One measurement row, e.g. the `blood_pressure` half of a BPM reading.
export const tenoviMeasurementSchema = z.looseObject({
  metric: z.string().trim().min(1),
  device_name: z.string().nullish(),
  hwi_device_id: idString,
  // The patient's external_id.
  patient_id: idString.nullish(),
  hardware_uuid: z.string().nullish(),
  sensor_code: idString.nullish(),
  value_1: requiredNumber,
  value_2: optionalNumber,
  created: z.string().nullish(),
  timestamp,
  // ASSUMPTION: minutes (see lib/ingest/process-tenovi.ts).
  timezone_offset: optionalNumber,
  estimated_timestamp: z.boolean().nullish(),
  filter_params: z.looseObject({ measurement_index: z.union([z.number(), z.string()]).nullish() }).nullish(),
});

export type TenoviMeasurement = z.infer<typeof tenoviMeasurementSchema>;

// A fulfillment status change (`Shipped`, `Delivered`, `Connected`, …; unknown words are kept as they come).
export const tenoviFulfillmentSchema = z.looseObject({
  hwi_device_id: idString,
  patient_id: idString.nullish(),
  hardware_uuid: z.string().nullish(),
  sensor_code: idString.nullish(),
  device_name: z.string().nullish(),
  status: z.string().trim().min(1),
  tracking_link: z.string().nullish(),
});

export type TenoviFulfillment = z.infer<typeof tenoviFulfillmentSchema>;

// A replacement: the NEW hardware id (gateway ID or IMEI) in `hardware_uuid`, the OLD one in `device_id`.
export const tenoviReplacementSchema = z.looseObject({
  status: z.literal("Replaced"),
  device_id: idString,
  hardware_uuid: z.string().trim().min(1),
  hwi_device_id: idString.nullish(),
  patient_id: idString.nullish(),
  device_name: z.string().nullish(),
});

export type TenoviReplacement = z.infer<typeof tenoviReplacementSchema>;

// One parsed item of a delivery, by kind.
export type TenoviWebhookItem =
  | { kind: "measurement"; item: TenoviMeasurement }
  | { kind: "fulfillment"; item: TenoviFulfillment }
  | { kind: "replacement"; item: TenoviReplacement };

// A whole delivery: every item parsed, or the first reason it is not a Tenovi webhook.
export type TenoviWebhookParse = { ok: true; items: TenoviWebhookItem[] } | { ok: false; error: string };

// Tenovi's documented examples carry keys with stray spaces (`"status "`), so keys are trimmed before parsing.
function trimKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key.trim(), field]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}

function classifyItem(raw: unknown): TenoviWebhookItem | string {
  if (!isRecord(raw)) return "not a JSON object";
  const value = trimKeys(raw);
  if ("metric" in value) {
    const parsed = tenoviMeasurementSchema.safeParse(value);
    return parsed.success ? { kind: "measurement", item: parsed.data } : `measurement: ${describe(parsed.error)}`;
  }
  if (!("status" in value)) return "neither a measurement (no metric) nor a fulfillment webhook (no status)";
  if (typeof value.status === "string" && value.status.trim() === "Replaced" && "device_id" in value) {
    const parsed = tenoviReplacementSchema.safeParse({ ...value, status: "Replaced" });
    return parsed.success ? { kind: "replacement", item: parsed.data } : `replacement: ${describe(parsed.error)}`;
  }
  const parsed = tenoviFulfillmentSchema.safeParse(value);
  return parsed.success ? { kind: "fulfillment", item: parsed.data } : `fulfillment: ${describe(parsed.error)}`;
}

// Parses a whole webhook body (one object or an array of them); any item that fits no kind rejects the delivery.
export function parseTenoviWebhookBody(body: unknown): TenoviWebhookParse {
  const rawItems = Array.isArray(body) ? body : [body];
  const items: TenoviWebhookItem[] = [];
  for (const [index, raw] of rawItems.entries()) {
    const result = classifyItem(raw);
    if (typeof result === "string") return { ok: false, error: Array.isArray(body) ? `item ${index}: ${result}` : result };
    items.push(result);
  }
  return { ok: true, items };
}
