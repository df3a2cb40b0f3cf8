import { connectSmartMeter, loadPatientForVendor, requireTenoviDeviceType } from "@/lib/devices/assign";
import { tenoviDeviceKind, validicDeviceCategory } from "@/lib/devices/catalog";
import { recordTenoviActivation, type DeviceOutcome } from "@/lib/devices/confirm";
import { callVendor, requirePermission, type DeviceContext } from "@/lib/devices/context";
import { tenoviPatientFor, vendorIdFor } from "@/lib/devices/identities";
import { applyTransition, canTransition, lockDevice, type DbTx } from "@/lib/devices/lifecycle";
import { reserveDevice, type ShipmentDraft } from "@/lib/devices/records";
import { handleCreateFailure, recordOrPend } from "@/lib/devices/reconcile";
import {
  recordShipmentUpdateSchema,
  shipDeviceSchema,
  type RecordShipmentUpdateInput,
  type ShipDeviceData,
  type ShipDeviceInput,
  type ShippingAddress,
  type TenoviShipMode,
} from "@/lib/devices/schemas";
import { CLINIC_SHIPMENT_STATUS } from "@/lib/devices/vendor-status";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { DeviceLifecycle, Prisma } from "@/lib/generated/prisma/client";
import type { TenoviActivationInput, TenoviShippingInput } from "@/lib/vendors/tenovi/payloads";

// Shipping a device to a patient: Tenovi drop-ships (optionally the gateway only), the clinic ships a Tenovi device
// (client_will_fulfill) and records the shipment itself, an additional device goes to a patient whose gateway is
// already at home, and Smart Meter devices are always shipped by the clinic (connected at Validic when assigned).

type PatientForShipping = Awaited<ReturnType<typeof loadPatientForVendor>>;

// Ships a device (permission device.assign). A Shipment with its first status is recorded once the vendor accepted.
export async function shipDevice(ctx: DeviceContext, input: ShipDeviceInput): Promise<DeviceOutcome> {
  requirePermission(ctx, "device.assign");
  const data = shipDeviceSchema.parse(input);
  const patient = await loadPatientForVendor(data.patientId);
  if (data.vendor === "tenovi") return shipTenovi(ctx, data, patient);
  return shipValidic(ctx, data, patient);
}

function shipmentDraft(address: ShippingAddress, emails: string[], requireSignature: boolean, patient: PatientForShipping, extra: Pick<ShipmentDraft, "fulfiller" | "isGatewayOnly" | "existingGatewayUuid">): ShipmentDraft {
  return {
    ...extra,
    shippingName: address.name,
    addressLine1: address.line1,
    addressLine2: address.line2,
    city: address.city,
    state: address.state,
    zipCode: address.zipCode,
    notifyEmails: emails.length > 0 ? emails.join(",") : undefined,
    requireSignature,
    physician: patient.physician ?? undefined,
  };
}

function tenoviShipping(address: ShippingAddress, emails: string[], requireSignature: boolean): TenoviShippingInput {
  return {
    name: address.name,
    addressLines: [address.line1, ...(address.line2 ? [address.line2] : [])],
    city: address.city,
    state: address.state,
    zipCode: address.zipCode,
    ...(emails.length > 0 ? { notifyEmails: emails } : {}),
    requireSignature,
  };
}

// Whether the clinic or Tenovi sends the parcel in each mode.
function clientWillFulfill(mode: TenoviShipMode, clinicShips: boolean): boolean {
  if (mode === "clinic-ships") return true;
  if (mode === "additional-device") return clinicShips;
  return false;
}

type TenoviShip = Extract<ShipDeviceData, { vendor: "tenovi" }>;

