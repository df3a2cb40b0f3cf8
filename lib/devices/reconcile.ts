import { db } from "@/lib/db";
import { recordTenoviActivation, recordValidicConnection, isSmartMeterConnected, type DeviceOutcome } from "@/lib/devices/confirm";
import { callVendor, isOutcomeUnknown, requirePermission, type DeviceContext } from "@/lib/devices/context";
import { lookupValidicUser } from "@/lib/devices/identities";
import { applyTransition, applyTransitions, canTransition, ENDED_LIFECYCLES, lockDevice, pathTo, PENDING_VERIFICATION } from "@/lib/devices/lifecycle";
import { notePendingVerification, pendingRequest, releaseReservation, upsertGateway, type PendingRequest, type Reservation } from "@/lib/devices/records";
import { correctGatewaySchema, reconcileDeviceSchema, type CorrectGatewayInput, type ReconcileDeviceInput } from "@/lib/devices/schemas";
import { TENOVI_NOT_FOUND, VALIDIC_STATUS } from "@/lib/devices/vendor-status";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { Device, DeviceLifecycle } from "@/lib/generated/prisma/client";
import { lifecycleForTenoviStatus } from "@/lib/ingest/tenovi-device-status";
import type { VendorName } from "@/lib/vendors/base-client";
import { isUnknownGateway, UNKNOWN_GATEWAY_ID } from "@/lib/vendors/tenovi/statuses";
import { smartMeterDeviceTypeSchema } from "@/lib/vendors/validic/schemas";

// Finding out what a vendor actually did: after a creating call with an unknown outcome (a timeout, or a local write
// that failed after the vendor said yes) Pulseboard reads the vendor's own list and records the match, instead of
// sending the request again. Also "Check with vendor" for any device, and correcting an unknown gateway ID.

const VENDOR_LABEL: Record<VendorName, string> = { tenovi: "Tenovi", validic: "Validic", smartz: "Smartz" };
// A vendor's clock may run a little behind ours: devices created shortly before the request still match.
const CLOCK_SKEW_MS = 5 * 60_000;

// After a creating call failed: a refusal releases the reservation and rethrows the vendor's message; an unknown
// outcome marks the device "Pending verification" and looks at the vendor once (without repeating the request).
export async function handleCreateFailure(ctx: DeviceContext, reservation: Reservation, vendor: VendorName, error: unknown): Promise<DeviceOutcome> {
  if (!isOutcomeUnknown(error)) {
    await releaseReservation(reservation, error instanceof Error ? error.message : "The vendor refused the request.", ctx.actor.id);
    throw error;
  }
  await notePendingVerification(reservation.deviceId, error instanceof Error ? error.message : "No answer", ctx.actor.id);
  try {
    const found = await reconcilePending(ctx, reservation.deviceId, { isExplicit: false });
    if (found.outcome !== "pending-verification") return found;
  } catch {
    // Still unknown: the device stays pending for an explicit check.
  }
  return {
    outcome: "pending-verification",
    deviceId: reservation.deviceId,
    message: `${VENDOR_LABEL[vendor]} did not confirm in time, so the device is marked “Pending verification”. Use “Check with vendor” on it; it will not be requested twice.`,
  };
}

// Records what the vendor confirmed; when that local write fails, the device stays "Pending verification" and the
// vendor's answer is found again by reconciliation later (matched on the vendor's list, never requested twice).
export async function recordOrPend(ctx: DeviceContext, reservation: Reservation, vendor: VendorName, record: () => Promise<DeviceOutcome>): Promise<DeviceOutcome> {
  try {
    return await record();
  } catch (error) {
    if (error instanceof AppError && error.code !== "DATABASE_UNAVAILABLE" && error.code !== "CONFIGURATION") throw error;
    logger.error("saving a vendor-confirmed device failed", { deviceId: reservation.deviceId, vendor, error: error instanceof Error ? error.name : "unknown" });
    await notePendingVerification(reservation.deviceId, "Saving the vendor's confirmation failed", ctx.actor.id).catch(() => undefined);
    return {
      outcome: "pending-verification",
      deviceId: reservation.deviceId,
      message: `${VENDOR_LABEL[vendor]} confirmed, but Pulseboard could not save it. The device is marked “Pending verification”; use “Check with vendor” to pick up ${VENDOR_LABEL[vendor]}'s record (it will not be requested twice).`,
    };
  }
}

