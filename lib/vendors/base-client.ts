import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";

import { AppError, type AppErrorCode } from "@/lib/errors";
import { logger, redactSecrets } from "@/lib/logger";

export type VendorName = "tenovi" | "validic" | "smartz";
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type QueryValue = string | number | boolean | undefined | null | string[];

export type VendorRequest<T> = {
  // A short name for staff and logs, e.g. "activate device".
  operation: string;
  method: HttpMethod;
  // Relative to the client's base URL, or an absolute URL (pagination `next` links).
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  response: z.ZodType<T>;
  // Only idempotent calls are retried; creating POSTs are reconciled instead (STYLE §14.2).
  idempotent?: boolean;
  timeoutMs?: number;
  // Statuses that are an expected answer rather than an error (e.g. 404 "not provisioned"); returned as null.
  acceptStatuses?: number[];
};

export type VendorClientOptions = {
  vendor: VendorName;
  baseUrl: string;
  // Auth headers, resolved per attempt so a renewed token is picked up.
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  // Credential values to scrub from URLs, messages and logs.
  secrets?: () => string[];
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  fetch?: typeof fetch;
};

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 30_000;

// A failed vendor call: what was attempted, how the vendor answered, whether trying again can help.
export class VendorHttpError extends AppError {
  readonly vendor: VendorName;
  readonly operation: string;
  readonly method: HttpMethod;
  readonly url: string;
  readonly httpStatus: number | null;
  readonly isRetryable: boolean;
  readonly vendorMessage: string | null;

  constructor(init: {
    vendor: VendorName;
    operation: string;
    method: HttpMethod;
    url: string;
    httpStatus: number | null;
    isRetryable: boolean;
    vendorMessage: string | null;
    message: string;
    cause?: unknown;
  }) {
    super(codeForStatus(init.httpStatus), init.message, { cause: init.cause });
    this.name = "VendorHttpError";
    this.vendor = init.vendor;
    this.operation = init.operation;
    this.method = init.method;
    this.url = init.url;
    this.httpStatus = init.httpStatus;
    this.isRetryable = init.isRetryable;
    this.vendorMessage = init.vendorMessage;
  }
}

function codeForStatus(status: number | null): AppErrorCode {
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 400 || status === 422) return "INVALID_INPUT";
  return "VENDOR_UNAVAILABLE";
}

const VENDOR_LABEL: Record<VendorName, string> = { tenovi: "Tenovi", validic: "Validic", smartz: "Smartz" };

// The one HTTP client for vendor APIs: timeouts, zod-checked responses, bounded retries, redacted errors.
export class VendorHttpClient {
  readonly vendor: VendorName;
  readonly baseUrl: string;
  private readonly options: Required<Omit<VendorClientOptions, "headers" | "secrets" | "fetch">> &
    Pick<VendorClientOptions, "headers" | "secrets" | "fetch">;

  constructor(options: VendorClientOptions) {
    this.vendor = options.vendor;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.options = { timeoutMs: 10_000, maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4_000, ...options };
  }