async function shipTenovi(ctx: DeviceContext, data: TenoviShip, patient: PatientForShipping): Promise<DeviceOutcome> {
  // ASSUMPTION (as the simulator): gateway-only shipping is for gateway-connected devices.
  await requireTenoviDeviceType(ctx, data.deviceName, data.mode === "gateway-only" || data.mode === "additional-device" ? "gateway" : undefined);
  const existingGatewayId = data.mode === "additional-device" ? data.existingGatewayId : undefined;
  if (existingGatewayId) {
    const gateway = await db.gateway.findUnique({ where: { gatewayUuid: existingGatewayId }, select: { patientId: true } });
    if (gateway?.patientId !== patient.id) throw new AppError("INVALID_INPUT", "That gateway is not recorded at this patient's home. Pick one of the patient's gateways.");
  }
  const isClinic = clientWillFulfill(data.mode, data.clinicShips);
  const externalId = await vendorIdFor(patient.id, "tenovi");
  const reservation = await reserveDevice({
    patientId: patient.id,
    vendor: "tenovi",
    vendorType: data.deviceName,
    ...tenoviDeviceKind(data.deviceName),
    gatewayUuid: existingGatewayId,
    request: {
      operation: "tenovi.activate",
      kind: data.mode,
      deviceName: data.deviceName,
      hardwareUuid: existingGatewayId ?? null,
      externalId,
      goal: "assigned",
      confirmType: "shipment_requested",
    },
    shipment: shipmentDraft(data.address, data.notifyEmails, data.requireSignature, patient, {
      fulfiller: isClinic ? "clinic" : "vendor",
      isGatewayOnly: data.mode === "gateway-only",
      existingGatewayUuid: existingGatewayId,
    }),
    actorId: ctx.actor.id,
  });
  const shipping = tenoviShipping(data.address, data.notifyEmails, data.requireSignature);
  const tenoviPatient = tenoviPatientFor(patient, externalId);
  const input: TenoviActivationInput = existingGatewayId
    ? { kind: "additional-device", deviceName: data.deviceName, existingGatewayId, shipping, clinicShips: data.clinicShips, patient: tenoviPatient }
    : { kind: data.mode === "additional-device" ? "tenovi-ships" : data.mode, deviceName: data.deviceName, shipping, patient: tenoviPatient };
  let result;
  try {
    result = await callVendor(ctx, { vendor: "tenovi", operation: "activate_device", deviceId: reservation.deviceId, patientId: patient.id }, () => ctx.clients.tenovi.activateDevice(input), (r) => r.outcome);
  } catch (error) {
    return handleCreateFailure(ctx, reservation, "tenovi", error);
  }
  const wire = result.device;
  return recordOrPend(ctx, reservation, "tenovi", () =>
    recordTenoviActivation(ctx, reservation, wire, { goal: "assigned", type: "shipment_requested", gatewayUuid: existingGatewayId, hasShipment: true }),
  );
}

type ValidicShip = Extract<ShipDeviceData, { vendor: "validic" }>;

// Validic does not ship (it holds no PHI): the clinic sends the Smart Meter device, connected now by its IMEI.
async function shipValidic(ctx: DeviceContext, data: ValidicShip, patient: PatientForShipping): Promise<DeviceOutcome> {
  const reservation = await reserveDevice({
    patientId: patient.id,
    vendor: "validic",
    vendorType: data.deviceType,
    category: validicDeviceCategory(data.deviceType),
    connectivity: "cellular",
    imei: data.imei,
    request: { operation: "validic.connect", deviceType: data.deviceType, goal: "assigned", confirmType: "shipment_requested", shipmentStatus: CLINIC_SHIPMENT_STATUS.pending },
    shipment: shipmentDraft(data.address, data.notifyEmails, data.requireSignature, patient, { fulfiller: "clinic", isGatewayOnly: false }),
    actorId: ctx.actor.id,
  });
  return connectSmartMeter(ctx, reservation, data.imei, data.deviceType, {
    goal: "assigned",
    type: "shipment_requested",
    hasShipment: true,
    shipmentStatus: CLINIC_SHIPMENT_STATUS.pending,
  });
}

// What recording a shipment update came to.
export type ShipmentUpdateResult = { shipmentId: string; status: string; vendorStatus: string | null; message: string };

