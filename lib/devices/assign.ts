import { db } from "@/lib/db";
import { tenoviDeviceKind, SMARTZ_POD, validicDeviceCategory } from "@/lib/devices/catalog";
import { recordTenoviActivation, recordValidicConnection, type DeviceOutcome } from "@/lib/devices/confirm";
import { callVendor, requirePermission, type DeviceContext } from "@/lib/devices/context";
import { ensureValidicUser, linkSmartzResident, tenoviPatientFor, vendorIdFor, type ValidicAccount } from "@/lib/devices/identities";
import { confirmReservation, releaseReservation, reserveDevice, type Reservation } from "@/lib/devices/records";
import { handleCreateFailure, recordOrPend } from "@/lib/devices/reconcile";
import { assignDeviceSchema, type AssignDeviceData, type AssignDeviceInput } from "@/lib/devices/schemas";
import { AppError } from "@/lib/errors";
import { connectivityOf } from "@/lib/vendors/tenovi/device-catalog";
import type { SmartMeterDeviceType } from "@/lib/vendors/validic/schemas";

// Assigning a device handed to the patient on site, at each vendor: Tenovi activation with the gateway ID or IMEI,
// Smart Meter through Validic Direct Connection, a Smartz pod verified at Smartz and linked in Pulseboard.

// Assigns a device on site (permission device.assign). Local state is written only after the vendor confirms.
export async function assignDevice(ctx: DeviceContext, input: AssignDeviceInput): Promise<DeviceOutcome> {
  requirePermission(ctx, "device.assign");
  return assignOnSite(ctx, assignDeviceSchema.parse(input));
}

// How an on-site assignment relates to other devices: a swap names the device being replaced.
export type AssignOptions = { replacingDeviceId?: string };

// The assignment itself, for callers that already checked permission (swap and move reuse it).
export async function assignOnSite(ctx: DeviceContext, data: AssignDeviceData, options: AssignOptions = {}): Promise<DeviceOutcome> {
  if (data.vendor === "tenovi") return assignTenovi(ctx, data, options);
  if (data.vendor === "validic") return assignValidic(ctx, data, options);
  return assignSmartz(ctx, data, options);
}

// The patient fields the vendors need.
export async function loadPatientForVendor(patientId: string) {
  const patient = await db.patient.findUnique({
    where: { id: patientId },
    select: { id: true, firstName: true, lastName: true, mrn: true, physician: true, smsConsent: true, status: true, addressLine1: true, addressLine2: true, city: true, state: true, zipCode: true },
  });
  if (!patient) throw new AppError("NOT_FOUND", "That patient no longer exists.");
  return patient;
}

// Checks a Tenovi device name against the account's device types and how it connects.
export async function requireTenoviDeviceType(ctx: DeviceContext, deviceName: string, connectivity?: "gateway" | "cellular"): Promise<void> {
  const types = await ctx.clients.tenovi.deviceTypes();
  if (!types.some((type) => type.name === deviceName)) {
    throw new AppError("INVALID_INPUT", `“${deviceName}” is not a device type on this Tenovi account. Pick one from the list.`);
  }
  if (connectivity && connectivityOf(deviceName) !== connectivity) {
    throw new AppError(
      "INVALID_INPUT",
      connectivity === "gateway" ? `${deviceName} reports over its own cellular modem: enter its IMEI, not a gateway ID.` : `${deviceName} reports through a gateway: enter the gateway ID.`,
    );
  }
}

type TenoviOnSite = Extract<AssignDeviceData, { vendor: "tenovi" }>;

async function assignTenovi(ctx: DeviceContext, data: TenoviOnSite, options: AssignOptions): Promise<DeviceOutcome> {
  const patient = await loadPatientForVendor(data.patientId);
  await requireTenoviDeviceType(ctx, data.deviceName, data.connectivity);
  const hardwareUuid = data.connectivity === "gateway" ? data.gatewayId : data.imei;
  const externalId = await vendorIdFor(patient.id, "tenovi");
  const kind = data.connectivity === "gateway" ? "on-site-gateway" : "on-site-cellular";
  const reservation = await reserveDevice({
    patientId: patient.id,
    vendor: "tenovi",
    vendorType: data.deviceName,
    ...tenoviDeviceKind(data.deviceName),
    imei: data.connectivity === "cellular" ? data.imei : undefined,
    gatewayUuid: data.connectivity === "gateway" ? data.gatewayId : undefined,
    request: { operation: "tenovi.activate", kind, deviceName: data.deviceName, hardwareUuid, externalId, goal: "delivered", confirmType: "assigned_on_site" },
    replacingDeviceId: options.replacingDeviceId,
    actorId: ctx.actor.id,
  });
  const tenoviPatient = tenoviPatientFor(patient, externalId);
  const input =
    data.connectivity === "gateway"
      ? { kind: "on-site-gateway" as const, deviceName: data.deviceName, gatewayId: data.gatewayId, patient: tenoviPatient }
      : { kind: "on-site-cellular" as const, deviceName: data.deviceName, imei: data.imei, patient: tenoviPatient };
  let result;
  try {
    result = await callVendor(ctx, { vendor: "tenovi", operation: "activate_device", deviceId: reservation.deviceId, patientId: patient.id }, () => ctx.clients.tenovi.activateDevice(input), (r) => r.outcome);
  } catch (error) {
    return handleCreateFailure(ctx, reservation, "tenovi", error);
  }
  const wire = result.device;
  return recordOrPend(ctx, reservation, "tenovi", () => recordTenoviActivation(ctx, reservation, wire, { goal: "delivered", type: "assigned_on_site", hasShipment: false }));
}

