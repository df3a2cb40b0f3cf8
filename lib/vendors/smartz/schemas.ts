import { z } from "zod";

// Wire schemas for the Smartz Connect API. They keep Smartz's field names and parse tolerantly: unknown fields are
// dropped, optional fields may be missing or null. Only the gateway, the keys and POST /v1/token are published
// (vendor-notes §3); every other shape here is an ASSUMPTION until the portal's definitions replace it.

// Ids may arrive as strings or numbers; we keep them as strings.
const idSchema = z.union([z.string().min(1), z.number()]).transform(String);
// A timestamp Date.parse understands (ISO 8601 with an offset, in practice).
const timestampSchema = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "Expected a date-time");
const optionalText = z.string().nullish();

// ─── Application API (published endpoint; body shapes ASSUMPTION) ─────────────

// ASSUMPTION: RFC 6749 §5.1 token response; `expires_in` in seconds, `token_type` tolerated (vendor-notes §3).
export const smartzTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().optional(),
});
export type SmartzTokenResponse = z.infer<typeof smartzTokenResponseSchema>;

// ASSUMPTION: Azure API Management's default error body, e.g. 401 for a missing x-sub-key or a bad JWT, 429 for a rate limit.
export const smartzApimErrorSchema = z.object({ statusCode: z.number().int(), message: z.string() });
export type SmartzApimError = z.infer<typeof smartzApimErrorSchema>;

// ASSUMPTION: the token endpoint answers bad client credentials with an RFC 6749 §5.2 error body.
export const smartzOAuthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

// ─── Organisation API (all ASSUMPTION) ────────────────────────────────────────

// ASSUMPTION: the organisation the application is linked to (one per application, through the Link Code).
export const smartzOrganisationSchema = z.object({
  id: idSchema,
  name: z.string(),
  timezone: optionalText,
  createdAt: timestampSchema.nullish(),
});
export type SmartzOrganisation = z.infer<typeof smartzOrganisationSchema>;

// ASSUMPTION: a manufacturer linked to the organisation.
export const smartzManufacturerSchema = z.object({
  id: idSchema,
  name: z.string(),
  country: optionalText,
  website: optionalText,
});
export type SmartzManufacturer = z.infer<typeof smartzManufacturerSchema>;

// ASSUMPTION: one product in a manufacturer's catalogue (a diaper model a patient can wear).
export const smartzProductSchema = z.object({
  id: idSchema,
  manufacturerId: idSchema,
  name: z.string(),
  size: optionalText,
  absorbencyMl: z.number().nullish(),
});
export type SmartzProduct = z.infer<typeof smartzProductSchema>;

// ASSUMPTION: known device types; others are kept as sent.
export const SMARTZ_DEVICE_TYPES = ["pod", "node"] as const;
export type SmartzDeviceType = (typeof SMARTZ_DEVICE_TYPES)[number];

// ASSUMPTION: a Smartz Pod (wearable transceiver) or Node (Wi-Fi/Bluetooth-mesh gateway).
export const smartzDeviceSchema = z.object({
  id: idSchema,
  type: z.string(),
  serialNumber: z.string(),
  status: optionalText,
  firmwareVersion: optionalText,
  // Pods only: who wears it and which node relays it.
  patientId: idSchema.nullish(),
  nodeId: idSchema.nullish(),
  batteryLevel: z.number().nullish(),
  // Nodes only: where the gateway is installed.
  location: optionalText,
  lastSeenAt: timestampSchema.nullish(),
});
export type SmartzDevice = z.infer<typeof smartzDeviceSchema>;

// ASSUMPTION: a patient of the organisation; `podIds` are the pods linked to them (needed for real-time status).
export const smartzPatientSchema = z.object({
  id: idSchema,
  firstName: optionalText,
  lastName: optionalText,
  externalId: optionalText,
  dateOfBirth: optionalText,
  manufacturerId: idSchema.nullish(),
  productId: idSchema.nullish(),
  podIds: z.array(idSchema).nullish().transform((ids) => ids ?? []),
  createdAt: timestampSchema.nullish(),
});
export type SmartzPatient = z.infer<typeof smartzPatientSchema>;

