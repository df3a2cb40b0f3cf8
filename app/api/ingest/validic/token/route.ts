import { handleTokenRequest } from "@/lib/ingest/token-endpoint";

// OAuth2 client-credentials token endpoint for Validic's Push Service (RFC 6749 §4.4; lib/ingest/token-endpoint.ts).
export function POST(request: Request): Promise<Response> {
  return handleTokenRequest(request);
}
