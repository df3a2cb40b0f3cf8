// Server action request bodies: their size limit (next.config.mjs passes it to Next) and the proxy's early check.
// Next enforces the limit itself, but answers an oversized or malformed body with a 500 after a logged stack trace;
// checked in the proxy, the caller gets a 4xx and nothing is parsed.

// Every action input is a small form (the longest is a 2,000-character note).
export const ACTION_BODY_LIMIT = "128kb";
export const ACTION_BODY_LIMIT_BYTES = 128 * 1024;

// Why an action POST is refused before Next reads it, as an HTTP status, or null when it may go on.
export async function actionBodyRefusal(request: Request): Promise<number | null> {
  const length = request.headers.get("content-length");
  // Browsers always send a length for an action's string or form body; a stream of unknown size is not one of ours.
  if (length === null || !/^\d+$/.test(length)) return 411;
  if (Number(length) > ACTION_BODY_LIMIT_BYTES) return 413;
  // A text body is React's JSON encoding of the arguments (form actions send multipart and are left to Next).
  if ((request.headers.get("content-type") ?? "").startsWith("text/plain")) {
    try {
      return hasPartReference(JSON.parse(await request.clone().text())) ? 400 : null;
    } catch {
      return 400;
    }
  }
  return null;
}

// React's reply format reads "$1", "$@2", "$Q3"… as references to other parts of a multipart body. A text body has
// no other parts (React escapes a string's own leading "$" as "$$"), and Next answers a dangling reference with a 500.
// "$D…" (a date) and "$n…" (a bigint) are values, not references.
const PART_REFERENCE = /^\$(?![Dn])[A-Za-z@]?[0-9a-f]+$/;

function hasPartReference(body: unknown): boolean {
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (PART_REFERENCE.test(value)) return true;
    } else if (value && typeof value === "object") {
      pending.push(...Object.values(value));
    }
  }
  return false;
}
