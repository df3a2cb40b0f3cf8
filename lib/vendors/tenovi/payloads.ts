import { z } from "zod";

import { AppError } from "@/lib/errors";
import { isImei } from "@/lib/vendors/tenovi/device-catalog";
import {
  tenoviActivationPayloadSchema,
  tenoviHwiPatientPatchPayloadSchema,
  tenoviHwiPatientPayloadSchema,
  tenoviReplacementPayloadSchema,
  type TenoviActivationPayload,
  type TenoviFulfillmentRequestPayload,
  type TenoviHwiPatientPatchPayload,
  type TenoviHwiPatientPayload,
  type TenoviPatientPayload,
  type TenoviReplacementPayload,
} from "@/lib/vendors/tenovi/schemas";

// Pulseboard's typed inputs for Tenovi requests, and the one place each maps to Tenovi's wire payload.

const nonEmpty = z.string().trim().min(1);

// Where a shipment goes (US-only, as Tenovi's fulfillment is).
export const tenoviShippingInputSchema = z.object({
  name: nonEmpty,
  addressLines: z.array(nonEmpty).min(1).max(3),
  city: nonEmpty,
  state: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, "Use the two-letter state code.")
    .transform((state) => state.toUpperCase()),
  zipCode: z
    .string()
    .trim()
    .regex(/^\d{5}(-\d{4})?$/, "Use a 5-digit ZIP code (or ZIP+4)."),
  onBehalfOf: nonEmpty.optional(),
  notifyEmails: z.array(z.email()).optional(),
  requireSignature: z.boolean().optional(),
  clientNotes: z.string().trim().max(1000).optional(),
});

// The patient sent with an activation or to hwi-patients; externalId is Pulseboard's own patient id.
export const tenoviPatientInputSchema = z.object({
  externalId: nonEmpty,
  name: nonEmpty.optional(),
  phoneNumber: nonEmpty.optional(),
  email: z.email().optional(),
  physician: nonEmpty.optional(),
  clinicName: nonEmpty.optional(),
  careManager: nonEmpty.optional(),
  // Tenovi's sms_opt_in defaults to true; it is sent true only when SMS consent is recorded.
  hasSmsConsent: z.boolean().default(false),
});

const deviceName = nonEmpty;
const patient = tenoviPatientInputSchema.optional();

// Every documented way a patient gets a device, one variant each.
export const tenoviActivationInputSchema = z.discriminatedUnion("kind", [
  // Use case 1, gateway-connected: the device is handed over on site and the Gateway ID is known.
  z.object({ kind: z.literal("on-site-gateway"), deviceName, gatewayId: nonEmpty, patient }),
  // Use case 1, direct-cellular: the device is handed over on site and its IMEI is known.
  z.object({ kind: z.literal("on-site-cellular"), deviceName, imei: z.string().trim().refine(isImei, "An IMEI has 15 digits."), patient }),
  // Use case 2: the clinic's staff ship the device (client_will_fulfill true).
  z.object({ kind: z.literal("clinic-ships"), deviceName, shipping: tenoviShippingInputSchema, patient }),
  // Use case 3: Tenovi drop-ships the device.
  z.object({ kind: z.literal("tenovi-ships"), deviceName, shipping: tenoviShippingInputSchema, patient }),
  // Use case 3, gateway only: the patient already has a compatible device, Tenovi ships just the gateway.
  z.object({ kind: z.literal("gateway-only"), deviceName, shipping: tenoviShippingInputSchema, patient }),
  // A further device for a patient whose gateway is already at home: no second gateway is sent.
  z.object({
    kind: z.literal("additional-device"),
    deviceName,
    existingGatewayId: nonEmpty,
    shipping: tenoviShippingInputSchema,
    clinicShips: z.boolean().default(false),
    patient,
  }),
]);

// Input types (what callers pass) of the schemas above.
export type TenoviShippingInput = z.input<typeof tenoviShippingInputSchema>;
export type TenoviPatientInput = z.input<typeof tenoviPatientInputSchema>;
export type TenoviActivationInput = z.input<typeof tenoviActivationInputSchema>;
export type TenoviActivationKind = TenoviActivationInput["kind"];

