import { db } from "@/lib/db";
import { assignOnSite, loadPatientForVendor } from "@/lib/devices/assign";
import { callVendor, isOutcomeUnknown, requirePermission, type DeviceContext } from "@/lib/devices/context";
import { deviceLabel, disconnectOne } from "@/lib/devices/disconnect";
import { ensureTenoviIdentity, tenoviPatientFor, vendorIdFor } from "@/lib/devices/identities";
import { applyTransition, applyTransitions, ENDED_LIFECYCLES, lockDevice, pathTo, PENDING_VERIFICATION } from "@/lib/devices/lifecycle";
import { endAssignment } from "@/lib/devices/records";
import { moveDeviceSchema, swapDeviceSchema, type AssignDeviceData, type MoveDeviceInput, type SwapDeviceData, type SwapDeviceInput } from "@/lib/devices/schemas";
import { AppError } from "@/lib/errors";
import type { Device, DeviceLifecycle } from "@/lib/generated/prisma/client";
import { patientLabel } from "@/lib/patients/names";
import type { TenoviReplacement } from "@/lib/vendors/tenovi/schemas";
import { smartMeterDeviceTypeSchema } from "@/lib/vendors/validic/schemas";

// Replacing a device or gateway, and moving a device to another patient. An assignment period ends with its reason,
// readings stay with the patient they were taken from, and the vendor is changed before Pulseboard says so.

// What a swap or move came to.
export type SwapResult = {
  // done: everything confirmed; partial: the new side is in place but the old one still needs attention;
  // requested: the vendor will ship a replacement; not-swapped: nothing changed (see message).
  outcome: "done" | "partial" | "requested" | "not-swapped";
  deviceId: string;
  message: string;
};

type DeviceWithGateway = Device & { gateway: { gatewayUuid: string } | null };

// Where a device can be moved from: it has reached its patient (a shipment in progress is not moved).
const MOVABLE: readonly DeviceLifecycle[] = ["delivered", "active", "silent"];
const REPLACEMENT_STATUS = "Replacement requested";
// A vendor's clock may run a little behind ours.
const CLOCK_SKEW_MS = 5 * 60_000;

async function loadLiveDevice(deviceId: string): Promise<DeviceWithGateway & { patientId: string }> {
  const device = await db.device.findUnique({ where: { id: deviceId }, include: { gateway: { select: { gatewayUuid: true } } } });
  if (!device) throw new AppError("NOT_FOUND", "That device no longer exists.");
  const patientId = device.patientId;
  if (!patientId || ENDED_LIFECYCLES.includes(device.lifecycle)) throw new AppError("CONFLICT", "This device is not in use by a patient.");
  if (device.vendorStatus === PENDING_VERIFICATION) throw new AppError("CONFLICT", "This device is waiting for the vendor's confirmation. Use “Check with vendor” first.");
  return { ...device, patientId };
}

// Replaces a device (permission device.assign): Tenovi ships a replacement device or gateway through its replacement
// request, or new hardware handed over on site takes over (new device confirmed first, then the old one disconnected).
export async function swapDevice(ctx: DeviceContext, input: SwapDeviceInput): Promise<SwapResult> {
  requirePermission(ctx, "device.assign");
  const data = swapDeviceSchema.parse(input);
  const device = await loadLiveDevice(data.deviceId);
  if (data.mode === "tenovi-replacement") return requestTenoviReplacement(ctx, device, data);
  return swapOnSite(ctx, device, data);
}

type ReplacementData = Extract<SwapDeviceData, { mode: "tenovi-replacement" }>;

