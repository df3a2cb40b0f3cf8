import { z } from "zod";

// Tenovi HWI wire schemas, with Tenovi's own field names. Responses parse tolerantly (optional fields, unknown statuses
// and metrics kept as strings, numbers that arrive as strings coerced); requests are strict, because Pulseboard writes them.

// ---------------------------------------------------------------------------------------------------------------------
// Shared pieces

const text = z.string().nullish();
const idSchema = z.union([z.string(), z.number()]).transform(String);

// Tenovi documents sensor_code as a string ("10"); a number is accepted and turned into one.
export const tenoviSensorCodeSchema = z.union([z.string(), z.number()]).transform((code) => String(code).trim());

const numberFromWire = z.union([z.number(), z.string().trim().min(1).transform(Number)]).pipe(z.number());

// value_2 is a string, a number or null; an empty string counts as null.
const optionalNumberFromWire = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((value) => (value === undefined || value === null || (typeof value === "string" && value.trim() === "") ? null : Number(value)))
  .pipe(z.number().nullable());

// Doc examples carry keys with stray spaces ("status "): compare keys trimmed.
function trimKeys(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key.trim(), v]));
}

// ---------------------------------------------------------------------------------------------------------------------
// Responses

// A status as sent (trimmed). The documented values are TENOVI_STATUSES in ./statuses; unknown ones are kept.
export const tenoviStatusSchema = z.string().transform((status) => status.trim());

// The fulfillment request nested in a device. Fields after the documented ones are ASSUMPTIONs, hence optional.
export const tenoviFulfillmentRequestSchema = z.object({
  shipping_name: text,
  shipping_address: text,
  shipping_city: text,
  shipping_state: text,
  shipping_zip_code: text,
  shipped_on_behalf_of: text,
  shipping_tracking_link: text,
  require_signature: z.boolean().nullish(),
  client_notes: text,
  notify_emails: text,
  client_will_fulfill: z.boolean().nullish(),
  flagged_by_client: z.union([z.boolean(), z.string()]).nullish(),
  ship_gateway_only: z.boolean().nullish(),
  // ASSUMPTION: returned alongside the documented fields.
  id: idSchema.nullish(),
  created: text,
  shipping_status: text,
  shipped_on: text,
  delivered_on: text,
  requested_by: z.unknown().optional(),
  fulfilled: z.boolean().nullish(),
  invalid_address: z.boolean().nullish(),
  duplicate_device_at_address: z.boolean().nullish(),
});

// The patient nested in a device; present only when the activation carried one.
export const tenoviDevicePatientSchema = z.object({
  external_id: z.string(),
  name: text,
  phone_number: text,
  email: text,
  physician: text,
  clinic_name: text,
  care_manager: text,
  sms_opt_in: z.boolean().nullish(),
});

// The nested `device` of an HWI Device: the physical device type and where it reports from.
export const tenoviDeviceSchema = z.object({
  id: idSchema.nullish(),
  created: text,
  name: z.string(),
  sensor_code: tenoviSensorCodeSchema.nullish(),
  // Gateway ID (12 or 32 hex characters) or IMEI (15 digits); null until known.
  hardware_uuid: text,
  shared_hardware_uuid: z.boolean().nullish(),
  meta_data: z.unknown().optional(),
  fulfillment_request: tenoviFulfillmentRequestSchema.nullish(),
  // ASSUMPTION: seen in some payloads only.
  sensor_id: text,
  device_type: z.unknown().optional(),
  model_number: text,
});

// An HWI Device: `id` is the hwi_device_id that every webhook carries, the join key for Pulseboard.
export const tenoviHwiDeviceSchema = z.object({
  id: z.string(),
  status: tenoviStatusSchema,
  patient_id: text,
  patient_phone_number: text,
  patient: tenoviDevicePatientSchema.nullish(),
  device: tenoviDeviceSchema,
  // ASSUMPTION: timestamps some accounts return.
  connected_on: text,
  unlinked_on: text,
  last_measurement: text,
});

