// Status words stored in Device.vendorStatus and Shipment.status where the vendor gives none of its own.

// ASSUMPTION: Validic has no published connection-state words; Pulseboard shows these, from the connect answer and
// the user's `sources` (a Direct Connection completes asynchronously).
export const VALIDIC_STATUS = {
  connected: "connected",
  pending: "connection pending",
  disconnected: "disconnected",
} as const;

// After Tenovi deleted the HWI device there is no status left to read.
export const TENOVI_DELETED = "Deleted";

// A Tenovi device Tenovi no longer knows (read back as 404).
export const TENOVI_NOT_FOUND = "Not found at Tenovi";

// ASSUMPTION: a clinic's own shipment (Validic devices, and Tenovi's client_will_fulfill) uses Tenovi's words.
export const CLINIC_SHIPMENT_STATUS = {
  pending: "Pending Shipment",
  shipped: "Shipped",
  delivered: "Delivered",
} as const;

// Smartz is read-only, so a pod linked in Pulseboard is unlinked in Pulseboard.
export const SMARTZ_UNLINKED = "unlinked in Pulseboard";
