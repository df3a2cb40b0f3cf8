import { receiveTenoviWebhook } from "@/lib/ingest/receivers";

// Tenovi webhooks (measurement, fulfillment, replacement): header check, raw body stored, processed (lib/ingest).
export function POST(request: Request): Promise<Response> {
  return receiveTenoviWebhook(request);
}
