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

const isoTimestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "not an ISO 8601 timestamp");

// A Validic record (measurement, summary, nutrition, …).
export const validicRecordSchema = z.looseObject({
  id: z.string().min(1),
  checksum: z.string().nullish(),
  created_at: z.string().nullish(),
  // Set when the user or source deleted the record; pushes carry deletions as updates.
  deleted_at: isoTimestamp.nullish(),
  start_time: isoTimestamp,
  end_time: z.string().nullish(),
  // Seconds east of UTC (−14400 is UTC−4).
  utc_offset: z.number().int().nullish(),
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
