import { env } from "@/lib/env";
import { maskSecret, smartzConfig, tenoviConfig, validicConfig, type VendorMode } from "@/lib/vendors/config";

export type IntegrationSummary = { vendor: string; label: string; mode: VendorMode; settings: { name: string; value: string }[] };

// What the admin page shows of each vendor's configuration: mode, URLs, and secrets masked.
export function integrationSummaries(): IntegrationSummary[] {
  const tenovi = tenoviConfig();
  const validic = validicConfig();
  const smartz = smartzConfig();
  return [
    {
      vendor: "tenovi",
      label: "Tenovi",
      mode: tenovi.mode,
      settings: [
        { name: "TENOVI_BASE_URL", value: tenovi.baseUrl },
        { name: "TENOVI_API_KEY", value: maskSecret(env.TENOVI_API_KEY) },
        { name: "TENOVI_WEBHOOK_AUTH_HEADER", value: tenovi.webhookAuthHeader },
        { name: "TENOVI_WEBHOOK_AUTH_KEY", value: maskSecret(env.TENOVI_WEBHOOK_AUTH_KEY) },
      ],
    },
    {
      vendor: "validic",
      label: "Validic Inform",
      mode: validic.mode,
      settings: [
        { name: "VALIDIC_API_URL", value: validic.apiUrl },
        { name: "VALIDIC_MARKETPLACE_URL", value: validic.marketplaceUrl },
        { name: "VALIDIC_ORG_ID", value: env.VALIDIC_ORG_ID ?? "simulator" },
        { name: "VALIDIC_ORG_TOKEN", value: maskSecret(env.VALIDIC_ORG_TOKEN) },
        { name: "VALIDIC_PUSH_CLIENT_ID", value: env.VALIDIC_PUSH_CLIENT_ID ?? "simulator" },
        { name: "VALIDIC_PUSH_CLIENT_SECRET", value: maskSecret(env.VALIDIC_PUSH_CLIENT_SECRET) },
      ],
    },
    {
      vendor: "smartz",
      label: "Smartz Connect",
      mode: smartz.mode,
      settings: [
        { name: "SMARTZ_BASE_URL", value: smartz.baseUrl },
        { name: "SMARTZ_APP_ID", value: env.SMARTZ_APP_ID ?? "simulator" },
        { name: "SMARTZ_APP_KEY", value: maskSecret(env.SMARTZ_APP_KEY) },
        { name: "SMARTZ_SUBSCRIPTION_KEY", value: maskSecret(env.SMARTZ_SUBSCRIPTION_KEY) },
      ],
    },
  ];
}
