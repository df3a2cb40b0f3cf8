import { z } from "zod";

// Wire schemas for Validic Inform v2, with Validic's field names. Responses are parsed tolerantly: extra fields are
// kept (looseObject), unknown metric and record types are kept as strings, so a vendor addition never drops data.

// The four Smart Meter device types Direct Connection accepts (vendor-docs, "device_type must be one of").
export const SMART_METER_DEVICE_TYPES = ["blood_glucose", "blood_pressure", "weight_scale", "pulse_oximeter"] as const;

// A Smart Meter device type, for forms and the connect call.
export const smartMeterDeviceTypeSchema = z.enum(SMART_METER_DEVICE_TYPES);
export type SmartMeterDeviceType = z.infer<typeof smartMeterDeviceTypeSchema>;

// The `source.type` of every Smart Meter record and connection.
export const SMART_METER_SOURCE = "smart_meter";

// A user's location, sent when provisioning and returned on the user.
export const validicLocationSchema = z.looseObject({
  timezone: z.string().nullish(),
  country_code: z.string().nullish(),
});
export type ValidicLocation = z.infer<typeof validicLocationSchema>;

// ASSUMPTION: a user's `sources[]` items are `{type, connected_at}` (vendor-notes §2).
export const validicUserSourceSchema = z.looseObject({
  type: z.string(),
  connected_at: z.string().nullish(),
});

// A Validic user: `id` is Validic's, `uid` is ours; the marketplace token authenticates Direct Connection.
export const validicUserSchema = z.looseObject({
  id: z.string(),
  uid: z.string(),
  marketplace: z.looseObject({ token: z.string(), url: z.string() }),
  mobile: z.looseObject({ token: z.string() }).nullish(),
  location: validicLocationSchema.nullish(),
  sources: z.array(validicUserSourceSchema).default([]),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  last_processed_at: z.string().nullish(),
});
export type ValidicUser = z.infer<typeof validicUserSchema>;

// ASSUMPTION: the user list is wrapped as `{data: [...]}` (vendor-notes §2).
export const validicUserListSchema = z.looseObject({
  data: z.array(validicUserSchema),
});

// One Direct Connection: the connect answer (202), and with deleted_at/deleted_reason the disconnect answer.
export const directConnectionSchema = z.looseObject({
  credentials: z.looseObject({
    device_id: z.string(),
    // Kept as a string: a device type added by Smart Meter must not fail the parse.
    device_type: z.string(),
    // null after connect, "" in the disconnect_all sample.
    device_name: z.string().nullish(),
  }),
  type: z.string(),
  created_at: z.string(),
  deleted_at: z.string().nullish(),
  deleted_reason: z.string().nullish(),
});
export type DirectConnection = z.infer<typeof directConnectionSchema>;

// The disconnect_all answer: how many connections were removed, and each of them.
export const disconnectAllSchema = z.looseObject({
  meta: z.looseObject({ total: z.number() }),
  connections: z.array(directConnectionSchema),
});
export type DisconnectAllResult = z.infer<typeof disconnectAllSchema>;

// The Direct Connection connect request body: every value a string (vendor-docs Note 1).
export const connectRequestSchema = z.strictObject({
  token: z.string(),
  device_id: z.string(),
  device_type: z.string(),
});
export type ConnectRequest = z.infer<typeof connectRequestSchema>;

// One metric of a record; walk `metrics[]` by `type`, unknown types included.
export const validicMetricSchema = z.looseObject({
  type: z.string(),
  origin: z.string().nullish(),
  unit: z.string().nullish(),
  value: z.number().nullable(),
});
export type ValidicMetric = z.infer<typeof validicMetricSchema>;

// Tags such as `{name: "out_of_bounds_blood_glucose", value: "low"}`; bare strings are kept too.
export const validicTagSchema = z.union([z.looseObject({ name: z.string(), value: z.string().nullish() }), z.string()]);

// User notes such as `{type: "relationship_to_meal", value: "before"}`; bare strings are kept too.
export const validicUserNoteSchema = z.union([z.looseObject({ type: z.string(), value: z.unknown() }), z.string()]);

// The device that took a reading; Smart Meter puts the IMEI in `id`.
export const validicDeviceSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  manufacturer: z.string().nullish(),
  diagnostics: z.array(z.unknown()).default([]),
});

// One Validic record (measurement, summary, nutrition, …), the same on REST, streams and push.
export const validicRecordSchema = z.looseObject({
  id: z.string(),
  checksum: z.string(),
  created_at: z.string(),
  deleted_at: z.string().nullable().default(null),
  start_time: z.string(),
  end_time: z.string().nullish(),
  // Seconds east of UTC: -14400 is UTC-4.
  utc_offset: z.number(),
  offset_origin: z.string().nullish(),
  log_id: z.string().nullish(),
  type: z.string(),
  version: z.string().nullish(),
  tags: z.array(validicTagSchema).default([]),
  user_notes: z.array(validicUserNoteSchema).default([]),
  metrics: z.array(validicMetricSchema).default([]),
  source: z.looseObject({ type: z.string(), device: validicDeviceSchema.nullish() }),
  user: z.looseObject({ organization_id: z.string(), user_id: z.string(), uid: z.string() }),
});
export type ValidicRecord = z.infer<typeof validicRecordSchema>;

// ASSUMPTION: the REST records endpoint answers `{data: [...], summary?}` (vendor-notes §2 gives no shape). Records are
// left unparsed, as in a push batch: each is checked where it is processed, so one odd record does not lose the rest.
export const validicRecordListSchema = z.looseObject({
  summary: z.looseObject({}).nullish(),
  data: z.array(z.unknown()),
});

// One Push Service delivery: `id` matches Validic's PushTransmitEvent.
export const validicPushBatchSchema = z.looseObject({
  id: z.string(),
  data: z.array(validicRecordSchema),
  meta: z.looseObject({ count: z.number().int() }),
});
export type ValidicPushBatch = z.infer<typeof validicPushBatchSchema>;

// The same delivery with records left unparsed, so a receiver can parse each record and keep the rest of a batch.
export const validicPushEnvelopeSchema = z.looseObject({
  id: z.string(),
  data: z.array(z.unknown()),
  meta: z.looseObject({ count: z.number().int() }),
});

// Validic's (and our simulator's) error body. ASSUMPTION: `{message}`, no error contract is published.
export const validicErrorSchema = z.looseObject({ message: z.string() });
