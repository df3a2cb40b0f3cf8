import { AppError, isAppError } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/database/database-errors";
import { logger } from "@/lib/logger";

// Headers a thrown AppError may ask for, through its details.
export type ResponseHints = { wwwAuthenticate?: string; retryAfterSeconds?: number };

// A JSON answer that no cache keeps (bodies may name event ids; tokens must never be cached).
export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): Response {
  // no-transform also keeps Next's response compression away: gzip set up for a 50-byte acknowledgement cost more
  // CPU than the rest of the request.
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store, no-transform", ...headers },
  });
}

function hintHeaders(details: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof details?.wwwAuthenticate === "string") headers["WWW-Authenticate"] = details.wwwAuthenticate;
  if (typeof details?.retryAfterSeconds === "number") headers["Retry-After"] = String(details.retryAfterSeconds);
  return headers;
}

// Turns an error escaping a receiver into its answer: an AppError by its code (401, 413, 429, 503, …), an
// unreachable database as 503 so the vendor retries, anything else as a logged 500 without details.
export function errorResponse(error: unknown, context: { route: string }): Response {
  if (isAppError(error)) {
    if (error.status >= 500) logger.error("ingest request failed", { route: context.route, code: error.code, error: error.message });
    return jsonResponse(error.status, { error: error.code.toLowerCase(), message: error.message }, hintHeaders(error.details));
  }
  if (isDatabaseUnavailable(error)) {
    logger.error("ingest request failed: database unavailable", { route: context.route });
    return jsonResponse(503, { error: "database_unavailable", message: "The database is unavailable. Retry later." }, { "Retry-After": "30" });
  }
  logger.error("ingest request failed unexpectedly", { route: context.route, error: error instanceof Error ? error.name : typeof error });
  return jsonResponse(500, { error: "internal_error", message: "Internal error." });
}

// Runs a receiver; whatever it throws becomes an answer (see errorResponse).
export async function answerIngest(route: string, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    return errorResponse(error, { route });
  }
}

// An AppError for a failed credential check, carrying the challenge the 401 must include.
export function unauthenticated(message: string, wwwAuthenticate: string): AppError {
  return new AppError("UNAUTHENTICATED", message, { details: { wwwAuthenticate } });
}
