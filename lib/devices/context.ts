import { recordAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { can, type Permission, type Role } from "@/lib/permissions";
import { VendorHttpError, type VendorName } from "@/lib/vendors/base-client";
import { createSmartzClient, type SmartzClient } from "@/lib/vendors/smartz/client";
import { tenoviClient, type TenoviClient } from "@/lib/vendors/tenovi/client";
import { createValidicClient, type ValidicClient } from "@/lib/vendors/validic/client";

// What every device operation runs with: who asks, the request it belongs to, and the vendor clients to call.

// The three vendor clients the device lifecycle uses.
export type DeviceVendorClients = { tenovi: TenoviClient; validic: ValidicClient; smartz: SmartzClient };

// The staff member behind an operation.
export type DeviceActor = { id: string | null; role: Role };

// Everything a device operation needs besides its input.
export type DeviceContext = { actor: DeviceActor; requestId?: string; clients: DeviceVendorClients };

let sharedClients: DeviceVendorClients | null = null;

// The process's vendor clients for the configured accounts (or the simulators), shared so tokens and caches are reused.
export function defaultVendorClients(): DeviceVendorClients {
  sharedClients ??= { tenovi: tenoviClient(), validic: createValidicClient(), smartz: createSmartzClient() };
  return sharedClients;
}

// The device context of a server action: its signed-in staff member and request id, the process's vendor clients.
export function deviceContextFor(ctx: { session: { userId: string; role: Role }; requestId: string }): DeviceContext {
  return { actor: { id: ctx.session.userId, role: ctx.session.role }, requestId: ctx.requestId, clients: defaultVendorClients() };
}

// Refuses the operation unless the actor's role has the permission (the server actions check too; this guards
// every other caller of the service).
export function requirePermission(ctx: DeviceContext, permission: Permission): void {
  if (!can(ctx.actor.role, permission)) throw new AppError("FORBIDDEN", "Your role does not allow this action.");
}

// What one vendor call is about, for its audit event (ids only).
export type VendorCallTarget = { vendor: VendorName; operation: string; deviceId?: string; patientId?: string };

// Runs one vendor call and writes its audit event (`vendor.<vendor>.<operation>`, outcome, ids and HTTP status only),
// whether it succeeded or failed. The call's own error is rethrown unchanged.
export async function callVendor<T>(ctx: DeviceContext, target: VendorCallTarget, call: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
  const action = `vendor.${target.vendor}.${target.operation}`;
  const base = { actor: ctx.actor, action, targetType: "device", targetId: target.deviceId, patientId: target.patientId, requestId: ctx.requestId };
  let result: T;
  try {
    result = await call();
  } catch (error) {
    const httpStatus = error instanceof VendorHttpError ? error.httpStatus : null;
    await recordAudit({ ...base, outcome: "failure", details: { httpStatus, isOutcomeUnknown: isOutcomeUnknown(error) } });
    logger.warn("device vendor call failed", { action, deviceId: target.deviceId, httpStatus });
    throw error;
  }
  await recordAudit({ ...base, outcome: "success", details: describe ? { result: describe(result) } : undefined });
  return result;
}

// A failed creating call whose effect at the vendor is unknown: no answer in time, a dropped connection, a gateway
// timeout, or a 2xx Pulseboard could not read. Such a call may have gone through, so it is verified, not repeated.
export function isOutcomeUnknown(error: unknown): boolean {
  if (!(error instanceof VendorHttpError)) return false;
  const status = error.httpStatus;
  return status === null || status === 504 || (status >= 200 && status < 300);
}
