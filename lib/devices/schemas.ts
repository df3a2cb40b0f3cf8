import { z } from "zod";

import { imeiProblem } from "@/lib/vendors/validic/imei";
import { SMART_METER_DEVICE_TYPES } from "@/lib/vendors/validic/schemas";

// Inputs of the device lifecycle actions, shared by the dialogs (quick feedback) and the server (the real check).
// Every schema accepts its own output (parsing twice changes nothing), so a server action's parsed input can be
// handed to the service, which parses again for its other callers.

const id = z.string().trim().min(1).max(100);
const reason = z.string().trim().min(3, "Say briefly why (3 characters or more).").max(300);

// An IMEI as pasted or scanned: spaces, dashes and dots are dropped.
export function normalizeImei(value: string): string {
  return value.replace(/[\s\-.]/g, "");
}

// An IMEI field: normalized, then 15 digits with a valid Luhn check digit (the same rule Validic's client applies).
export const imeiInputSchema = z
  .string()
  .transform(normalizeImei)
  .superRefine((value, ctx) => {
    const problem = imeiProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

// A Tenovi gateway ID as printed (12 or 32 hex characters in practice): spaces dropped, upper-cased.
export const gatewayIdInputSchema = z
  .string()
  .transform((value) => value.replace(/\s/g, "").toUpperCase())
  .pipe(z.string().regex(/^[0-9A-F-]{8,40}$/, "A gateway ID is the 12- or 32-character code printed on the gateway (0–9, A–F)."));

// A US shipping address (Tenovi ships to the US only): two-letter state, ZIP of 5 or 9 digits.
export const shippingAddressSchema = z.object({
  name: z.string().trim().min(1, "Enter who the parcel is for.").max(120),
  line1: z.string().trim().min(1, "Enter the street address.").max(200),
  line2: z.string().trim().max(200).optional().transform((v) => (v ? v : undefined)),
  city: z.string().trim().min(1, "Enter the city.").max(100),
  state: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, "Use the two-letter state code, e.g. OH.")
    .transform((s) => s.toUpperCase()),
  zipCode: z
    .string()
    .trim()
    .regex(/^\d{5}(-?\d{4})?$/, "Use a 5-digit ZIP code or ZIP+4 (9 digits).")
    // Tenovi expects ZIP+4 with its hyphen.
    .transform((zip) => (zip.length === 9 ? `${zip.slice(0, 5)}-${zip.slice(5)}` : zip)),
});
export type ShippingAddress = z.output<typeof shippingAddressSchema>;

// Shipping-update recipients: one comma-separated string (or the list it was already split into), each checked.
export const notifyEmailsSchema = z
  .union([z.string().max(500), z.array(z.string())])
  .optional()
  .transform((value) =>
    (Array.isArray(value) ? value : (value ?? "").split(","))
      .map((email) => email.trim())
      .filter(Boolean),
  )
  .superRefine((emails, ctx) => {
    const bad = emails.filter((email) => !z.email().safeParse(email).success);
    if (bad.length > 0) ctx.addIssue({ code: "custom", message: `Not an email address: ${bad.join(", ")}. Separate addresses with commas.` });
  });

const validicDeviceType = z.enum(SMART_METER_DEVICE_TYPES);

// Assign on site: the device is handed to the patient, so its gateway ID, IMEI or pod is known.
export const assignDeviceSchema = z.discriminatedUnion("vendor", [
  z.discriminatedUnion("connectivity", [
    // Tenovi gateway-connected device: activated with hardware_uuid = the gateway ID.
    z.object({ vendor: z.literal("tenovi"), connectivity: z.literal("gateway"), patientId: id, deviceName: id, gatewayId: gatewayIdInputSchema }),
    // Tenovi direct-cellular device: activated with hardware_uuid = its IMEI.
    z.object({ vendor: z.literal("tenovi"), connectivity: z.literal("cellular"), patientId: id, deviceName: id, imei: imeiInputSchema }),
  ]),
  // Smart Meter through Validic Direct Connection: one connect request per IMEI.
  z.object({ vendor: z.literal("validic"), patientId: id, deviceType: validicDeviceType, imei: imeiInputSchema }),
  // Smartz pod: the Smartz API is read-only, so the pod is verified there and linked in Pulseboard.
  z.object({ vendor: z.literal("smartz"), patientId: id, podId: id }),
]);
export type AssignDeviceInput = z.input<typeof assignDeviceSchema>;
export type AssignDeviceData = z.output<typeof assignDeviceSchema>;

// The ways Tenovi gets a device to a patient (vendor-docs use cases 2 and 3, plus the additional-device case).
export const TENOVI_SHIP_MODES = ["tenovi-ships", "clinic-ships", "gateway-only", "additional-device"] as const;
export type TenoviShipMode = (typeof TENOVI_SHIP_MODES)[number];

const shippingFields = {
  address: shippingAddressSchema,
  notifyEmails: notifyEmailsSchema,
  requireSignature: z.boolean().default(false),
};

// Ship a device: Tenovi drop-ships or the clinic ships; Smart Meter devices are always shipped by the clinic.
export const shipDeviceSchema = z.discriminatedUnion("vendor", [
  z
    .object({
      vendor: z.literal("tenovi"),
      patientId: id,
      mode: z.enum(TENOVI_SHIP_MODES),
      deviceName: id,
      // additional-device only: the gateway already at the patient's home (so no second gateway ships).
      existingGatewayId: gatewayIdInputSchema.optional(),
      // additional-device only: the clinic sends the device itself.
      clinicShips: z.boolean().default(false),
      ...shippingFields,
    })
    .refine((input) => input.mode !== "additional-device" || Boolean(input.existingGatewayId), {
      path: ["existingGatewayId"],
      message: "Choose the gateway the patient already has at home.",
    }),
  z.object({ vendor: z.literal("validic"), patientId: id, deviceType: validicDeviceType, imei: imeiInputSchema, ...shippingFields }),
]);
export type ShipDeviceInput = z.input<typeof shipDeviceSchema>;
export type ShipDeviceData = z.output<typeof shipDeviceSchema>;

const optionalDate = z
  .union([z.string().trim(), z.date()])
  .optional()
  .transform((value) => (value instanceof Date ? value : value ? new Date(value) : undefined))
  .refine((date) => date === undefined || !Number.isNaN(date.getTime()), "Enter a valid date.");

// The clinic's own shipment news: carrier, tracking link, shipped and delivered dates.
export const recordShipmentUpdateSchema = z
  .object({
    shipmentId: id,
    carrier: z.string().trim().max(60).optional().transform((v) => (v ? v : undefined)),
    trackingLink: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(z.url("Paste the carrier's full tracking link (https://…).").optional()),
    shippedAt: optionalDate,
    deliveredAt: optionalDate,
  })
  .refine((u) => !u.deliveredAt || !u.shippedAt || u.deliveredAt >= u.shippedAt, { path: ["deliveredAt"], message: "Delivery cannot be before shipping." })
  .refine((u) => u.carrier || u.trackingLink || u.shippedAt || u.deliveredAt, { message: "Enter at least one shipping detail." });
export type RecordShipmentUpdateInput = z.input<typeof recordShipmentUpdateSchema>;

// Replace a device: Tenovi ships a replacement (device or gateway), or the new hardware is handed over on site.
export const swapDeviceSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("tenovi-replacement"), deviceId: id, reason, replace: z.enum(["device", "gateway"]), address: shippingAddressSchema, notifyEmails: notifyEmailsSchema }),
  z.object({ mode: z.literal("on-site"), deviceId: id, reason, imei: imeiInputSchema.optional(), gatewayId: gatewayIdInputSchema.optional(), podId: id.optional() }),
]);
export type SwapDeviceInput = z.input<typeof swapDeviceSchema>;
export type SwapDeviceData = z.output<typeof swapDeviceSchema>;

// Move a device to another patient.
export const moveDeviceSchema = z.object({ deviceId: id, toPatientId: id, reason });
export type MoveDeviceInput = z.input<typeof moveDeviceSchema>;

// Disconnect one device at its vendor.
export const disconnectDeviceSchema = z.object({ deviceId: id, reason });
export type DisconnectDeviceInput = z.input<typeof disconnectDeviceSchema>;

// Offboard a patient: every device disconnected at every vendor, then the patient leaves the program.
export const offboardPatientSchema = z.object({ patientId: id });
export type OffboardPatientInput = z.input<typeof offboardPatientSchema>;

// Ask the vendor what became of a device (a timed-out request, or a status that may be stale).
export const reconcileDeviceSchema = z.object({ deviceId: id });
export type ReconcileDeviceInput = z.input<typeof reconcileDeviceSchema>;

// Correct the gateway ID of a Tenovi device Tenovi answered "Unknown Gateway ID" for.
export const correctGatewaySchema = z.object({ deviceId: id, gatewayId: gatewayIdInputSchema });
export type CorrectGatewayInput = z.input<typeof correctGatewaySchema>;
