import { AppError } from "@/lib/errors";

// Body limits per receiver. Validic batches are sized by the org's batch setting; Tenovi sends a handful of rows.
export const BODY_LIMITS = { validicPush: 10 * 1024 * 1024, tenoviWebhook: 1024 * 1024, tokenRequest: 16 * 1024 } as const;

function tooLarge(maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `Request body exceeds ${maxBytes} bytes.`, { details: { maxBytes } });
}

// Reads the request body as bytes, stopping (and cancelling the stream) as soon as it passes maxBytes, so an
// oversized or endless body is never buffered. A declared Content-Length above the limit is refused unread.
export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
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
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
