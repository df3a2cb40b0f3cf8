import type { IncomingMessage, ServerResponse } from "node:http";

import { receiveTenoviWebhook, receiveValidicPush } from "@/lib/ingest/receivers";
import { errorResponse } from "@/lib/ingest/responses";
import { handleTokenRequest } from "@/lib/ingest/token-endpoint";
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "@/lib/security-headers";

// A receiver as the route handlers in app/api/ingest call it: a Web Request in, a Response out.
type WebHandler = (request: Request) => Promise<Response>;

// The ingest routes answered by the web process's own node:http listener ahead of Next's router (scripts/web-process.ts).
// Next's handling of one request (routing, its request and response wrappers, async contexts) cost ~2 ms of CPU,
// ten times what a webhook's own work costs, so 64 senders queued behind it. Only POST: Next still answers other
// methods on these paths (405), and serves the same receivers through app/api/ingest under `next dev`.
const INGEST_ROUTES = new Map<string, WebHandler>([
  ["/api/ingest/tenovi", receiveTenoviWebhook],
  ["/api/ingest/validic", receiveValidicPush],
  ["/api/ingest/validic/token", handleTokenRequest],
]);

// The receiver for a request, or null when Next should answer it.
export function ingestRouteFor(request: IncomingMessage): WebHandler | null {
  if (request.method !== "POST") return null;
  const path = (request.url ?? "").split("?", 1)[0] ?? "";
  return INGEST_ROUTES.get(path) ?? null;
}

// The headers next.config.mjs gives every route handler's answer (lib/security-headers.ts).
const ROUTE_SECURITY_HEADERS: [string, string][] = [
  ...STATIC_SECURITY_HEADERS.map(({ key, value }): [string, string] => [key, value]),
  ["Content-Security-Policy", API_CONTENT_SECURITY_POLICY],
];

// Runs a receiver for a node:http request (whose X-Forwarded-For the web process has settled, lib/client-address.ts)
// and writes its answer. A body the receiver left unread (refused before reading, or over the limit) is not drained:
// the connection closes after the answer.
export async function serveIngestRoute(handler: WebHandler, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let answer: Response;
  try {
    answer = await handler(toWebRequest(request));
  } catch (error) {
    answer = errorResponse(error, { route: request.url ?? "" });
  }
  const body = Buffer.from(await answer.arrayBuffer());
  const headers = [...ROUTE_SECURITY_HEADERS, ...answer.headers.entries(), ["Content-Length", String(body.byteLength)]];
  if (!request.complete) headers.push(["Connection", "close"]);
  response.writeHead(answer.status, headers.flat());
  response.end(body, () => {
    if (!request.complete) request.socket.destroy();
  });
}

function toWebRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return new Request(`http://localhost${request.url ?? "/"}`, { method: "POST", headers, body: bodyStream(request), duplex: "half" } as RequestInit);
}

// The request body as a Web stream that pauses the socket instead of destroying it when the reader stops early, so
// the answer (413, 401) can still be written.
function bodyStream(request: IncomingMessage): ReadableStream<Uint8Array> {
  let isCancelled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      request.on("data", (chunk: Buffer) => {
        if (isCancelled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) request.pause();
      });
      request.once("end", () => isCancelled || controller.close());
      request.once("error", (error) => isCancelled || controller.error(error));
      request.pause();
    },
    pull() {
      request.resume();
    },
    cancel() {
      isCancelled = true;
      request.pause();
    },
  });
}