  // Sends the request, retrying idempotent calls on network errors, timeouts, 408, 429 and 5xx.
  // The acceptStatuses overload comes first: TypeScript takes the first match, and the plain one matches too.
  async request<T>(req: VendorRequest<T> & { acceptStatuses: number[] }): Promise<T | null>;
  async request<T>(req: VendorRequest<T>): Promise<T>;
  async request<T>(req: VendorRequest<T>): Promise<T | null> {
    const url = this.buildUrl(req.path, req.query);
    const attempts = req.idempotent ? this.options.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(req, url);
      if (outcome.kind === "ok") return outcome.value;
      const isLast = attempt >= attempts || !outcome.error.isRetryable;
      logger.warn("vendor call failed", {
        vendor: this.vendor,
        operation: req.operation,
        method: req.method,
        url: this.redact(url),
        status: outcome.error.httpStatus,
        attempt,
        willRetry: !isLast,
      });
      if (isLast) throw outcome.error;
      await sleep(this.backoffMs(attempt, outcome.retryAfterMs));
    }
  }

  // Scrubs configured credentials and credential-shaped substrings from any text.
  redact(text: string): string {
    const secrets = this.options.secrets?.() ?? [];
    const scrubbed = secrets.filter((s) => s.length >= 4).reduce((acc, s) => acc.split(s).join("[redacted]"), text);
    return redactSecrets(scrubbed);
  }

  private buildUrl(path: string, query?: Record<string, QueryValue>): string {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith("/") ? "" : "/"}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
      else url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async attempt<T>(
    req: VendorRequest<T>,
    url: string,
  ): Promise<{ kind: "ok"; value: T | null } | { kind: "error"; error: VendorHttpError; retryAfterMs: number | null }> {
    let response: Response;
    let text: string;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method: req.method,
        headers: { Accept: "application/json", ...(await this.options.headers?.()), ...contentType(req), ...req.headers },
        body: requestBody(req),
        redirect: "manual",
        signal: AbortSignal.timeout(req.timeoutMs ?? this.options.timeoutMs),
      });
      // Inside the try: the timeout also covers a body that stalls or drops after the headers.
      text = await response.text();
    } catch (cause) {
      const isTimeout = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
      const message = isTimeout
        ? `${VENDOR_LABEL[this.vendor]} did not answer in time (${req.operation}). Nothing was confirmed; try again.`
        : `${VENDOR_LABEL[this.vendor]} could not be reached (${req.operation}). Check the connection and try again.`;
      return { kind: "error", error: this.error(req, url, null, true, null, message, cause), retryAfterMs: null };
    }
    if (req.acceptStatuses?.includes(response.status)) return { kind: "ok", value: null };
    if (!response.ok) {
      const vendorMessage = extractVendorMessage(text);
      const isRetryable = RETRYABLE_STATUSES.has(response.status);
      const message = this.describeFailure(req.operation, response.status, vendorMessage);
      return {
        kind: "error",
        error: this.error(req, url, response.status, isRetryable, vendorMessage, message),
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
      };
    }
    const parsed = req.response.safeParse(parseBody(text));
    if (!parsed.success) {
      const message = `${VENDOR_LABEL[this.vendor]} sent an answer Pulseboard does not understand (${req.operation}). The vendor's API may have changed.`;
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      return { kind: "error", error: this.error(req, url, response.status, false, issues, message, parsed.error), retryAfterMs: null };
    }
    return { kind: "ok", value: parsed.data };
  }

  private error(
    req: VendorRequest<unknown>,
    url: string,
    status: number | null,
    isRetryable: boolean,
    vendorMessage: string | null,
    message: string,
    cause?: unknown,
  ): VendorHttpError {
    return new VendorHttpError({
      vendor: this.vendor,
      operation: req.operation,
      method: req.method,
      url: this.redact(url),
      httpStatus: status,
      isRetryable,
      vendorMessage: vendorMessage === null ? null : this.redact(vendorMessage),
      message: this.redact(message),
      cause,
    });
  }

  private describeFailure(operation: string, status: number, vendorMessage: string | null): string {
    const vendor = VENDOR_LABEL[this.vendor];
    const said = vendorMessage ? `: ${vendorMessage}` : "";
    if (status === 401 || status === 403) return `${vendor} refused Pulseboard's credentials (${operation}). An admin should check the ${vendor} API key${said}`;
    if (status === 429) return `${vendor} is rate-limiting requests (${operation}). Wait a moment and try again.`;
    if (status >= 500) return `${vendor} had a problem (${operation}, HTTP ${status}). Nothing was changed; try again shortly.`;
    if (status >= 300 && status < 400) return `${vendor} redirected the request (${operation}); check the configured base URL and trailing slashes.`;
    return `${vendor} rejected the request (${operation})${said || `, HTTP ${status}`}`;
  }

  private backoffMs(attempt: number, retryAfterMs: number | null): number {
    if (retryAfterMs !== null) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    return Math.random() * ceiling;
  }
}

function contentType(req: VendorRequest<unknown>): Record<string, string> {
  if (req.form) return { "Content-Type": "application/x-www-form-urlencoded" };
  if (req.json !== undefined) return { "Content-Type": "application/json" };
  return {};
}

function requestBody(req: VendorRequest<unknown>): string | undefined {
  if (req.form) return new URLSearchParams(req.form).toString();
  if (req.json !== undefined) return JSON.stringify(req.json);
  return undefined;
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// Seconds or an HTTP date, as RFC 9110 allows.
export function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

const vendorErrorBodySchema = z.union([
  z.object({ detail: z.string() }),
  z.object({ message: z.string() }),
  z.object({ error_description: z.string() }),
  z.object({ error: z.string() }),
  z.record(z.string(), z.unknown()),
  z.array(z.unknown()),
]);

// The vendor's own words from an error body: DRF {detail} or {field: [..]}, {message}, OAuth {error}.
export function extractVendorMessage(text: string): string | null {
  const parsed = vendorErrorBodySchema.safeParse(parseBody(text));
  if (!parsed.success) return null;
  const body = parsed.data;
  if ("detail" in body && typeof body.detail === "string") return body.detail.slice(0, 300);
  if ("message" in body && typeof body.message === "string") return body.message.slice(0, 300);
  if ("error_description" in body && typeof body.error_description === "string") return body.error_description.slice(0, 300);
  if ("error" in body && typeof body.error === "string") return body.error.slice(0, 300);
  return flattenFieldErrors(body, "").join("; ").slice(0, 300) || null;
}

// DRF field errors, nested for nested serializers: {"device": {"name": ["…"]}} reads "device.name: …".
function flattenFieldErrors(value: unknown, path: string): string[] {
  if (typeof value === "string") return [path ? `${path}: ${value}` : value];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return value.length === 0 ? [] : [path ? `${path}: ${value.join(" ")}` : value.join(" ")];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => flattenFieldErrors(v, path ? `${path}.${i}` : String(i)));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => flattenFieldErrors(v, path ? `${path}.${k}` : k));
  return [];
}
