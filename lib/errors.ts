// The one error type the app throws on purpose; its code decides the HTTP status and what the user sees.
export const APP_ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_INPUT: 422,
  RATE_LIMITED: 429,
  VENDOR_UNAVAILABLE: 502,
  DATABASE_UNAVAILABLE: 503,
  CONFIGURATION: 500,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

// An error whose message is safe to show to staff: it never carries PHI or secrets.
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options?.details;
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

// What staff are told when the database cannot be reached or drops mid-request: a retryable 503, not a crash. It
// says "not completed" rather than "nothing saved": a device action may already have reached the vendor (its
// reservation stays "Pending verification" for Check with vendor).
export function databaseUnavailableError(cause?: unknown): AppError {
  return new AppError("DATABASE_UNAVAILABLE", "The database is unavailable, so this was not completed. Try again in a moment.", { cause });
}