// ASSUMPTION: known diaper states; others are kept as sent.
export const SMARTZ_DIAPER_STATES = ["dry", "damp", "wet", "soiled", "unknown"] as const;

// ASSUMPTION: a patient's current status as the pod last reported it.
export const smartzPatientStatusSchema = z.object({
  patientId: idSchema,
  diaperState: z.string(),
  // 0–100, how saturated the pad is.
  saturation: z.number().nullish(),
  voidsSinceChange: z.number().int().nullish(),
  podId: idSchema.nullish(),
  podConnected: z.boolean().nullish(),
  batteryLevel: z.number().nullish(),
  lastEventAt: timestampSchema.nullish(),
  lastChangeAt: timestampSchema.nullish(),
  updatedAt: timestampSchema.nullish(),
});
export type SmartzPatientStatus = z.infer<typeof smartzPatientStatusSchema>;

// ASSUMPTION: known event types (urination, saturation threshold crossed, bowel movement, diaper changed); others are kept.
export const SMARTZ_EVENT_TYPES = ["void", "wet", "bowel", "change"] as const;
export type SmartzEventType = (typeof SMARTZ_EVENT_TYPES)[number];

// Narrows a wire event type to the ones Pulseboard knows how to show.
export function isKnownSmartzEventType(type: string): type is SmartzEventType {
  return (SMARTZ_EVENT_TYPES as readonly string[]).includes(type);
}

// ASSUMPTION: one diaper event reported by a pod.
export const smartzEventSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  deviceId: idSchema.nullish(),
  type: z.string(),
  severity: optionalText,
  saturation: z.number().nullish(),
  occurredAt: timestampSchema,
});
export type SmartzEvent = z.infer<typeof smartzEventSchema>;

// ASSUMPTION: an alert Smartz raised for a patient (wet, bowel, pod offline, low battery, …).
export const smartzAlertSchema = z.object({
  id: idSchema,
  patientId: idSchema,
  deviceId: idSchema.nullish(),
  type: z.string(),
  severity: optionalText,
  status: optionalText,
  message: optionalText,
  raisedAt: timestampSchema,
  resolvedAt: timestampSchema.nullish(),
});
export type SmartzAlert = z.infer<typeof smartzAlertSchema>;

// ─── List envelopes ──────────────────────────────────────────────────────────

// One page of a list, whatever envelope it came in.
export type SmartzPage<T> = { items: T[]; nextCursor: string | null; hasMore: boolean };

// ASSUMPTION: lists come as `{data, nextCursor, hasMore}`; a bare array, `{items}` and Azure's `{value}` are accepted too.
// `nextCursor` is where to resume; without `hasMore`, a cursor means there may be more. An envelope without any list key
// is rejected rather than read as empty.
export function smartzListSchema<T extends z.ZodType>(item: T) {
  const items = z.array(item);
  const bare = items.transform((list): SmartzPage<z.output<T>> => ({ items: list, nextCursor: null, hasMore: false }));
  const envelope = z
    .object({
      data: items.optional(),
      items: items.optional(),
      value: items.optional(),
      nextCursor: z.string().nullish(),
      cursor: z.string().nullish(),
      hasMore: z.boolean().nullish(),
    })
    .refine((body) => body.data ?? body.items ?? body.value, "Expected a list under data, items or value")
    .transform((body): SmartzPage<z.output<T>> => {
      const nextCursor = body.nextCursor ?? body.cursor ?? null;
      return { items: body.data ?? body.items ?? body.value ?? [], nextCursor, hasMore: body.hasMore ?? nextCursor !== null };
    });
  return z.union([bare, envelope]);
}
