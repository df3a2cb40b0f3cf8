import { AppError, isAppError } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/database/database-errors";
import { fromWebRequest, type DeliveryRequest } from "@/lib/ingest/raw-body";
import { logger } from "@/lib/logger";

// Headers a thrown AppError may ask for, through its details.
export type ResponseHints = { wwwAuthenticate?: string; retryAfterSeconds?: number };

// A receiver's answer: written straight to the socket by the web process (lib/ingest/node-routes.ts), or made a Web
// Response for Next's route handlers (toWebResponse). Building and reading back a Response cost a webhook ~50 µs.
export type IngestAnswer = { status: number; headers: Record<string, string>; body: string };

// A JSON answer that no cache keeps (bodies may name event ids; tokens must never be cached).
export function jsonAnswer(status: number, body: unknown, headers?: Record<string, string>): IngestAnswer {
  // no-transform also keeps Next's response compression away: gzip set up for a 50-byte acknowledgement cost more
  // CPU than the rest of the request.
  return { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store, no-transform", ...headers }, body: JSON.stringify(body) };
}

function toWebResponse(answer: IngestAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

// A receiver as Next's route handlers and the tests call it: a Web Request in, a Response out.
export function asWebHandler<O>(receive: (request: DeliveryRequest, options?: O) => Promise<IngestAnswer>): (request: Request, options?: O) => Promise<Response> {
  return async (request, options) => toWebResponse(await receive(fromWebRequest(request), options));
}

function hintHeaders(details: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof details?.wwwAuthenticate === "string") headers["WWW-Authenticate"] = details.wwwAuthenticate;
  if (typeof details?.retryAfterSeconds === "number") headers["Retry-After"] = String(details.retryAfterSeconds);
  return headers;
}

// Turns an error escaping a receiver into its answer: an AppError by its code (401, 413, 429, 503, …), an
// unreachable database as 503 so the vendor retries, anything else as a logged 500 without details.
export function errorAnswer(error: unknown, context: { route: string }): IngestAnswer {
  if (isAppError(error)) {
    if (error.status >= 500) logger.error("ingest request failed", { route: context.route, code: error.code, error: error.message });
    return jsonAnswer(error.status, { error: error.code.toLowerCase(), message: error.message }, hintHeaders(error.details));
  }
  if (isDatabaseUnavailable(error)) {
    logger.error("ingest request failed: database unavailable", { route: context.route });
    return jsonAnswer(503, { error: "database_unavailable", message: "The database is unavailable. Retry later." }, { "Retry-After": "30" });
  }
  logger.error("ingest request failed unexpectedly", { route: context.route, error: error instanceof Error ? error.name : typeof error });
  return jsonAnswer(500, { error: "internal_error", message: "Internal error." });
}

// Runs a receiver; whatever it throws becomes an answer (see errorAnswer).
export async function answerIngest(route: string, run: () => Promise<IngestAnswer>): Promise<IngestAnswer> {
  try {
    return await run();
  } catch (error) {
    return errorAnswer(error, { route });
  }
}

// An AppError for a failed credential check, carrying the challenge the 401 must include.
export function unauthenticated(message: string, wwwAuthenticate: string): AppError {
  return new AppError("UNAUTHENTICATED", message, { details: { wwwAuthenticate } });
}
