import { AppError } from "@/lib/errors";

type ActionResult<T> = { data?: T; serverError?: string; validationErrors?: unknown } | undefined;

// Turns a next-safe-action result into data or a thrown AppError, for TanStack Query mutations.
export function unwrapAction<T>(result: ActionResult<T>): T {
  if (!result) throw new AppError("VENDOR_UNAVAILABLE", "No answer from the server. Check your connection and try again.");
  if (result.serverError) throw new AppError("INVALID_INPUT", result.serverError);
  if (result.validationErrors) {
    throw new AppError("INVALID_INPUT", "Some fields need attention.", { details: { validationErrors: result.validationErrors } });
  }
  return result.data as T;
}
