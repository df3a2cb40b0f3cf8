import { z } from "zod";

export const SIMULATED_VENDORS = ["tenovi", "validic", "smartz"] as const;
export type SimulatedVendor = (typeof SIMULATED_VENDORS)[number];

// The ways a simulated vendor can fail its next calls, as the Simulation page offers them.
export const FAILURE_KINDS = ["timeout", "server_error", "rate_limited", "client_error", "malformed"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export const FAILURE_KIND_LABELS: Record<FailureKind, string> = {
  timeout: "Timeout (no answer)",
  server_error: "Server error (5xx)",
  rate_limited: "Rate limited (429 + Retry-After)",
  client_error: "Client error (4xx)",
  malformed: "Malformed answer (HTML with 200)",
};

const vendor = z.enum(SIMULATED_VENDORS);

// Arm the failure switch: the vendor's next `count` calls fail the chosen way.
export const armFailureSchema = z
  .object({
    vendor,
    kind: z.enum(FAILURE_KINDS),
    count: z.coerce.number().int("Enter a whole number.").min(1, "Fail at least one call.").max(100, "At most 100 calls."),
    status: z.coerce.number().int().optional(),
    retryAfterSeconds: z.coerce.number().int().min(1, "At least 1 second.").max(3600, "At most an hour.").optional(),
  })
  .superRefine((input, ctx) => {
    const status = input.status;
    if (input.kind === "server_error" && status !== undefined && (status < 500 || status > 599)) {
      ctx.addIssue({ code: "custom", path: ["status"], message: "A server error is 500–599." });
    }
    if (input.kind === "client_error" && status !== undefined && (status < 400 || status > 499 || status === 429)) {
      ctx.addIssue({ code: "custom", path: ["status"], message: "A client error is 400–499 (use “Rate limited” for 429)." });
    }
  });

export const clearFailureSchema = z.object({ vendor });

// Tenovi: move one device's shipment to its next status.
export const advanceShipmentSchema = z.object({ hwiDeviceId: z.string().trim().min(1, "Choose a Tenovi device.").max(100) });

// A device reports now, or a plausible last 24 hours. The target is a Tenovi HWI device id, a Validic IMEI or a Smartz patient id.
export const emitReadingSchema = z.object({
  vendor,
  target: z.string().trim().min(1, "Choose a device or patient.").max(100),
  span: z.enum(["now", "day"]),
});

// Tenovi: drop the next N webhook deliveries, as if Pulseboard were down.
export const dropWebhooksSchema = z.object({ count: z.coerce.number().int().min(0).max(100) });

export type ArmFailureInput = z.input<typeof armFailureSchema>;
export type EmitReadingInput = z.input<typeof emitReadingSchema>;