async function requestTenoviReplacement(ctx: DeviceContext, device: DeviceWithGateway & { patientId: string }, data: ReplacementData): Promise<SwapResult> {
  if (device.vendor !== "tenovi" || !device.vendorDeviceId) throw new AppError("INVALID_INPUT", "Tenovi replacements are for Tenovi devices only.");
  if (data.replace === "gateway" && device.connectivity !== "gateway") throw new AppError("INVALID_INPUT", "This device reports over its own cellular modem; it has no gateway to replace.");
  const hwiDeviceId = device.vendorDeviceId;
  const startedAt = Date.now();
  const target = { vendor: "tenovi" as const, operation: "request_replacement", deviceId: device.id, patientId: device.patientId };
  let replacement: TenoviReplacement;
  try {
    replacement = await callVendor(ctx, target, () =>
      ctx.clients.tenovi.createReplacement({
        hwiDeviceId,
        deviceNames: [data.replace === "gateway" ? "Gateway" : device.vendorType],
        shipping: {
          name: data.address.name,
          addressLines: [data.address.line1, ...(data.address.line2 ? [data.address.line2] : [])],
          city: data.address.city,
          state: data.address.state,
          zipCode: data.address.zipCode,
          ...(data.notifyEmails.length > 0 ? { notifyEmails: data.notifyEmails } : {}),
        },
      }),
    );
  } catch (error) {
    if (!isOutcomeUnknown(error)) throw error;
    // The request may have gone through: look for it rather than asking twice.
    const found = await findReplacement(ctx, device, hwiDeviceId, startedAt);
    if (!found) throw new AppError("VENDOR_UNAVAILABLE", "Tenovi did not confirm the replacement request and has no record of it yet. Check again in a minute before requesting another.");
    replacement = found;
  }
  await db.$transaction(async (tx) => {
    const shipment = await tx.shipment.create({
      data: {
        patientId: device.patientId,
        deviceId: device.id,
        vendor: "tenovi",
        fulfiller: "vendor",
        isGatewayOnly: data.replace === "gateway",
        status: REPLACEMENT_STATUS,
        shippingName: data.address.name,
        addressLine1: data.address.line1,
        addressLine2: data.address.line2,
        city: data.address.city,
        state: data.address.state,
        zipCode: data.address.zipCode,
        notifyEmails: data.notifyEmails.length > 0 ? data.notifyEmails.join(",") : undefined,
        createdById: ctx.actor.id,
      },
    });
    await tx.shipmentStatusChange.create({ data: { shipmentId: shipment.id, status: REPLACEMENT_STATUS, source: "coordinator" } });
    await applyTransition(tx, {
      deviceId: device.id,
      to: device.lifecycle,
      type: "replacement_requested",
      actorId: ctx.actor.id,
      details: { replacementId: replacement.id, replace: data.replace, reason: data.reason, shipmentId: shipment.id },
    });
  });
  const what = data.replace === "gateway" ? "gateway" : "device";
  return {
    outcome: "requested",
    deviceId: device.id,
    message: `Tenovi will ship a replacement ${what}. Readings continue on this device; its hardware ID updates when the replacement ships.`,
  };
}

async function findReplacement(ctx: DeviceContext, device: Device, hwiDeviceId: string, startedAt: number): Promise<TenoviReplacement | null> {
  const listed = await callVendor(ctx, { vendor: "tenovi", operation: "list_replacements", deviceId: device.id, patientId: device.patientId ?? undefined }, () =>
    ctx.clients.tenovi.listReplacements(),
  );
  return listed.find((r) => r.hwi_device_id === hwiDeviceId && (!r.created || Date.parse(r.created) >= startedAt - CLOCK_SKEW_MS)) ?? null;
}

type OnSiteData = Extract<SwapDeviceData, { mode: "on-site" }>;

// The new device's assignment: same vendor and type as the old one, with the identifier of the new hardware.
function replacementAssignment(device: DeviceWithGateway & { patientId: string }, data: OnSiteData): AssignDeviceData {
  const patientId = device.patientId;
  if (device.vendor === "smartz") {
    if (!data.podId) throw new AppError("INVALID_INPUT", "Enter the new pod's ID or serial number.");
    return { vendor: "smartz", patientId, podId: data.podId };
  }
  if (device.vendor === "validic") {
    if (!data.imei) throw new AppError("INVALID_INPUT", "Enter the new device's IMEI.");
    return { vendor: "validic", patientId, deviceType: smartMeterDeviceTypeSchema.parse(device.vendorType), imei: data.imei };
  }
  if (device.connectivity === "cellular") {
    if (!data.imei) throw new AppError("INVALID_INPUT", "Enter the new device's IMEI.");
    return { vendor: "tenovi", connectivity: "cellular", patientId, deviceName: device.vendorType, imei: data.imei };
  }
  if (!data.gatewayId) throw new AppError("INVALID_INPUT", "Enter the gateway ID the new device reports through.");
  return { vendor: "tenovi", connectivity: "gateway", patientId, deviceName: device.vendorType, gatewayId: data.gatewayId };
}

async function swapOnSite(ctx: DeviceContext, device: DeviceWithGateway & { patientId: string }, data: OnSiteData): Promise<SwapResult> {
  const next = replacementAssignment(device, data);
  if ((next.vendor === "validic" || (next.vendor === "tenovi" && next.connectivity === "cellular")) && next.imei === device.imei) {
    throw new AppError("INVALID_INPUT", "That is the IMEI of the device being replaced. Enter the new device's IMEI.");
  }
  if (next.vendor === "smartz" && (next.podId === device.vendorDeviceId)) throw new AppError("INVALID_INPUT", "That is the pod being replaced. Enter the new pod.");
  const outcome = await assignOnSite(ctx, next, { replacingDeviceId: device.id });
  if (outcome.outcome !== "done") {
    return { outcome: "not-swapped", deviceId: outcome.deviceId, message: `The old device stays in use: ${outcome.message}` };
  }
  await db.$transaction((tx) =>
    applyTransition(tx, { deviceId: outcome.deviceId, to: "delivered", type: "swapped_in", actorId: ctx.actor.id, details: { replacesDeviceId: device.id, reason: data.reason } }),
  );
  try {
    await disconnectOne(ctx, device, `Replaced (${data.reason})`);
  } catch (error) {
    const said = error instanceof AppError ? error.message : "the vendor did not confirm";
    return {
      outcome: "partial",
      deviceId: outcome.deviceId,
      message: `The new device is in use, but disconnecting the old one failed: ${said} Disconnect ${deviceLabel(device)} from its menu.`,
    };
  }
  return { outcome: "done", deviceId: outcome.deviceId, message: `Swapped: the new device is in use and ${deviceLabel(device)} is disconnected. Past readings stay with this patient.` };
}

