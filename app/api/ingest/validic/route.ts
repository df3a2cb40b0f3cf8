import { receiveValidicPush } from "@/lib/ingest/receivers";

// Validic Push Service → Pushed Data Receiver: bearer token, raw batch stored, processed, answered (lib/ingest).
export function POST(request: Request): Promise<Response> {
  return receiveValidicPush(request);
}