// A device type valid for the account. ASSUMPTION: beyond `name`, the shape is unpublished.
export const tenoviDeviceTypeSchema = z.object({
  id: idSchema.nullish(),
  name: z.string(),
  sensor_code: tenoviSensorCodeSchema.nullish(),
});

// A measurement, from the measurement endpoints or a webhook. value_1/value_2 are coerced to numbers.
export const tenoviMeasurementSchema = z.preprocess(
  trimKeys,
  z.object({
    metric: z.string().trim().min(1),
    device_name: text,
    hwi_device_id: z.string(),
    patient_id: text,
    hardware_uuid: text,
    sensor_code: tenoviSensorCodeSchema.nullish(),
    value_1: numberFromWire,
    value_2: optionalNumberFromWire,
    // Tenovi server time.
    created: text,
    // Device time.
    timestamp: z.string(),
    // ASSUMPTION: minutes.
    timezone_offset: numberFromWire.nullish(),
    estimated_timestamp: z.boolean().nullish(),
    filter_params: z.looseObject({ measurement_index: z.union([z.number(), z.string()]).nullish() }).nullish(),
  }),
);

// A measurement webhook body: one object, or an array of coincident ones when the webhook has post_as_array.
export const tenoviMeasurementWebhookSchema = z
  .union([z.array(tenoviMeasurementSchema), tenoviMeasurementSchema])
  .transform((body) => (Array.isArray(body) ? body : [body]));

// A fulfillment webhook. A replacement one has status "Replaced", the NEW id in hardware_uuid and the OLD in device_id.
export const tenoviFulfillmentWebhookSchema = z.preprocess(
  trimKeys,
  z.object({
    hwi_device_id: z.string(),
    patient_id: text,
    hardware_uuid: text,
    sensor_code: tenoviSensorCodeSchema.nullish(),
    device_name: text,
    status: tenoviStatusSchema,
    // The doc example is malformed, so any string is kept.
    tracking_link: text,
    device_id: text,
  }),
);

// A patient of the hwi-patients endpoints, keyed by external_id.
export const tenoviHwiPatientSchema = z.object({
  external_id: z.string(),
  name: text,
  address: text,
  city: text,
  state: text,
  zip_code: text,
  phone_number: text,
  email: text,
  physician: text,
  clinic_name: text,
  care_manager: text,
  sms_opt_in: z.boolean().nullish(),
  confirm_address: z.boolean().nullish(),
  // Read-only: "Verified" | "Invalid".
  address_status: text,
  address_verified_by: z.unknown().optional(),
});

// A gateway of the account (hwi-gateways).
export const tenoviGatewaySchema = z.object({
  gateway_uuid: z.string(),
  last_signal_strength: z.union([z.number(), z.string()]).nullish(),
  last_measurement: text,
  shipped_on: text,
  assigned_on: text,
});

// A replacement request. ASSUMPTION: beyond the request fields echoed back, the shape is unpublished.
export const tenoviReplacementSchema = z.object({
  id: idSchema,
  hwi_device_id: text,
  status: text,
  created: text,
  device_types: z.array(z.object({ name: z.string() })).nullish(),
  shipping_name: text,
  shipping_address: text,
  shipping_city: text,
  shipping_state: text,
  shipping_zip_code: text,
  notify_emails: text,
  tracking_link: text,
});