// Records the clinic's own shipment news (permission shipment.write): carrier, tracking link, shipped and delivered
// dates. A Tenovi clinic-fulfilled device is told its tracking link first (Tenovi then marks it shipped); a device
// Tenovi ships itself gets its status from Tenovi, not from staff.
export async function recordShipmentUpdate(ctx: DeviceContext, input: RecordShipmentUpdateInput): Promise<ShipmentUpdateResult> {
  requirePermission(ctx, "shipment.write");
  const update = recordShipmentUpdateSchema.parse(input);
  const shipment = await db.shipment.findUnique({ where: { id: update.shipmentId }, include: { device: true } });
  if (!shipment) throw new AppError("NOT_FOUND", "That shipment no longer exists.");
  if (shipment.fulfiller === "vendor") throw new AppError("CONFLICT", "Tenovi ships this device; its status comes from Tenovi's updates.");
  const isMarkingShipped = Boolean(update.trackingLink || update.shippedAt) && !shipment.shippedAt;
  let vendorStatus: string | null = shipment.device?.vendorStatus ?? null;
  if (shipment.vendor === "tenovi" && isMarkingShipped) {
    const trackingLink = update.trackingLink ?? shipment.trackingLink;
    const hwiDeviceId = shipment.device?.vendorDeviceId;
    if (!trackingLink) throw new AppError("INVALID_INPUT", "Tenovi needs the tracking link to mark a clinic shipment as shipped.");
    if (!hwiDeviceId) throw new AppError("CONFLICT", "Tenovi never confirmed this device; check it with Tenovi first.");
    const wire = await callVendor(ctx, { vendor: "tenovi", operation: "record_client_shipment", deviceId: shipment.deviceId ?? undefined, patientId: shipment.patientId }, () =>
      ctx.clients.tenovi.recordClientShipment(hwiDeviceId, trackingLink),
    );
    vendorStatus = wire.status;
  }
  const status = update.deliveredAt || shipment.deliveredAt ? CLINIC_SHIPMENT_STATUS.delivered : isMarkingShipped || shipment.shippedAt ? CLINIC_SHIPMENT_STATUS.shipped : shipment.status;
  await db.$transaction(async (tx) => {
    const data: Prisma.ShipmentUpdateInput = {
      status,
      ...(update.carrier ? { carrier: update.carrier } : {}),
      ...(update.trackingLink ? { trackingLink: update.trackingLink } : {}),
      ...(isMarkingShipped ? { shippedAt: update.shippedAt ?? new Date() } : {}),
      ...(update.deliveredAt ? { deliveredAt: update.deliveredAt } : {}),
    };
    await tx.shipment.update({ where: { id: shipment.id }, data });
    // The change happened when the coordinator says it did (the worklist counts the state's days from it).
    const occurredAt = (status === CLINIC_SHIPMENT_STATUS.delivered ? update.deliveredAt : update.shippedAt) ?? new Date();
    if (status !== shipment.status) await tx.shipmentStatusChange.create({ data: { shipmentId: shipment.id, status, source: "coordinator", occurredAt } });
    if (shipment.deviceId) await moveShippedDevice(tx, shipment.deviceId, status, vendorStatus, ctx.actor.id);
  });
  return { shipmentId: shipment.id, status, vendorStatus, message: `Shipment recorded as ${status.toLowerCase()}.` };
}

// The device follows its shipment forward only (a device already measuring stays active).
async function moveShippedDevice(tx: DbTx, deviceId: string, status: string, vendorStatus: string | null, actorId: string | null) {
  const device = await lockDevice(tx, deviceId);
  const goal: DeviceLifecycle = status === CLINIC_SHIPMENT_STATUS.delivered ? "delivered" : "shipping";
  const order: DeviceLifecycle[] = ["assigned", "shipping", "delivered"];
  const isForward = order.indexOf(device.lifecycle) >= 0 && order.indexOf(device.lifecycle) < order.indexOf(goal);
  const to = isForward && canTransition(device.lifecycle, goal) ? goal : device.lifecycle;
  if (to === device.lifecycle && vendorStatus === device.vendorStatus) return;
  await applyTransition(tx, { deviceId, to, vendorStatus, type: status === CLINIC_SHIPMENT_STATUS.delivered ? "shipment_delivered" : "shipment_shipped", actorId });
}
