import type { IncomingMessage, ServerResponse } from "node:http";

import { concatChunks, refuseDeclaredOversize, tooLarge, type DeliveryRequest, type RequestHeaders } from "@/lib/ingest/raw-body";
import { answerTenoviWebhook, answerValidicPush } from "@/lib/ingest/receivers";
import { errorAnswer, type IngestAnswer } from "@/lib/ingest/responses";
import { answerTokenRequest } from "@/lib/ingest/token-endpoint";
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "@/lib/security-headers";

// A receiver as this listener calls it: the request as read from the socket in, the answer to write out.
type Receiver = (request: DeliveryRequest) => Promise<IngestAnswer>;

// The ingest routes answered by the web process's own node:http listener ahead of Next's router (scripts/web-process.ts).
// Next's handling of one request (routing, its request and response wrappers, async contexts) cost ~2 ms of CPU,
// ten times what a webhook's own work costs, so 64 senders queued behind it. The receivers read the socket directly
// too: a Web Request and Response around each webhook cost ~130 µs of its ~700. Only POST: Next still answers other
// methods on these paths (405), and serves the same receivers through app/api/ingest under `next dev`.
const INGEST_ROUTES = new Map<string, Receiver>([
  ["/api/ingest/tenovi", answerTenoviWebhook],
  ["/api/ingest/validic", answerValidicPush],
  ["/api/ingest/validic/token", answerTokenRequest],
]);

// The receiver for a request, or null when Next should answer it.
export function ingestRouteFor(request: IncomingMessage): Receiver | null {
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
export async function serveIngestRoute(receiver: Receiver, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let answer: IngestAnswer;
  try {
    answer = await receiver(deliveryRequest(request));
  } catch (error) {
    answer = errorAnswer(error, { route: request.url ?? "" });
  }
  const body = Buffer.from(answer.body);
  const headers = [...ROUTE_SECURITY_HEADERS, ...Object.entries(answer.headers), ["Content-Length", String(body.byteLength)]];
  if (!request.complete) headers.push(["Connection", "close"]);
  response.writeHead(answer.status, headers.flat());
  response.end(body, () => {
    if (!request.complete) request.socket.destroy();
  });
}

function deliveryRequest(request: IncomingMessage): DeliveryRequest {
  return { headers: nodeHeaders(request), readBody: (maxBytes) => readNodeBody(request, maxBytes) };
}

// node:http's headers (names in lower case) as Web Headers answer: repeated values joined with ", ".
function nodeHeaders(request: IncomingMessage): RequestHeaders {
  return {
    get(name) {
      const value = request.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

// The body as bytes, up to maxBytes: past it the socket is paused, not read on, so the answer (413) can still be
// written before the connection closes. A declared Content-Length above the limit is refused unread.
function readNodeBody(request: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    refuseDeclaredOversize(nodeHeaders(request), maxBytes);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stop = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        stop();
        request.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(concatChunks(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    // The sender went away before the body ended.
    const onClose = () => onError(new Error("request closed before its body ended"));
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", onError);
    request.once("close", onClose);
  });
}