// `?page=N` answers with this envelope; `next` is an absolute URL, possibly on another host.
export function tenoviPageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int().nonnegative(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

// A list endpoint answers with a bare array without `page` and with the envelope with it; accept both.
export function tenoviListSchema<T extends z.ZodType>(item: T) {
  return z.union([z.array(item), tenoviPageSchema(item)]);
}

// Parsed response types (Tenovi field names, numbers coerced).
export type TenoviFulfillmentRequest = z.output<typeof tenoviFulfillmentRequestSchema>;
export type TenoviHwiDevice = z.output<typeof tenoviHwiDeviceSchema>;
export type TenoviDeviceType = z.output<typeof tenoviDeviceTypeSchema>;
export type TenoviMeasurement = z.output<typeof tenoviMeasurementSchema>;
// A measurement as the simulator sends it: values may be strings, value_2 may be null.
export type TenoviMeasurementWire = {
  metric: string;
  device_name: string;
  hwi_device_id: string;
  patient_id: string | null;
  hardware_uuid: string | null;
  sensor_code: string;
  value_1: string | number;
  value_2: string | number | null;
  created: string;
  timestamp: string;
  timezone_offset: number;
  estimated_timestamp: boolean;
  filter_params: { measurement_index: number };
};
// More parsed response types.
export type TenoviFulfillmentWebhook = z.output<typeof tenoviFulfillmentWebhookSchema>;
export type TenoviHwiPatient = z.output<typeof tenoviHwiPatientSchema>;
export type TenoviGateway = z.output<typeof tenoviGatewaySchema>;
export type TenoviReplacement = z.output<typeof tenoviReplacementSchema>;

// The key that pairs coincident measurements (a BPM's blood_pressure and pulse): device, device time and index.
export function measurementPairKey(m: Pick<TenoviMeasurement, "hwi_device_id" | "timestamp" | "filter_params">): string {
  return `${m.hwi_device_id}|${m.timestamp}|${m.filter_params?.measurement_index ?? ""}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Requests (strict: unknown keys are an error in Pulseboard's own payloads)

const nonEmpty = z.string().trim().min(1);

// One string of comma-separated email addresses, as Tenovi expects (not an array).
export const tenoviNotifyEmailsSchema = z
  .string()
  .refine(
    (value) => value.split(",").every((email) => z.email().safeParse(email.trim()).success),
    "notify_emails must be one string of comma-separated email addresses.",
  );

// ASSUMPTION: addresses are US-only (no country field), so a state is two letters and a ZIP has 5 or 9 digits.
const usState = z.string().regex(/^[A-Z]{2}$/, "Use the two-letter state code.");
const usZip = z.string().regex(/^\d{5}(-\d{4})?$/, "Use a 5-digit ZIP code (or ZIP+4).");

const fulfillmentRequestShape = {
  shipping_name: nonEmpty,
  // Address lines joined by "\n".
  shipping_address: nonEmpty,
  shipping_city: nonEmpty,
  shipping_state: usState,
  shipping_zip_code: usZip,
  shipped_on_behalf_of: nonEmpty.optional(),
  shipping_tracking_link: z.url().optional(),
  require_signature: z.boolean().optional(),
  client_notes: z.string().max(1000).optional(),
  notify_emails: tenoviNotifyEmailsSchema.optional(),
  client_will_fulfill: z.boolean(),
  flagged_by_client: z.boolean().nullable().optional(),
  ship_gateway_only: z.boolean().optional(),
};

// The shipping request of a use case #2 or #3 activation.
export const tenoviFulfillmentRequestPayloadSchema = z.strictObject(fulfillmentRequestShape);

const patientShape = {
  external_id: nonEmpty,
  name: nonEmpty.optional(),
  phone_number: nonEmpty.optional(),
  email: z.email().optional(),
  physician: nonEmpty.optional(),
  clinic_name: nonEmpty.optional(),
  care_manager: nonEmpty.optional(),
  // Tenovi defaults this to true; Pulseboard always sends it, false unless consent is recorded.
  sms_opt_in: z.boolean(),
};

// The patient of an activation request; external_id is required whenever a patient is sent.
export const tenoviPatientPayloadSchema = z.strictObject(patientShape);

// The activation (create) request of POST /hwi/hwi-devices/, for every documented use case.
export const tenoviActivationPayloadSchema = z
  .strictObject({
    patient_id: nonEmpty.optional(),
    patient_phone_number: nonEmpty.optional(),
    patient: tenoviPatientPayloadSchema.optional(),
    device: z.strictObject({
      // Must exactly match a device type of the account (hyphens, not the docs' en dashes).
      name: nonEmpty,
      // Gateway ID or IMEI when known (on site, or an additional device for an existing gateway); otherwise null.
      hardware_uuid: nonEmpty.nullable(),
      fulfillment_request: tenoviFulfillmentRequestPayloadSchema.nullable().optional(),
    }),
  })
  .superRefine((payload, ctx) => {
    const fulfillment = payload.device.fulfillment_request;
    if (!fulfillment && payload.device.hardware_uuid === null) {
      ctx.addIssue({ code: "custom", path: ["device", "hardware_uuid"], message: "Give the Gateway ID or IMEI, or a fulfillment_request to ship the device." });
    }
    if (fulfillment?.client_will_fulfill && fulfillment.ship_gateway_only) {
      // ASSUMPTION: gateway-only is a Tenovi drop-ship option.
      ctx.addIssue({ code: "custom", path: ["device", "fulfillment_request", "ship_gateway_only"], message: "ship_gateway_only applies only when Tenovi ships." });
    }
    if (payload.patient && payload.patient_id && payload.patient_id !== payload.patient.external_id) {
      ctx.addIssue({ code: "custom", path: ["patient_id"], message: "patient_id must equal patient.external_id." });
    }
  });

// PATCH /hwi/hwi-devices/{id}/: public clients resend device.name and device.hardware_uuid with the change.
export const tenoviDevicePatchPayloadSchema = z.strictObject({
  patient_id: nonEmpty.optional(),
  patient_phone_number: nonEmpty.optional(),
  patient: z.strictObject({ ...patientShape, sms_opt_in: z.boolean().optional() }).optional(),
  device: z
    .strictObject({
      name: nonEmpty,
      hardware_uuid: nonEmpty.nullable(),
      // ASSUMPTION: a clinic records its own shipment by sending the tracking link.
      fulfillment_request: z.strictObject({ shipping_tracking_link: z.url() }).optional(),
    })
    .optional(),
});

const hwiPatientShape = {
  ...patientShape,
  address: nonEmpty.optional(),
  city: nonEmpty.optional(),
  state: usState.optional(),
  zip_code: usZip.optional(),
  // true skips Tenovi's address checks.
  confirm_address: z.boolean().optional(),
};

// POST /hwi/hwi-patients/ and PUT …/{external_id}/.
export const tenoviHwiPatientPayloadSchema = z.strictObject(hwiPatientShape);

// PATCH /hwi/hwi-patients/{external_id}/ (every field optional; the edit reaches each device sharing the external_id).
export const tenoviHwiPatientPatchPayloadSchema = z.strictObject(hwiPatientShape).partial();

// POST /hwi/hwi-replacements/: `{name: "Gateway"}` in device_types asks for a new gateway.
export const tenoviReplacementPayloadSchema = z.strictObject({
  hwi_device_id: nonEmpty,
  device_types: z.array(z.strictObject({ name: nonEmpty })).min(1),
  shipping_name: nonEmpty,
  shipping_address: nonEmpty,
  shipping_city: nonEmpty,
  shipping_state: usState,
  shipping_zip_code: usZip,
  notify_emails: tenoviNotifyEmailsSchema.optional(),
});

// Request payload types, as sent on the wire.
export type TenoviActivationPayload = z.output<typeof tenoviActivationPayloadSchema>;
export type TenoviFulfillmentRequestPayload = z.output<typeof tenoviFulfillmentRequestPayloadSchema>;
export type TenoviPatientPayload = z.output<typeof tenoviPatientPayloadSchema>;
export type TenoviDevicePatchPayload = z.output<typeof tenoviDevicePatchPayloadSchema>;
export type TenoviHwiPatientPayload = z.output<typeof tenoviHwiPatientPayloadSchema>;
export type TenoviHwiPatientPatchPayload = z.output<typeof tenoviHwiPatientPatchPayloadSchema>;
export type TenoviReplacementPayload = z.output<typeof tenoviReplacementPayloadSchema>;
