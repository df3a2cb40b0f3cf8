import { AppError } from "@/lib/errors";

// Body limits per receiver. Validic batches are sized by the org's batch setting; Tenovi sends a handful of rows.
export const BODY_LIMITS = { validicPush: 10 * 1024 * 1024, tenoviWebhook: 1024 * 1024, tokenRequest: 16 * 1024 } as const;

// A request's headers by name, as Web Headers answer (null when absent).
export type RequestHeaders = { get(name: string): string | null };

// What a receiver reads of a request, whichever server received it: its headers, and its body up to a limit. The
// web process's node:http listener builds one straight from the socket (lib/ingest/node-routes.ts); Next's route
// handlers and the tests from a Web Request (fromWebRequest).
export type DeliveryRequest = { headers: RequestHeaders; readBody(maxBytes: number): Promise<Uint8Array> };

export function fromWebRequest(request: Request): DeliveryRequest {
  return { headers: request.headers, readBody: (maxBytes) => readBodyWithLimit(request, maxBytes) };
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `Request body exceeds ${maxBytes} bytes.`, { details: { maxBytes } });
}

// Refuses a body whose declared Content-Length is above the limit, before reading any of it.
export function refuseDeclaredOversize(headers: RequestHeaders, maxBytes: number): void {
  const declared = Number(headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
}

// Chunks joined into one buffer.
export function concatChunks(chunks: Uint8Array[], size: number): Uint8Array {
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

// Reads the request body as bytes, stopping (and cancelling the stream) as soon as it passes maxBytes, so an
// oversized or endless body is never buffered. A declared Content-Length above the limit is refused unread.
export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<Uint8Array> {
  refuseDeclaredOversize(request.headers, maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return concatChunks(chunks, size);
}
