import { z } from "zod";

// Inbound Validic Inform v2 shapes: the Push Service batch and the record it carries (the same record as on REST and
// streams). Parsed tolerantly: unknown fields are kept, optional ones may be missing, so a new Validic field never
// drops a batch. Field names stay Validic's; lib/ingest/process-validic.ts maps them to ours.

// A push batch: `{id, data: [records], meta: {count}}`; records are checked one by one when processed.
export const validicPushBatchSchema = z.looseObject({
  id: z.string().min(1),
  data: z.array(z.unknown()),
  meta: z.looseObject({ count: z.number().int().nonnegative() }),
});

export type ValidicPushBatch = z.infer<typeof validicPushBatchSchema>;

// One metric of a record, e.g. `{type: "systolic", origin: "device", unit: "mmHg", value: 120}`.
export const validicMetricSchema = z.looseObject({
  type: z.string().min(1),
  origin: z.string().nullish(),
  unit: z.string().nullish(),
  // Null or missing when the source sent no value; such metrics produce no reading.
  value: z.number().nullish(),
});

export type ValidicMetric = z.infer<typeof validicMetricSchema>;

// `{name: "out_of_bounds_blood_glucose", value: "low"}`; tags of other shapes are kept in the payload and ignored.
export const validicTagSchema = z.looseObject({ name: z.string(), value: z.unknown().optional() });

// `{type: "relationship_to_meal", value: "before"}`.
export const validicUserNoteSchema = z.looseObject({ type: z.string(), value: z.unknown().optional() });

// Bounded to what PostgreSQL stores (years 1 to 9999 as written here), so a record with a time it cannot store is
// skipped with a note instead of failing its whole batch in the database.
const isoTimestamp = z.string().refine((value) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  const year = new Date(time).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, "not an ISO 8601 timestamp between the years 1 and 9999");

// A Validic record (measurement, summary, nutrition, …).
export const validicRecordSchema = z.looseObject({
  // Validic's ids are 24 hex characters; the bound keeps a key within what PostgreSQL's indexes take.
  id: z.string().min(1).max(255),
  checksum: z.string().nullish(),
  created_at: z.string().nullish(),
  // Set when the user or source deleted the record; pushes carry deletions as updates.
  deleted_at: isoTimestamp.nullish(),
  start_time: isoTimestamp,
  end_time: z.string().nullish(),
  // Whole seconds east of UTC (−14400 is UTC−4); real offsets lie within ±14 h, ISO 8601 allows ±18 h.
  utc_offset: z.number().int().min(-64_800).max(64_800).nullish(),
  offset_origin: z.string().nullish(),
  log_id: z.string().nullish(),
  type: z.string().min(1),
  version: z.string().nullish(),
  tags: z.array(z.unknown()).nullish(),
  user_notes: z.array(z.unknown()).nullish(),
  metrics: z.array(validicMetricSchema).nullish(),
  source: z
    .looseObject({
      type: z.string().nullish(),
      // For Smart Meter, `id` is the device IMEI.
      device: z
        .looseObject({ id: z.union([z.string(), z.number()]).nullish(), model: z.string().nullish(), manufacturer: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
  user: z.looseObject({ organization_id: z.string().nullish(), user_id: z.string().nullish(), uid: z.string().nullish() }).nullish(),
});

export type ValidicRecord = z.infer<typeof validicRecordSchema>;
