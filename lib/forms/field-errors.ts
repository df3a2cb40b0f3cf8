import { returnValidationErrors, type ValidationErrors } from "next-safe-action";
import type { z } from "zod";

import { isAppError } from "@/lib/errors";

// Messages per form field, as the forms show them under each input.
export type FieldErrors = Record<string, string>;

// Server side: an AppError that names a field (details.field) becomes that field's validation error, so the form shows
// it under the input like any other; every other error is thrown on unchanged.
export function rethrowAsFieldError<S extends z.ZodType>(schema: S, error: unknown): never {
  const field = isAppError(error) ? error.details?.field : undefined;
  if (isAppError(error) && typeof field === "string") {
    returnValidationErrors(schema, { [field]: { _errors: [error.message] } } as ValidationErrors<S>);
  }
  throw error;
}

type ErrorNode = { _errors?: unknown; [key: string]: unknown };

function firstMessage(node: unknown): string | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const messages = (node as ErrorNode)._errors;
  return Array.isArray(messages) && typeof messages[0] === "string" ? messages[0] : undefined;
}

// Client side: the first message for each field of a next-safe-action validation error ({ field: { _errors: [...] } }).
export function fieldErrorsFromValidation(validationErrors: unknown): FieldErrors {
  if (typeof validationErrors !== "object" || validationErrors === null) return {};
  const entries = Object.entries(validationErrors).flatMap(([field, node]) => {
    const message = field === "_errors" ? undefined : firstMessage(node);
    return message ? [[field, message] as const] : [];
  });
  return Object.fromEntries(entries);
}

// Client side: the field errors carried by an error thrown from unwrapAction, if any.
export function fieldErrorsFromActionError(error: unknown): FieldErrors {
  return isAppError(error) ? fieldErrorsFromValidation(error.details?.validationErrors) : {};
}

// The first zod issue per top-level field, for validating in the browser before sending.
export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "_form");
    errors[field] ??= issue.message;
  }
  return errors;
}
