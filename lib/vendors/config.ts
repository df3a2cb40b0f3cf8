import { env } from "@/lib/env";
import type { VendorName } from "@/lib/vendors/base-client";

// Credentials the built-in simulators accept. They protect nothing real: a vendor without configured
// credentials runs against its simulator, and these are what the client then sends.
export const SIMULATOR_CREDENTIALS = {
  tenovi: { clientDomain: "pulseboard-demo", apiKey: "sim-tenovi-api-key", webhookAuthKey: "Basic c2ltLXRlbm92aTp3ZWJob29r" },
  validic: { orgId: "5ef0ef69000000000ba56200", orgToken: "sim-validic-org-token", pushClientId: "sim-validic-push", pushClientSecret: "sim-validic-push-secret" },
  smartz: { appId: "sim-smartz-app", appKey: "sim-smartz-app-key", subscriptionKey: "sim-smartz-subscription-key" },
} as const;

export type VendorMode = "live" | "simulator";

export function simulatorUrl(): string {
  return env.SIMULATOR_URL ?? `http://127.0.0.1:${env.SIMULATOR_PORT}`;
}

// Where Pulseboard's own HTTP routes are reachable (simulators send webhooks and pushes here).
export function publicUrl(): string {
  return env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`;
}

export type TenoviConfig = { mode: VendorMode; baseUrl: string; apiKey: string; webhookAuthHeader: string; webhookAuthKey: string };
export type ValidicConfig = {
  mode: VendorMode;
  apiUrl: string;
  marketplaceUrl: string;
  orgId: string;
  orgToken: string;
  pushClientId: string;
  pushClientSecret: string;
};
export type SmartzConfig = { mode: VendorMode; baseUrl: string; appId: string; appKey: string; subscriptionKey: string };

export function tenoviConfig(): TenoviConfig {
  const sim = SIMULATOR_CREDENTIALS.tenovi;
  const isLive = Boolean(env.TENOVI_API_KEY);
  return {
    mode: isLive ? "live" : "simulator",
    baseUrl: env.TENOVI_BASE_URL ?? `${simulatorUrl()}/tenovi/clients/${sim.clientDomain}`,
    apiKey: env.TENOVI_API_KEY ?? sim.apiKey,
    webhookAuthHeader: env.TENOVI_WEBHOOK_AUTH_HEADER,
    webhookAuthKey: env.TENOVI_WEBHOOK_AUTH_KEY ?? sim.webhookAuthKey,
  };
}

export function validicConfig(): ValidicConfig {
  const sim = SIMULATOR_CREDENTIALS.validic;
  const isLive = Boolean(env.VALIDIC_ORG_TOKEN);
  return {
    mode: isLive ? "live" : "simulator",
    apiUrl: env.VALIDIC_API_URL ?? `${simulatorUrl()}/validic`,
    marketplaceUrl: env.VALIDIC_MARKETPLACE_URL ?? `${simulatorUrl()}/validic-marketplace`,
    orgId: env.VALIDIC_ORG_ID ?? sim.orgId,
    orgToken: env.VALIDIC_ORG_TOKEN ?? sim.orgToken,
    pushClientId: env.VALIDIC_PUSH_CLIENT_ID ?? sim.pushClientId,
    pushClientSecret: env.VALIDIC_PUSH_CLIENT_SECRET ?? sim.pushClientSecret,
  };
}

export function smartzConfig(): SmartzConfig {
  const sim = SIMULATOR_CREDENTIALS.smartz;
  const isLive = Boolean(env.SMARTZ_APP_KEY);
  return {
    mode: isLive ? "live" : "simulator",
    baseUrl: env.SMARTZ_BASE_URL ?? `${simulatorUrl()}/smartz`,
    appId: env.SMARTZ_APP_ID ?? sim.appId,
    appKey: env.SMARTZ_APP_KEY ?? sim.appKey,
    subscriptionKey: env.SMARTZ_SUBSCRIPTION_KEY ?? sim.subscriptionKey,
  };
}

// Shows the last four characters only, for the admin page.
export function maskSecret(secret: string | undefined): string {
  if (!secret) return "not set";
  return secret.length <= 8 ? "••••" : `••••${secret.slice(-4)}`;
}

export const VENDORS: VendorName[] = ["tenovi", "validic", "smartz"];