// Asks the vendor about a device: a pending request is matched on the vendor's list (or released when an explicit
// check finds no trace of it); any other device gets its vendor status read again.
export async function reconcileDevice(ctx: DeviceContext, input: ReconcileDeviceInput): Promise<DeviceOutcome> {
  requirePermission(ctx, "device.assign");
  const { deviceId } = reconcileDeviceSchema.parse(input);
  const device = await db.device.findUnique({ where: { id: deviceId } });
  if (!device) throw new AppError("NOT_FOUND", "That device no longer exists.");
  if (device.vendorStatus === PENDING_VERIFICATION) return reconcilePending(ctx, deviceId, { isExplicit: true });
  return refreshFromVendor(ctx, device);
}

// Looks for a pending device's request at its vendor. `isExplicit` (staff asked) may release a request the vendor has
// no trace of, and may resend a Direct Connection (safe for the same user); the automatic look right after a timeout
// only reads.
export async function reconcilePending(ctx: DeviceContext, deviceId: string, options: { isExplicit: boolean }): Promise<DeviceOutcome> {
  const pending = await pendingRequest(deviceId);
  if (!pending) {
    const device = await db.device.findUnique({ where: { id: deviceId }, select: { vendorStatus: true } });
    return { outcome: "done", deviceId, vendorStatus: device?.vendorStatus ?? null, message: "Nothing is waiting for confirmation on this device." };
  }
  const operation = pending.details.operation;
  if (operation === "tenovi.activate") return reconcileTenovi(ctx, pending, options);
  if (operation === "validic.connect") return reconcileValidic(ctx, pending, options);
  return releaseIfExplicit(ctx, pending, options, "Pulseboard cannot look this request up at the vendor; it was cancelled.");
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function goalOf(details: Record<string, unknown>): DeviceLifecycle {
  return details.goal === "assigned" ? "assigned" : "delivered";
}

async function releaseIfExplicit(ctx: DeviceContext, pending: PendingRequest, options: { isExplicit: boolean }, message: string): Promise<DeviceOutcome> {
  const { reservation } = pending;
  if (!options.isExplicit) return { outcome: "pending-verification", deviceId: reservation.deviceId, message };
  await releaseReservation(reservation, message, ctx.actor.id);
  return { outcome: "released", deviceId: reservation.deviceId, message };
}

// Tenovi: list devices by the hardware UUID that was sent (on site, or the gateway of an additional device), else by
// the patient's external_id; a device of the requested type that Pulseboard does not know yet, created since the
// request, is the one.
async function reconcileTenovi(ctx: DeviceContext, pending: PendingRequest, options: { isExplicit: boolean }): Promise<DeviceOutcome> {
  const { details, reservation } = pending;
  const hardwareUuid = text(details.hardwareUuid);
  const externalId = text(details.externalId);
  const deviceName = text(details.deviceName);
  const target = { vendor: "tenovi" as const, operation: "list_devices", deviceId: reservation.deviceId, patientId: reservation.patientId };
  const listed = await callVendor(ctx, target, () => ctx.clients.tenovi.listDevices(hardwareUuid ? { hardwareUuid } : { externalId }), (list) => `${list.length} listed`);
  const known = await db.device.findMany({ where: { vendor: "tenovi", vendorDeviceId: { in: listed.map((d) => d.id) } }, select: { vendorDeviceId: true } });
  const knownIds = new Set(known.map((d) => d.vendorDeviceId));
  const since = pending.requestedAt.getTime() - CLOCK_SKEW_MS;
  const match = listed
    .filter((d) => d.device.name === deviceName && !knownIds.has(d.id))
    .filter((d) => !externalId || !d.patient_id || d.patient_id === externalId)
    .filter((d) => !d.device.created || Date.parse(d.device.created) >= since)
    .sort((a, b) => (a.device.created ?? "").localeCompare(b.device.created ?? ""))[0];
  if (match) {
    return recordTenoviActivation(ctx, reservation, match, {
      goal: goalOf(details),
      type: text(details.confirmType) ?? "assigned_on_site",
      gatewayUuid: details.kind === "additional-device" ? hardwareUuid : undefined,
      hasShipment: reservation.shipmentId !== null,
    });
  }
  return releaseIfExplicit(ctx, pending, options, "Tenovi has no record of this request, so nothing was activated. You can assign the device again.");
}

// Validic: Smart Meter in the user's sources confirms the connection when it is the patient's only Smart Meter
// device; otherwise an explicit check sends the connect again. ASSUMPTION: Validic accepts a repeated connect of the
// same IMEI for the same user (the simulator keeps the connection) and answers 409 only for another user.
async function reconcileValidic(ctx: DeviceContext, pending: PendingRequest, options: { isExplicit: boolean }): Promise<DeviceOutcome> {
  const { details, reservation } = pending;
  const device = await db.device.findUniqueOrThrow({ where: { id: reservation.deviceId }, select: { imei: true } });
  const account = await lookupValidicUser(ctx, reservation.patientId);
  if (!account || !device.imei) return releaseIfExplicit(ctx, pending, options, "Validic has no user for this patient, so nothing was connected.");
  const plan = {
    goal: goalOf(details),
    type: text(details.confirmType) ?? "assigned_on_site",
    hasShipment: reservation.shipmentId !== null,
    shipmentStatus: text(details.shipmentStatus),
  };
  const others = await db.device.count({
    where: { patientId: reservation.patientId, vendor: "validic", id: { not: reservation.deviceId }, lifecycle: { notIn: [...ENDED_LIFECYCLES] }, vendorStatus: VALIDIC_STATUS.connected },
  });
  if (others === 0 && (await isSmartMeterConnected(ctx, account, reservation))) return recordValidicConnection(ctx, reservation, account, plan);
  if (!options.isExplicit) return { outcome: "pending-verification", deviceId: reservation.deviceId, message: "Validic has not confirmed the connection yet." };
  const deviceType = smartMeterDeviceTypeSchema.parse(details.deviceType);
  const imei = device.imei;
  try {
    await callVendor(ctx, { vendor: "validic", operation: "connect", deviceId: reservation.deviceId, patientId: reservation.patientId }, () =>
      ctx.clients.validic.connect(account.marketplaceToken, imei, deviceType),
    );
  } catch (error) {
    if (isOutcomeUnknown(error)) return { outcome: "pending-verification", deviceId: reservation.deviceId, message: "Validic still did not answer; check again shortly." };
    const message = error instanceof Error ? error.message : "Validic refused the connection.";
    await releaseReservation(reservation, message, ctx.actor.id);
    return { outcome: "released", deviceId: reservation.deviceId, message };
  }
  return recordValidicConnection(ctx, reservation, account, plan);
}

// Reads a confirmed device's status at its vendor again and records any change (the vendor's word is kept as-is;
// the lifecycle follows the same rules as webhooks and never moves where the lifecycle table forbids).
export async function refreshFromVendor(ctx: DeviceContext, device: Device): Promise<DeviceOutcome> {
  const target = { deviceId: device.id, patientId: device.patientId ?? undefined };
  if (device.vendor === "tenovi") {
    if (!device.vendorDeviceId) throw new AppError("CONFLICT", "Tenovi never confirmed this device, so there is nothing to look up.");
    const hwiDeviceId = device.vendorDeviceId;
    const wire = await callVendor(ctx, { vendor: "tenovi", operation: "get_device", ...target }, () => ctx.clients.tenovi.getDevice(hwiDeviceId));
    if (!wire) return recordVendorStatus(ctx, device, TENOVI_NOT_FOUND, device.lifecycle, {});
    const hardware = wire.device.hardware_uuid ?? null;
    const gatewayId = device.connectivity === "gateway" && hardware && !isUnknownGateway(wire) ? await db.$transaction((tx) => upsertGateway(tx, hardware, device.patientId)) : undefined;
    const imei = device.connectivity === "cellular" && hardware && hardware !== device.imei ? hardware : undefined;
    return recordVendorStatus(ctx, device, wire.status, lifecycleForTenoviStatus(wire.status, device.lifecycle), { gatewayId, imei });
  }
  if (device.vendor === "validic") {
    if (!device.patientId) return recordVendorStatus(ctx, device, device.vendorStatus, device.lifecycle, {});
    const account = await lookupValidicUser(ctx, device.patientId);
    const isConnected = account ? await isSmartMeterConnected(ctx, account, { deviceId: device.id, patientId: device.patientId }) : false;
    const status = isConnected ? VALIDIC_STATUS.connected : ENDED_LIFECYCLES.includes(device.lifecycle) ? VALIDIC_STATUS.disconnected : VALIDIC_STATUS.pending;
    return recordVendorStatus(ctx, device, status, device.lifecycle, {});
  }
  const pods = await callVendor(ctx, { vendor: "smartz", operation: "list_devices", ...target }, () => ctx.clients.smartz.listDevices({ type: "pod" }));
  const pod = pods.find((p) => p.id === device.vendorDeviceId);
  return recordVendorStatus(ctx, device, pod ? (pod.status ?? "listed") : "not listed at Smartz", device.lifecycle, {});
}

async function recordVendorStatus(
  ctx: DeviceContext,
  device: Device,
  vendorStatus: string | null,
  lifecycle: DeviceLifecycle,
  data: { gatewayId?: string; imei?: string },
): Promise<DeviceOutcome> {
  const isChanged = vendorStatus !== device.vendorStatus || lifecycle !== device.lifecycle || data.gatewayId !== undefined || data.imei !== undefined;
  if (isChanged) {
    await db.$transaction(async (tx) => {
      const current = await lockDevice(tx, device.id);
      const to = canTransition(current.lifecycle, lifecycle) ? lifecycle : current.lifecycle;
      await applyTransition(tx, { deviceId: device.id, to, vendorStatus, type: "vendor_checked", actorId: ctx.actor.id, data: { ...(data.gatewayId ? { gatewayId: data.gatewayId } : {}), ...(data.imei ? { imei: data.imei } : {}) } });
    });
  }
  const message = isChanged ? `The vendor reports “${vendorStatus ?? "no status"}”; Pulseboard is up to date.` : `No change: the vendor still reports “${vendorStatus ?? "no status"}”.`;
  return { outcome: "done", deviceId: device.id, vendorStatus, message };
}

// Corrects the gateway ID of a Tenovi device that came back "Unknown Gateway ID": Tenovi is told first, and the device
// becomes delivered only when Tenovi knows the new gateway.
export async function correctGateway(ctx: DeviceContext, input: CorrectGatewayInput): Promise<DeviceOutcome> {
  requirePermission(ctx, "device.assign");
  const { deviceId, gatewayId } = correctGatewaySchema.parse(input);
  const device = await db.device.findUnique({ where: { id: deviceId } });
  if (!device || device.vendor !== "tenovi" || !device.vendorDeviceId) throw new AppError("NOT_FOUND", "That Tenovi device no longer exists.");
  if (device.vendorStatus !== UNKNOWN_GATEWAY_ID) throw new AppError("CONFLICT", "Only a device Tenovi answered “Unknown Gateway ID” for needs its gateway ID corrected.");
  const hwiDeviceId = device.vendorDeviceId;
  const wire = await callVendor(ctx, { vendor: "tenovi", operation: "update_hardware_uuid", deviceId, patientId: device.patientId ?? undefined }, () =>
    ctx.clients.tenovi.updateHardwareUuid(hwiDeviceId, gatewayId),
  );
  if (isUnknownGateway(wire)) {
    await recordVendorStatus(ctx, device, wire.status, device.lifecycle, {});
    return { outcome: "needs-fix", deviceId, vendorStatus: wire.status, message: `Tenovi does not know gateway ${gatewayId} either. Check the ID printed on the gateway.` };
  }
  await db.$transaction(async (tx) => {
    const current = await lockDevice(tx, deviceId);
    const gateway = await upsertGateway(tx, gatewayId, current.patientId);
    await applyTransitions(tx, { deviceId, type: "gateway_corrected", vendorStatus: wire.status, actorId: ctx.actor.id, data: { gatewayId: gateway } }, pathTo(current.lifecycle, "delivered"));
  });
  return { outcome: "done", deviceId, vendorStatus: wire.status, message: `Tenovi accepted gateway ${gatewayId} (${wire.status}).` };
}
