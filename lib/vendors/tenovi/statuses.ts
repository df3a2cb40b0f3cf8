// Tenovi HWI device and fulfillment statuses: the documented list, kept open because it changes between doc versions.

// The twelve statuses of the current docs (older docs list only the first nine), plus the device-only "Unknown Gateway ID".
export const TENOVI_STATUSES = [
  "Pending Shipment",
  "Dropship Requested",
  "Shipped",
  "Dropshipped",
  "Delivered",
  "Returned",
  "Connected",
  "Replaced",
  "Unlinked",
  "Client Action Required",
  "On Hold",
  "Ready to Ship",
  "Unknown Gateway ID",
] as const;

// One of the documented statuses.
export type KnownTenoviStatus = (typeof TENOVI_STATUSES)[number];

// A status as Tenovi sent it; unknown ones are kept verbatim and shown as-is (never a crash).
export type TenoviStatus = KnownTenoviStatus | (string & {});

// Returned on an on-site activation whose gateway ID Tenovi does not know: a 2xx answer that staff must fix.
export const UNKNOWN_GATEWAY_ID: KnownTenoviStatus = "Unknown Gateway ID";

const KNOWN = new Set<string>(TENOVI_STATUSES);

// Whether a status string is one Tenovi documents.
export function isKnownTenoviStatus(status: string): status is KnownTenoviStatus {
  return KNOWN.has(status);
}

// Whether a device came back with an unknown gateway ID (activation accepted, but the gateway must be corrected).
export function isUnknownGateway(device: { status: string }): boolean {
  return device.status.trim() === UNKNOWN_GATEWAY_ID;
}

// ASSUMPTION: fulfillment `shipping_status` codes (DR, RQ, PE, CR, OH, RS, SH, DE, RE, CA) for the status a device shows.
export const SHIPPING_STATUS_CODES: Partial<Record<KnownTenoviStatus, string>> = {
  "Dropship Requested": "DR",
  "Pending Shipment": "PE",
  "Client Action Required": "CR",
  "On Hold": "OH",
  "Ready to Ship": "RS",
  Shipped: "SH",
  Dropshipped: "SH",
  Delivered: "DE",
  Connected: "DE",
  Returned: "RE",
};
