import { recordAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { deviceTypeName } from "@/lib/devices/catalog";
import { callVendor, requirePermission, type DeviceContext } from "@/lib/devices/context";
import { lookupValidicUser } from "@/lib/devices/identities";
import { applyTransition, ENDED_LIFECYCLES, lockDevice, PENDING_VERIFICATION } from "@/lib/devices/lifecycle";
import { onPatientOffboarded } from "@/lib/devices/on-patient-offboarded";
import { endAssignment, pendingRequest, releaseReservation } from "@/lib/devices/records";
import { reconcilePending } from "@/lib/devices/reconcile";
import { disconnectDeviceSchema, offboardPatientSchema, type DisconnectDeviceInput, type OffboardPatientInput } from "@/lib/devices/schemas";
import { SMARTZ_UNLINKED, TENOVI_DELETED, TENOVI_NOT_FOUND, VALIDIC_STATUS } from "@/lib/devices/vendor-status";
import { AppError } from "@/lib/errors";
import type { Device, Prisma } from "@/lib/generated/prisma/client";
import { VendorHttpError } from "@/lib/vendors/base-client";

// Disconnecting devices at their vendors, one at a time or all of a patient's at offboarding. A device is marked
// disconnected only after its vendor confirmed (or said it has nothing to disconnect); a failure leaves it as it was,
// so offboarding can be retried until every device is disconnected.

const VENDOR_LABEL = { tenovi: "Tenovi", validic: "Validic", smartz: "Smartz" } as const;

// How one device's disconnection went.
export type DisconnectResult = {
  deviceId: string;
  label: string;
  vendor: Device["vendor"];
  outcome: "disconnected" | "failed";
  vendorStatus: string | null;
  message: string;
};

// What offboarding came to: per-device results, and whether the patient is now offboarded.
export type OffboardResult = { patientId: string; isOffboarded: boolean; remaining: number; alertsResolved: number; results: DisconnectResult[] };

type DeviceWithGateway = Device & { gateway: { gatewayUuid: string } | null };

// What a device's label is made of.
type LabelledDevice = Pick<Device, "imei" | "vendorDeviceId" | "vendor" | "vendorType"> & { gateway: { gatewayUuid: string } | null };

// A device as staff recognise it: its type (with the vendor unless the type names it) and its IMEI, gateway or id.
export function deviceLabel(device: LabelledDevice): string {
  const id = device.imei ?? device.gateway?.gatewayUuid ?? device.vendorDeviceId;
  const vendor = VENDOR_LABEL[device.vendor];
  const typeLabel = deviceTypeName(device);
  const name = typeLabel.startsWith(vendor) ? typeLabel : `${typeLabel} (${vendor})`;
  return `${name}${id ? ` · ${id}` : ""}`;
}

// What the vendor confirmed about a disconnection, to record locally.
type VendorConfirmation = { vendorStatus: string | null; message: string; details: Prisma.InputJsonObject };

// Disconnects one device at its vendor (permission device.disconnect); throws the vendor's message when it fails.
export async function disconnectDevice(ctx: DeviceContext, input: DisconnectDeviceInput): Promise<DisconnectResult> {
  requirePermission(ctx, "device.disconnect");
  const { deviceId, reason } = disconnectDeviceSchema.parse(input);
  const device = await loadDevice(deviceId);
  return disconnectOne(ctx, device, reason);
}

async function loadDevice(deviceId: string): Promise<DeviceWithGateway> {
  const device = await db.device.findUnique({ where: { id: deviceId }, include: { gateway: { select: { gatewayUuid: true } } } });
  if (!device) throw new AppError("NOT_FOUND", "That device no longer exists.");
  return device;
}

// Disconnects one device for callers that checked permission (swap and move use it too). Throws on vendor failure.
export async function disconnectOne(ctx: DeviceContext, device: DeviceWithGateway, reason: string): Promise<DisconnectResult> {
  const label = deviceLabel(device);
  if (ENDED_LIFECYCLES.includes(device.lifecycle)) {
    return { deviceId: device.id, label, vendor: device.vendor, outcome: "disconnected", vendorStatus: device.vendorStatus, message: "Already disconnected." };
  }
  if (device.vendorStatus === PENDING_VERIFICATION) {
    // An unconfirmed request is settled first: cancelled when the vendor has no trace of it, else disconnected below.
    const settled = await reconcilePending(ctx, device.id, { isExplicit: true });
    if (settled.outcome === "released") return { deviceId: device.id, label, vendor: device.vendor, outcome: "disconnected", vendorStatus: null, message: "The vendor never received this request; it was cancelled." };
    if (settled.outcome === "pending-verification") throw new AppError("CONFLICT", `${settled.message} Disconnect it once the vendor has answered.`);
    return disconnectOne(ctx, await loadDevice(device.id), reason);
  }
  const confirmation = await disconnectAtVendor(ctx, device);
  await recordDisconnected(ctx, device.id, reason, confirmation);
  return { deviceId: device.id, label, vendor: device.vendor, outcome: "disconnected", vendorStatus: confirmation.vendorStatus, message: confirmation.message };
}

// The vendor call(s) of a disconnection. Tenovi: delete the HWI device, or unlink its gateway when Tenovi refuses
// because the shipment was fulfilled. Validic: disconnect the IMEI. Smartz: nothing to call (read-only API).
async function disconnectAtVendor(ctx: DeviceContext, device: DeviceWithGateway): Promise<VendorConfirmation> {
  const target = { deviceId: device.id, patientId: device.patientId ?? undefined };
  if (device.vendor === "tenovi") {
    if (!device.vendorDeviceId) return { vendorStatus: device.vendorStatus, message: "Tenovi never had this device; removed in Pulseboard.", details: {} };
    const hwiDeviceId = device.vendorDeviceId;
    const deleted = await callVendor(ctx, { vendor: "tenovi", operation: "delete_device", ...target }, () => ctx.clients.tenovi.deleteDevice(hwiDeviceId), (r) => r.outcome);
    if (deleted.outcome === "deleted") return { vendorStatus: TENOVI_DELETED, message: "Deleted at Tenovi.", details: { tenovi: "deleted" } };
    if (deleted.outcome === "not-found") return { vendorStatus: TENOVI_NOT_FOUND, message: "Tenovi no longer had this device.", details: { tenovi: "not-found" } };
    const unlinked = await callVendor(ctx, { vendor: "tenovi", operation: "unlink_gateway", ...target }, () => ctx.clients.tenovi.unlinkGateway(hwiDeviceId));
    return { vendorStatus: unlinked?.status ?? "Unlinked", message: "Tenovi kept the device (its shipment was fulfilled), so its gateway was unlinked.", details: { tenovi: "unlinked" } };
  }
  if (device.vendor === "validic") {
    const account = device.patientId ? await lookupValidicUser(ctx, device.patientId) : null;
    if (!account || !device.imei) return { vendorStatus: VALIDIC_STATUS.disconnected, message: "Validic has no user for this patient, so nothing was connected there.", details: { validic: "no-user" } };
    const imei = device.imei;
    try {
      const removed = await callVendor(ctx, { vendor: "validic", operation: "disconnect", ...target }, () => ctx.clients.validic.disconnect(account.marketplaceToken, imei));
      return { vendorStatus: VALIDIC_STATUS.disconnected, message: "Disconnected at Validic.", details: { validic: "disconnected", deletedAt: removed.deleted_at ?? null } };
    } catch (error) {
      // ASSUMPTION: 404 means the IMEI is not connected to this user, so there is nothing left to disconnect.
      if (error instanceof VendorHttpError && error.httpStatus === 404) return { vendorStatus: VALIDIC_STATUS.disconnected, message: "Validic had no connection for this IMEI.", details: { validic: "not-connected" } };
      throw error;
    }
  }
  await recordAudit({ actor: ctx.actor, action: "vendor.smartz.unlink_local", outcome: "success", targetType: "device", targetId: device.id, patientId: device.patientId ?? undefined, requestId: ctx.requestId });
  return { vendorStatus: SMARTZ_UNLINKED, message: "Unlinked in Pulseboard (Smartz is read-only).", details: { smartz: "unlinked-locally" } };
}

// Records a confirmed disconnection: the assignment period ends with the reason, the device leaves the patient
// (its readings stay with them) and becomes disconnected, with the vendor's word beside it.
async function recordDisconnected(ctx: DeviceContext, deviceId: string, reason: string, confirmation: VendorConfirmation): Promise<void> {
  await db.$transaction(async (tx) => {
    const device = await lockDevice(tx, deviceId);
    await endAssignment(tx, deviceId, reason);
    const to = device.lifecycle === "in_stock" ? "in_stock" : "disconnected";
    await applyTransition(tx, {
      deviceId,
      to,
      vendorStatus: confirmation.vendorStatus,
      type: "disconnected",
      actorId: ctx.actor.id,
      details: { ...confirmation.details, reason, patientId: device.patientId },
      data: { patientId: null },
    });
  });
}

// Offboards a patient (permission patient.offboard): every device at every vendor is disconnected (Validic with one
// disconnect_all), each with its own result. Only when none is left is the patient marked offboarded, their open
// alerts closed and the offboarding hook run; otherwise the same call can be retried for what is left.
export async function offboardPatient(ctx: DeviceContext, input: OffboardPatientInput): Promise<OffboardResult> {
  requirePermission(ctx, "patient.offboard");
  const { patientId } = offboardPatientSchema.parse(input);
  const patient = await db.patient.findUnique({ where: { id: patientId }, select: { id: true, status: true } });
  if (!patient) throw new AppError("NOT_FOUND", "That patient no longer exists.");
  const reason = "Patient offboarded";
  const devices = await liveDevices(patientId);
  const results: DisconnectResult[] = [];
  const validic = devices.filter((d) => d.vendor === "validic");
  if (validic.length > 0) results.push(...(await disconnectAllValidic(ctx, patientId, validic, reason)));
  for (const device of devices.filter((d) => d.vendor !== "validic")) {
    try {
      results.push(await disconnectOne(ctx, device, reason));
    } catch (error) {
      results.push({ deviceId: device.id, label: deviceLabel(device), vendor: device.vendor, outcome: "failed", vendorStatus: device.vendorStatus, message: messageOf(error) });
    }
  }
  const remaining = (await liveDevices(patientId)).length;
  if (remaining > 0) return { patientId, isOffboarded: false, remaining, alertsResolved: 0, results };
  const { alertsResolved } = await db.$transaction(async (tx) => {
    await tx.patient.update({ where: { id: patientId }, data: { status: "offboarded", offboardedAt: new Date() } });
    return onPatientOffboarded(tx, patientId, ctx.actor.id);
  });
  return { patientId, isOffboarded: true, remaining: 0, alertsResolved, results };
}

// The devices still in use by (or being requested for) a patient.
export async function liveDevices(patientId: string): Promise<DeviceWithGateway[]> {
  return db.device.findMany({
    where: { patientId, lifecycle: { notIn: [...ENDED_LIFECYCLES] } },
    include: { gateway: { select: { gatewayUuid: true } } },
    orderBy: { createdAt: "asc" },
  });
}

// One disconnect_all for all of the patient's Smart Meter devices; each device is marked from Validic's answer.
async function disconnectAllValidic(ctx: DeviceContext, patientId: string, devices: DeviceWithGateway[], reason: string): Promise<DisconnectResult[]> {
  let account;
  let removedImeis = new Set<string>();
  try {
    account = await lookupValidicUser(ctx, patientId);
    if (account) {
      const token = account.marketplaceToken;
      const removed = await callVendor(ctx, { vendor: "validic", operation: "disconnect_all", patientId }, () => ctx.clients.validic.disconnectAll(token), (r) => `${r.meta.total} removed`);
      removedImeis = new Set(removed.connections.map((c) => c.credentials.device_id));
    }
  } catch (error) {
    return devices.map((d) => ({ deviceId: d.id, label: deviceLabel(d), vendor: d.vendor, outcome: "failed" as const, vendorStatus: d.vendorStatus, message: messageOf(error) }));
  }
  const results: DisconnectResult[] = [];
  for (const device of devices) {
    const label = deviceLabel(device);
    if (device.vendorStatus === PENDING_VERIFICATION) {
      // Validic now holds no connection for this patient, so an unconfirmed connect is settled as not made.
      const pending = await pendingRequest(device.id);
      if (pending) await releaseReservation(pending.reservation, reason, ctx.actor.id);
      results.push({ deviceId: device.id, label, vendor: device.vendor, outcome: "disconnected", vendorStatus: null, message: "The unconfirmed connection was cancelled." });
      continue;
    }
    const wasConnected = device.imei !== null && removedImeis.has(device.imei);
    const message = !account ? "Validic has no user for this patient, so nothing was connected there." : wasConnected ? "Disconnected at Validic." : "Validic had no connection for this IMEI.";
    await recordDisconnected(ctx, device.id, reason, { vendorStatus: VALIDIC_STATUS.disconnected, message, details: { validic: wasConnected ? "disconnect_all" : "not-connected" } });
    results.push({ deviceId: device.id, label, vendor: device.vendor, outcome: "disconnected", vendorStatus: VALIDIC_STATUS.disconnected, message });
  }
  return results;
}

function messageOf(error: unknown): string {
  return error instanceof AppError ? error.message : "Something went wrong; try again.";
}