type ValidicOnSite = Extract<AssignDeviceData, { vendor: "validic" }>;

async function assignValidic(ctx: DeviceContext, data: ValidicOnSite, options: AssignOptions): Promise<DeviceOutcome> {
  const patient = await loadPatientForVendor(data.patientId);
  const reservation = await reserveDevice({
    patientId: patient.id,
    vendor: "validic",
    vendorType: data.deviceType,
    category: validicDeviceCategory(data.deviceType),
    connectivity: "cellular",
    imei: data.imei,
    request: { operation: "validic.connect", deviceType: data.deviceType, goal: "delivered", confirmType: "assigned_on_site" },
    replacingDeviceId: options.replacingDeviceId,
    actorId: ctx.actor.id,
  });
  return connectSmartMeter(ctx, reservation, data.imei, data.deviceType, { goal: "delivered", type: "assigned_on_site", hasShipment: false });
}

// Provisions the patient's Validic user if needed, then connects one IMEI (one request per device). A refusal
// releases the reservation; an unknown outcome leaves the device pending verification.
export async function connectSmartMeter(
  ctx: DeviceContext,
  reservation: Reservation,
  imei: string,
  deviceType: SmartMeterDeviceType,
  plan: { goal: "delivered" | "assigned"; type: string; hasShipment: boolean; shipmentStatus?: string },
): Promise<DeviceOutcome> {
  let account: ValidicAccount;
  try {
    account = await ensureValidicUser(ctx, reservation.patientId);
  } catch (error) {
    await releaseReservation(reservation, error instanceof Error ? error.message : "Validic user not provisioned", ctx.actor.id);
    throw error;
  }
  try {
    await callVendor(ctx, { vendor: "validic", operation: "connect", deviceId: reservation.deviceId, patientId: reservation.patientId }, () =>
      ctx.clients.validic.connect(account.marketplaceToken, imei, deviceType),
    );
  } catch (error) {
    return handleCreateFailure(ctx, reservation, "validic", error);
  }
  return recordOrPend(ctx, reservation, "validic", () => recordValidicConnection(ctx, reservation, account, plan));
}

type SmartzOnSite = Extract<AssignDeviceData, { vendor: "smartz" }>;

// Smartz is read-only: the pod must be one Smartz lists for the organisation; the link lives in Pulseboard.
async function assignSmartz(ctx: DeviceContext, data: SmartzOnSite, options: AssignOptions): Promise<DeviceOutcome> {
  const patient = await loadPatientForVendor(data.patientId);
  const pods = await callVendor(ctx, { vendor: "smartz", operation: "list_devices", patientId: patient.id }, () => ctx.clients.smartz.listDevices({ type: "pod" }));
  const wanted = data.podId.trim().toLowerCase();
  const pod = pods.find((p) => p.id.toLowerCase() === wanted || p.serialNumber.toLowerCase() === wanted);
  if (!pod) throw new AppError("NOT_FOUND", "Smartz lists no pod with this ID or serial number for your organisation. Check the label on the pod.");
  const reservation = await reserveDevice({
    patientId: patient.id,
    vendor: "smartz",
    ...SMARTZ_POD,
    vendorDeviceId: pod.id,
    request: { operation: "smartz.link", podId: pod.id },
    replacingDeviceId: options.replacingDeviceId,
    actorId: ctx.actor.id,
  });
  const vendorStatus = pod.status ?? "listed";
  const residentId = pod.patientId;
  const isPolled = await db.$transaction(async (tx) => {
    await confirmReservation(tx, reservation, {
      vendorStatus,
      goal: "delivered",
      type: "assigned_on_site",
      details: { serialNumber: pod.serialNumber, smartzPatientId: residentId ?? null },
      actorId: ctx.actor.id,
    });
    return residentId ? linkSmartzResident(tx, patient.id, residentId) : false;
  });
  const linked = `Pod ${pod.serialNumber} is linked to the patient (Smartz is read-only; the link is kept in Pulseboard).`;
  const polling = isPolled
    ? " Its diaper events arrive with the next Smartz poll."
    : ` Smartz ${residentId ? "has this pod's resident linked to another patient" : "has not assigned this pod to a resident"}, so no events can be fetched for it yet.`;
  return { outcome: "done", deviceId: reservation.deviceId, vendorStatus, message: linked + polling };
}
