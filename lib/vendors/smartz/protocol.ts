// The parts of the Smartz wire protocol the client and the simulator share: header names, paths, token request format.

// Published: the subscription key goes in this header on every request, the token call included.
export const SMARTZ_SUBSCRIPTION_KEY_HEADER = "x-sub-key";
// Azure API Management's default subscription header, which Smartz does not accept (vendor-notes §3).
export const APIM_DEFAULT_SUBSCRIPTION_HEADER = "Ocp-Apim-Subscription-Key";

// ASSUMPTION: every path except /v1/token is unpublished (vendor-notes §3, trap 18); this table is the one place to
// change them once the portal's API definitions are available.
export const SMARTZ_PATHS = {
  // Published: POST https://smartz-api.azure-api.net/v1/token (Application API).
  token: "/v1/token",
  organisation: "/v1/organisation",
  manufacturers: "/v1/manufacturers",
  products: "/v1/products",
  devices: "/v1/devices",
  patients: "/v1/patients",
  patientStatus: "/v1/patients/:patientId/status",
  patientEvents: "/v1/patients/:patientId/events",
  alerts: "/v1/alerts",
} as const;

// Fills a path's :patientId from the table, encoded.
export function patientPath(pattern: typeof SMARTZ_PATHS.patientStatus | typeof SMARTZ_PATHS.patientEvents, patientId: string): string {
  return pattern.replace(":patientId", encodeURIComponent(patientId));
}

// ASSUMPTION: an RFC 6749 §4.4 client-credentials request; the encoding and the field names are settings because the
// portal's definition is unpublished (vendor-notes §3).
export type SmartzTokenRequestFormat = {
  encoding: "form" | "json";
  fields: { grantType: string; clientId: string; clientSecret: string };
};

// ASSUMPTION: form-encoded `grant_type=client_credentials&client_id=<App Id>&client_secret=<App Key>`.
export const DEFAULT_SMARTZ_TOKEN_REQUEST: SmartzTokenRequestFormat = {
  encoding: "form",
  fields: { grantType: "grant_type", clientId: "client_id", clientSecret: "client_secret" },
};

// The token request body for the given App Id and App Key, with the configured field names.
export function tokenRequestFields(format: SmartzTokenRequestFormat, appId: string, appKey: string): Record<string, string> {
  return { [format.fields.grantType]: "client_credentials", [format.fields.clientId]: appId, [format.fields.clientSecret]: appKey };
}
