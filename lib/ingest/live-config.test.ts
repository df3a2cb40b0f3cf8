import { describe, expect, it, vi } from "vitest";

// Live vendor keys configured, but no inbound secrets: the receivers must not fall back to the simulator's.
vi.hoisted(() => {
  process.env.TENOVI_API_KEY = "live-tenovi-key";
  process.env.VALIDIC_ORG_TOKEN = "live-validic-token";
});

import { POST as tenoviRoute } from "@/app/api/ingest/tenovi/route";
import { POST as tokenRoute } from "@/app/api/ingest/validic/token/route";
import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";
import { validicTokenRequest } from "@/lib/ingest/payload-fixtures";

describe("inbound secrets against live vendors", () => {
  it("refuses Tenovi webhooks with 500 (fail closed) when TENOVI_WEBHOOK_AUTH_KEY is unset, even with the simulator's key", async () => {
    const response = await tenoviRoute(
      new Request("http://pulseboard.test/api/ingest/tenovi", {
        method: "POST",
        headers: { Authorization: SIMULATOR_CREDENTIALS.tenovi.webhookAuthKey },
        body: "{}",
      }),
    );
    expect(response.status).toBe(500);
  });

  it("refuses push tokens with 500 when VALIDIC_PUSH_CLIENT_ID/SECRET are unset, even for the simulator's pair", async () => {
    const response = await tokenRoute(
      new Request("http://pulseboard.test/api/ingest/validic/token", validicTokenRequest()),
    );
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: string }).error).toBe("configuration");
  });
});
