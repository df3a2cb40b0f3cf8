import { randomUUID } from "node:crypto";
import { createSafeActionClient, DEFAULT_SERVER_ERROR_MESSAGE } from "next-safe-action";
import { headers } from "next/headers";
import { z } from "zod";

import { recordActionOutcome, recordActionStarted, recordAudit, type AuditActor } from "@/lib/audit";
import { getStaffSession, type StaffSession } from "@/lib/auth";
import { AppError, databaseUnavailableError, isAppError } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/database/database-errors";
import { logger } from "@/lib/logger";
import { can, PERMISSIONS, sessionCan, type Permission } from "@/lib/permissions";

const permissionNames = Object.keys(PERMISSIONS) as [Permission, ...Permission[]];

// What an action reports about the record it touched, for its audit event.
export type AuditTarget = { type?: string; id?: string; patientId?: string; details?: Record<string, string | number | boolean | null> };

export type ActionContext = {
  session: StaffSession;
  actor: AuditActor;
  requestId: string;
  sourceIp?: string;
  // Filled in by the action (Object.assign) so its audit event names the record it touched.
  audit: AuditTarget;
};

const actionClient = createSafeActionClient({
  defineMetadataSchema: () => z.object({ action: z.string().min(1), permission: z.enum(permissionNames) }),
  // AppError messages are written for staff; a lost database says so (and that it is safe to retry); anything
  // else stays on the server.
  handleServerError: (error) => {
    if (isAppError(error)) return error.message;
    if (isDatabaseUnavailable(error)) {
      logger.error("server action failed: database unavailable", { error: error instanceof Error ? error.name : "unknown" });
      return databaseUnavailableError(error).message;
    }
    logger.error("server action failed", { error: error instanceof Error ? error.name : "unknown" });
    return DEFAULT_SERVER_ERROR_MESSAGE;
  },
});

// Every server action goes through this client: it loads the session, checks the permission named in
// .metadata() against lib/permissions.ts, lets zod validate the input, and audits it: a refusal in one event, an
// action that runs in two, "started" before it (when that cannot be written, nothing runs) and its outcome after.
export const authActionClient = actionClient.use(async ({ next, metadata, clientInput }) => {
  const requestHeaders = await headers();
  const sourceIp = requestHeaders.get("x-forwarded-for")?.split(",")[0]?.trim() || undefined;
  const requestId = requestHeaders.get("x-request-id") ?? randomUUID();
  const session = await getStaffSession();
  if (!session) {
    await recordAudit({ actor: { id: null, role: null }, action: metadata.action, outcome: "denied", requestId, sourceIp, details: { reason: "unauthenticated" } });
    throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  }
  const actor = { id: session.userId, role: session.role };
  if (!can(session.role, metadata.permission)) {
    await recordAudit({ actor, action: metadata.action, outcome: "denied", requestId, sourceIp, details: { reason: "forbidden", permission: metadata.permission } });
    throw new AppError("FORBIDDEN", "Your role does not allow this action.");
  }
  if (!sessionCan(session, metadata.permission)) {
    const reason = session.mustChangePassword ? "password_change_required" : "two_step_required";
    await recordAudit({ actor, action: metadata.action, outcome: "denied", requestId, sourceIp, details: { reason } });
    throw new AppError(
      "FORBIDDEN",
      session.mustChangePassword ? "Choose your own password under Account first." : "Set up two-step verification under Account first: the clinic requires it.",
    );
  }
  // PostgreSQL text cannot hold NUL, so such input would fail at the database as a generic server error.
  if (hasNulCharacter(clientInput)) {
    await recordAudit({ actor, action: metadata.action, outcome: "failure", requestId, sourceIp, details: { reason: "invalid_input" } });
    throw new AppError("INVALID_INPUT", "Remove the invisible NUL character from your input and try again.");
  }
  const ctx: ActionContext = { session, actor, requestId, sourceIp, audit: {} };
  const ids = inputIds(clientInput);
  const startedEventId = await recordActionStarted({ actor, action: metadata.action, patientId: ids?.patientId, requestId, sourceIp, details: ids && { input: ids } });
  const result = await next({ ctx });
  const outcome = result.success ? "success" : "failure";
  try {
    await recordActionOutcome(startedEventId, {
      actor,
      action: metadata.action,
      outcome,
      targetType: ctx.audit.type,
      targetId: ctx.audit.id,
      patientId: ctx.audit.patientId,
      requestId,
      sourceIp,
      details: { ...ctx.audit.details, ...(result.validationErrors ? { reason: "invalid_input" } : {}) },
    });
  } catch (error) {
    // The action has done (or failed to do) its work and its answer says which; answering "database unavailable,
    // try again" instead would invite a retry that does it twice. Its "started" event is in the trail.
    if (!isDatabaseUnavailable(error)) throw error;
    logger.error("outcome of an action not audited: database unavailable", { action: metadata.action, outcome, requestId });
  }
  return result;
});

const ID_SHAPE = /^[\w-]{1,64}$/;

// The record ids the input names (`id`, `…Id`), kept on the "started" event so that an action whose outcome is lost
// still says what it was about. Ids only, told by their shape: the input is not validated yet, and free text may
// hold PHI.
function inputIds(input: unknown): Record<string, string> | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const ids = Object.entries(input).filter(([key, value]) => (key === "id" || key.endsWith("Id")) && typeof value === "string" && ID_SHAPE.test(value));
  return ids.length > 0 ? Object.fromEntries(ids) : undefined;
}

// Whether any string (or key) anywhere in the input contains U+0000; iterative, so deep nesting cannot overflow the stack.
function hasNulCharacter(input: unknown): boolean {
  const pending: unknown[] = [input];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (value.includes("\u0000")) return true;
    } else if (Array.isArray(value)) {
      pending.push(...(value as unknown[]));
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes("\u0000")) return true;
        pending.push(item);
      }
    }
  }
  return false;
}