// Moves a device to another patient (permission device.assign). Tenovi: the device's patient is changed at Tenovi
// (one PATCH) before Pulseboard records the move. Validic and Smartz: disconnected from the first patient, then
// assigned to the second (Validic: disconnect at the vendor before connecting for the new patient).
export async function moveDevice(ctx: DeviceContext, input: MoveDeviceInput): Promise<SwapResult> {
  requirePermission(ctx, "device.assign");
  const data = moveDeviceSchema.parse(input);
  const device = await loadLiveDevice(data.deviceId);
  if (data.toPatientId === device.patientId) throw new AppError("INVALID_INPUT", "The device is already with this patient.");
  if (!MOVABLE.includes(device.lifecycle)) throw new AppError("CONFLICT", "Only a device that has reached its patient can be moved.");
  const [from, to] = await Promise.all([loadPatientForVendor(device.patientId), loadPatientForVendor(data.toPatientId)]);
  if (to.status === "offboarded") throw new AppError("CONFLICT", "The other patient has been offboarded. Re-enrol them first.");
  const reason = `Moved to another patient (${data.reason})`;
  if (device.vendor === "tenovi") return moveTenovi(ctx, device, from, to, reason);
  const next: AssignDeviceData =
    device.vendor === "validic"
      ? { vendor: "validic", patientId: to.id, deviceType: smartMeterDeviceTypeSchema.parse(device.vendorType), imei: device.imei ?? "" }
      : { vendor: "smartz", patientId: to.id, podId: device.vendorDeviceId ?? "" };
  await disconnectOne(ctx, device, reason);
  try {
    const outcome = await assignOnSite(ctx, next);
    if (outcome.outcome !== "done") return { outcome: "partial", deviceId: outcome.deviceId, message: `Disconnected from ${patientLabel(from)}. ${outcome.message}` };
    return { outcome: "done", deviceId: outcome.deviceId, message: `Moved to ${patientLabel(to)}. Readings taken before stay with ${patientLabel(from)}.` };
  } catch (error) {
    const said = error instanceof AppError ? error.message : "the vendor refused";
    return { outcome: "partial", deviceId: device.id, message: `Disconnected from ${patientLabel(from)}, but connecting it for ${patientLabel(to)} failed: ${said} The device is free; assign it on site.` };
  }
}

type PatientRef = Awaited<ReturnType<typeof loadPatientForVendor>>;

async function moveTenovi(ctx: DeviceContext, device: DeviceWithGateway & { patientId: string }, from: PatientRef, to: PatientRef, reason: string): Promise<SwapResult> {
  if (!device.vendorDeviceId) throw new AppError("CONFLICT", "Tenovi never confirmed this device; check it with Tenovi first.");
  if (device.gatewayId) {
    const sharing = await db.device.count({ where: { gatewayId: device.gatewayId, id: { not: device.id }, patientId: device.patientId, lifecycle: { notIn: [...ENDED_LIFECYCLES] } } });
    if (sharing > 0) throw new AppError("CONFLICT", `This device shares gateway ${device.gateway?.gatewayUuid ?? ""} with ${sharing} other device(s) of this patient. Move them together, or ship the new patient their own gateway.`);
  }
  const hwiDeviceId = device.vendorDeviceId;
  const externalId = await vendorIdFor(to.id, "tenovi");
  await callVendor(ctx, { vendor: "tenovi", operation: "update_patient", deviceId: device.id, patientId: to.id }, () =>
    ctx.clients.tenovi.updatePatient(hwiDeviceId, tenoviPatientFor(to, externalId)),
  );
  await db.$transaction(async (tx) => {
    const current = await lockDevice(tx, device.id);
    await endAssignment(tx, device.id, reason);
    await tx.deviceAssignment.create({ data: { deviceId: device.id, patientId: to.id, createdById: ctx.actor.id } });
    if (current.gatewayId) await tx.gateway.update({ where: { id: current.gatewayId }, data: { patientId: to.id } });
    await ensureTenoviIdentity(tx, to.id, externalId);
    const details = { fromPatientId: from.id, toPatientId: to.id, reason };
    await applyTransitions(tx, { deviceId: device.id, type: "moved", actorId: ctx.actor.id, details, data: { patientId: to.id } }, [...pathTo(current.lifecycle, "assigned"), "delivered"]);
  });
  return { outcome: "done", deviceId: device.id, message: `Moved to ${patientLabel(to)} at Tenovi. Readings taken before stay with ${patientLabel(from)}.` };
}