// An hwi-patients record: the patient plus a postal address.
export const tenoviHwiPatientInputSchema = tenoviPatientInputSchema.extend({
  address: z
    .object({
      lines: z.array(nonEmpty).min(1).max(3),
      city: nonEmpty,
      state: tenoviShippingInputSchema.shape.state,
      zipCode: tenoviShippingInputSchema.shape.zipCode,
    })
    .optional(),
  // true skips Tenovi's address verification.
  confirmAddress: z.boolean().optional(),
});
export type TenoviHwiPatientInput = z.input<typeof tenoviHwiPatientInputSchema>;

// A replacement: which device types to send ("Gateway" for a gateway) and where.
export const tenoviReplacementInputSchema = z.object({
  hwiDeviceId: nonEmpty,
  deviceNames: z.array(nonEmpty).min(1),
  shipping: tenoviShippingInputSchema.pick({ name: true, addressLines: true, city: true, state: true, zipCode: true, notifyEmails: true }),
});
export type TenoviReplacementInput = z.input<typeof tenoviReplacementInputSchema>;

function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || what}: ${i.message}`);
  throw new AppError("INVALID_INPUT", `The ${what} is incomplete: ${issues.join("; ")}`, { details: { issues } });
}

function parseOutgoing<S extends z.ZodType>(schema: S, payload: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new AppError("INVALID_INPUT", `Pulseboard built a ${what} Tenovi would reject: ${issues.join("; ")}`, { details: { issues } });
}

type ParsedShipping = z.output<typeof tenoviShippingInputSchema>;
type ParsedPatient = z.output<typeof tenoviPatientInputSchema>;

function toFulfillmentRequest(
  shipping: ParsedShipping,
  flags: { clientWillFulfill: boolean; shipGatewayOnly: boolean },
): TenoviFulfillmentRequestPayload {
  return {
    shipping_name: shipping.name,
    shipping_address: shipping.addressLines.join("\n"),
    shipping_city: shipping.city,
    shipping_state: shipping.state,
    shipping_zip_code: shipping.zipCode,
    ...(shipping.onBehalfOf ? { shipped_on_behalf_of: shipping.onBehalfOf } : {}),
    require_signature: shipping.requireSignature ?? false,
    ...(shipping.clientNotes ? { client_notes: shipping.clientNotes } : {}),
    ...(shipping.notifyEmails?.length ? { notify_emails: shipping.notifyEmails.join(",") } : {}),
    client_will_fulfill: flags.clientWillFulfill,
    ship_gateway_only: flags.shipGatewayOnly,
  };
}

function toPatientPayload(p: ParsedPatient): TenoviPatientPayload {
  return {
    external_id: p.externalId,
    ...(p.name ? { name: p.name } : {}),
    ...(p.phoneNumber ? { phone_number: p.phoneNumber } : {}),
    ...(p.email ? { email: p.email } : {}),
    ...(p.physician ? { physician: p.physician } : {}),
    ...(p.clinicName ? { clinic_name: p.clinicName } : {}),
    ...(p.careManager ? { care_manager: p.careManager } : {}),
    sms_opt_in: p.hasSmsConsent,
  };
}

// The patient fields of an HWI Device (root patient_id and patient_phone_number plus the nested patient).
export function toDevicePatientFields(input: TenoviPatientInput): Required<Pick<TenoviActivationPayload, "patient_id" | "patient">> & {
  patient_phone_number?: string;
} {
  const p = parseInput(tenoviPatientInputSchema, input, "patient");
  return {
    patient_id: p.externalId,
    ...(p.phoneNumber ? { patient_phone_number: p.phoneNumber } : {}),
    patient: toPatientPayload(p),
  };
}

function deviceFor(input: z.output<typeof tenoviActivationInputSchema>): TenoviActivationPayload["device"] {
  switch (input.kind) {
    case "on-site-gateway":
      return { name: input.deviceName, hardware_uuid: input.gatewayId };
    case "on-site-cellular":
      return { name: input.deviceName, hardware_uuid: input.imei };
    case "clinic-ships":
      return { name: input.deviceName, hardware_uuid: null, fulfillment_request: toFulfillmentRequest(input.shipping, { clientWillFulfill: true, shipGatewayOnly: false }) };
    case "tenovi-ships":
      return { name: input.deviceName, hardware_uuid: null, fulfillment_request: toFulfillmentRequest(input.shipping, { clientWillFulfill: false, shipGatewayOnly: false }) };
    case "gateway-only":
      return { name: input.deviceName, hardware_uuid: null, fulfillment_request: toFulfillmentRequest(input.shipping, { clientWillFulfill: false, shipGatewayOnly: true }) };
    case "additional-device":
      // The existing gateway's ID tells Tenovi's fulfillment team not to send another gateway.
      return {
        name: input.deviceName,
        hardware_uuid: input.existingGatewayId,
        fulfillment_request: toFulfillmentRequest(input.shipping, { clientWillFulfill: input.clinicShips, shipGatewayOnly: false }),
      };
  }
}

// Maps an activation input to the body of POST /hwi/hwi-devices/ (checked against Tenovi's rules before sending).
export function toActivationPayload(input: TenoviActivationInput): TenoviActivationPayload {
  const parsed = parseInput(tenoviActivationInputSchema, input, "device activation");
  const patientFields = parsed.patient ? toDevicePatientFields(parsed.patient) : {};
  return parseOutgoing(tenoviActivationPayloadSchema, { ...patientFields, device: deviceFor(parsed) }, "device activation");
}

// Maps a patient to the body of POST/PUT /hwi/hwi-patients/.
export function toHwiPatientPayload(input: TenoviHwiPatientInput): TenoviHwiPatientPayload {
  const p = parseInput(tenoviHwiPatientInputSchema, input, "Tenovi patient");
  const payload = {
    ...toPatientPayload(p),
    ...(p.address
      ? { address: p.address.lines.join("\n"), city: p.address.city, state: p.address.state, zip_code: p.address.zipCode }
      : {}),
    ...(p.confirmAddress === undefined ? {} : { confirm_address: p.confirmAddress }),
  };
  return parseOutgoing(tenoviHwiPatientPayloadSchema, payload, "Tenovi patient");
}

// Maps a partial patient edit to the body of PATCH /hwi/hwi-patients/{external_id}/ (only the fields given).
export function toHwiPatientPatchPayload(input: Partial<Omit<TenoviHwiPatientInput, "externalId">>): TenoviHwiPatientPatchPayload {
  const payload = {
    ...(input.name ? { name: input.name } : {}),
    ...(input.phoneNumber ? { phone_number: input.phoneNumber } : {}),
    ...(input.email ? { email: input.email } : {}),
    ...(input.physician ? { physician: input.physician } : {}),
    ...(input.clinicName ? { clinic_name: input.clinicName } : {}),
    ...(input.careManager ? { care_manager: input.careManager } : {}),
    ...(input.hasSmsConsent === undefined ? {} : { sms_opt_in: input.hasSmsConsent }),
    ...(input.address
      ? { address: input.address.lines.join("\n"), city: input.address.city, state: input.address.state.toUpperCase(), zip_code: input.address.zipCode }
      : {}),
    ...(input.confirmAddress === undefined ? {} : { confirm_address: input.confirmAddress }),
  };
  return parseOutgoing(tenoviHwiPatientPatchPayloadSchema, payload, "Tenovi patient update");
}

// Maps a replacement request to the body of POST /hwi/hwi-replacements/.
export function toReplacementPayload(input: TenoviReplacementInput): TenoviReplacementPayload {
  const r = parseInput(tenoviReplacementInputSchema, input, "replacement request");
  const payload = {
    hwi_device_id: r.hwiDeviceId,
    device_types: r.deviceNames.map((name) => ({ name })),
    shipping_name: r.shipping.name,
    shipping_address: r.shipping.addressLines.join("\n"),
    shipping_city: r.shipping.city,
    shipping_state: r.shipping.state,
    shipping_zip_code: r.shipping.zipCode,
    ...(r.shipping.notifyEmails?.length ? { notify_emails: r.shipping.notifyEmails.join(",") } : {}),
  };
  return parseOutgoing(tenoviReplacementPayloadSchema, payload, "replacement request");
}
