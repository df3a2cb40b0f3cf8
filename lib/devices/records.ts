import { db } from "@/lib/db";
import { ensureTenoviIdentity } from "@/lib/devices/identities";
import { applyTransitions, ENDED_LIFECYCLES, lockDevice, pathTo, PENDING_VERIFICATION, type DbTx } from "@/lib/devices/lifecycle";
import { AppError } from "@/lib/errors";
import type { Connectivity, DeviceCategory, DeviceLifecycle, Fulfiller, Prisma, Vendor } from "@/lib/generated/prisma/client";
import { patientLabel } from "@/lib/patients/names";

// Pulseboard's side of assigning a device, in two steps around the vendor call: a reservation before it (so a second
// click or a concurrent request is refused, and a call with an unknown outcome leaves a visible "Pending verification"
// row), and a confirmation after the vendor said yes. Nothing here claims what the vendor has not confirmed.

// The shipment recorded with a shipped device (the address is the patient's, as staff confirmed it).
export type ShipmentDraft = {
  fulfiller: Fulfiller;
  isGatewayOnly: boolean;
  existingGatewayUuid?: string;
  shippingName: string;
  addressLine1: string;
  addressLine2?: string;
  city: string;
  state: string;
  zipCode: string;
  notifyEmails?: string;
  requireSignature: boolean;
  physician?: string;
};

// The device about to be requested from a vendor, and what was asked (kept on the timeline for reconciliation).
export type ReservationSpec = {
  patientId: string;
  vendor: Vendor;
  vendorType: string;
  category: DeviceCategory;
  connectivity: Connectivity;
  // The unique key when known up front: a cellular device's IMEI, or the vendor's id (Smartz pod).
  imei?: string;
  vendorDeviceId?: string;
  // A Tenovi gateway device's gateway ID, to refuse a second identical device on the same gateway.
  gatewayUuid?: string;
  request: Prisma.InputJsonObject & { operation: string };
  shipment?: ShipmentDraft;
  // The device this one replaces (a swap on site): not counted as a duplicate while both are live.
  replacingDeviceId?: string;
  actorId: string | null;
};

// A reservation: the device row, whether this request created it, and what to restore if the vendor says no.
export type Reservation = {
  deviceId: string;
  patientId: string;
  shipmentId: string | null;
  isNew: boolean;
  previous: { patientId: string | null; vendorStatus: string | null } | null;
};

// Locks the patient row (requests for one patient queue up) and refuses an offboarded patient.
async function lockEnrolledPatient(tx: DbTx, patientId: string) {
  await tx.$queryRaw`SELECT id FROM "Patient" WHERE id = ${patientId} FOR UPDATE`;
  const patient = await tx.patient.findUnique({ where: { id: patientId }, select: { id: true, status: true, firstName: true, lastName: true, mrn: true } });
  if (!patient) throw new AppError("NOT_FOUND", "That patient no longer exists.");
  if (patient.status === "offboarded") throw new AppError("CONFLICT", "This patient has been offboarded. Re-enrol them before giving them a device.");
  return patient;
}

// Why an existing device cannot be given to this patient now, or null when it is free to reuse.
async function unavailableReason(tx: DbTx, device: { patientId: string | null; lifecycle: DeviceLifecycle; vendorStatus: string | null }, patientId: string): Promise<string | null> {
  if (device.vendorStatus === PENDING_VERIFICATION && device.patientId) {
    return "This device is already being assigned and is waiting for the vendor's confirmation. Use “Check with vendor” on it.";
  }
  if (!device.patientId || ENDED_LIFECYCLES.includes(device.lifecycle)) return null;
  if (device.patientId === patientId) return "This device is already assigned to this patient.";
  const holder = await tx.patient.findUnique({ where: { id: device.patientId }, select: { firstName: true, lastName: true, mrn: true } });
  return `This device is already assigned to ${holder ? patientLabel(holder) : "another patient"}. Disconnect or move it first.`;
}

// Reserves the device for the patient before the vendor call (see the module comment). Refuses a device already
// assigned (naming to whom), a request already waiting for confirmation, and an offboarded patient.
export async function reserveDevice(spec: ReservationSpec): Promise<Reservation> {
  return db.$transaction(async (tx) => {
    await lockEnrolledPatient(tx, spec.patientId);
    const existing = spec.imei
      ? await tx.device.findUnique({ where: { vendor_imei: { vendor: spec.vendor, imei: spec.imei } } })
      : spec.vendorDeviceId
        ? await tx.device.findUnique({ where: { vendor_vendorDeviceId: { vendor: spec.vendor, vendorDeviceId: spec.vendorDeviceId } } })
        : null;
    if (existing) {
      const locked = await lockDevice(tx, existing.id);
      const reason = await unavailableReason(tx, locked, spec.patientId);
      if (reason) throw new AppError("CONFLICT", reason);
    } else {
      await refuseDuplicateRequest(tx, spec);
    }
    const device = existing
      ? await tx.device.update({ where: { id: existing.id }, data: { patientId: spec.patientId, vendorStatus: PENDING_VERIFICATION, vendorType: spec.vendorType, category: spec.category } })
      : await tx.device.create({
          data: {
            vendor: spec.vendor,
            vendorType: spec.vendorType,
            category: spec.category,
            connectivity: spec.connectivity,
            imei: spec.imei,
            vendorDeviceId: spec.vendorDeviceId,
            patientId: spec.patientId,
            lifecycle: "in_stock",
            vendorStatus: PENDING_VERIFICATION,
          },
        });
    await tx.deviceEvent.create({
      data: {
        deviceId: device.id,
        type: "vendor_request",
        fromState: device.lifecycle,
        toState: device.lifecycle,
        vendorStatus: PENDING_VERIFICATION,
        // What reconciliation needs: what was asked, and what to restore if the vendor turns out to have said no.
        details: {
          ...spec.request,
          patientId: spec.patientId,
          requestedAt: new Date().toISOString(),
          isNew: !existing,
          previousPatientId: existing?.patientId ?? null,
          previousVendorStatus: existing?.vendorStatus ?? null,
        },
        actorId: spec.actorId,
      },
    });
    const shipment = spec.shipment
      ? await tx.shipment.create({ data: { ...spec.shipment, patientId: spec.patientId, deviceId: device.id, vendor: spec.vendor, status: PENDING_VERIFICATION, createdById: spec.actorId } })
      : null;
    return {
      deviceId: device.id,
      patientId: spec.patientId,
      shipmentId: shipment?.id ?? null,
      isNew: !existing,
      previous: existing ? { patientId: existing.patientId, vendorStatus: existing.vendorStatus } : null,
    };
  });
}

// Devices without a unique key (a Tenovi device on a gateway, or one still to ship): refuse an identical live one.
async function refuseDuplicateRequest(tx: DbTx, spec: ReservationSpec): Promise<void> {
  const twins = await tx.device.findMany({
    where: {
      patientId: spec.patientId,
      vendor: spec.vendor,
      vendorType: spec.vendorType,
      lifecycle: { notIn: [...ENDED_LIFECYCLES] },
      ...(spec.replacingDeviceId ? { id: { not: spec.replacingDeviceId } } : {}),
    },
    include: { gateway: true },
  });
  if (twins.some((d) => d.vendorStatus === PENDING_VERIFICATION)) {
    throw new AppError("CONFLICT", "A request for this device is already waiting for the vendor's confirmation. Use “Check with vendor” on it first.");
  }
  if (spec.gatewayUuid && twins.some((d) => d.gateway?.gatewayUuid === spec.gatewayUuid)) {
    throw new AppError("CONFLICT", `This patient already has a ${spec.vendorType} on gateway ${spec.gatewayUuid}.`);
  }
}

// Undoes a reservation after the vendor refused: a row this request created goes, a reused row gets its patient and
// vendor status back, and the reserved shipment goes.
export async function releaseReservation(reservation: Reservation, reason: string, actorId: string | null): Promise<void> {
  await db.$transaction(async (tx) => {
    const device = await tx.device.findUnique({ where: { id: reservation.deviceId } });
    if (!device || device.vendorStatus !== PENDING_VERIFICATION) return;
    if (reservation.shipmentId) await tx.shipment.deleteMany({ where: { id: reservation.shipmentId } });
    if (reservation.isNew) {
      await tx.shipment.deleteMany({ where: { deviceId: device.id, status: PENDING_VERIFICATION } });
      await tx.device.delete({ where: { id: device.id } });
      return;
    }
    await tx.device.update({ where: { id: device.id }, data: { patientId: reservation.previous?.patientId ?? null, vendorStatus: reservation.previous?.vendorStatus ?? null } });
    await tx.deviceEvent.create({
      data: { deviceId: device.id, type: "vendor_request_failed", fromState: device.lifecycle, toState: device.lifecycle, vendorStatus: reservation.previous?.vendorStatus ?? null, details: { reason }, actorId },
    });
  });
}

// What the vendor confirmed, to record on the reserved device.
export type Confirmation = {
  vendorDeviceId?: string | null;
  vendorStatus: string | null;
  // The lifecycle the device reaches (delivered when handed over on site, assigned when it still has to ship).
  goal: DeviceLifecycle;
  gatewayUuid?: string | null;
  imei?: string | null;
  // The timeline entry type, e.g. "assigned_on_site", "shipment_requested".
  type: string;
  details?: Prisma.InputJsonObject;
  shipmentStatus?: string;
  actorId: string | null;
};

// Records what the vendor confirmed: ids, vendor status, gateway, the patient's assignment period, the lifecycle
// moves (one event each) and the shipment's first status. A second confirmation of the same device is a no-op.
export async function confirmReservation(tx: DbTx, reservation: Reservation, confirmation: Confirmation): Promise<void> {
  const device = await lockDevice(tx, reservation.deviceId);
  if (device.vendorStatus !== PENDING_VERIFICATION) {
    if (confirmation.vendorDeviceId && device.vendorDeviceId === confirmation.vendorDeviceId) return;
    throw new AppError("CONFLICT", "This device changed while the vendor was answering. Reload the page and check it.");
  }
  const gatewayId = confirmation.gatewayUuid ? await upsertGateway(tx, confirmation.gatewayUuid, reservation.patientId) : undefined;
  if (device.vendor === "tenovi") await ensureTenoviIdentity(tx, reservation.patientId);
  await tx.deviceAssignment.updateMany({ where: { deviceId: device.id, endedAt: null }, data: { endedAt: new Date(), endedReason: "Superseded by a new assignment" } });
  await tx.deviceAssignment.create({ data: { deviceId: device.id, patientId: reservation.patientId, createdById: confirmation.actorId } });
  const data: Prisma.DeviceUncheckedUpdateInput = {
    patientId: reservation.patientId,
    ...(confirmation.vendorDeviceId ? { vendorDeviceId: confirmation.vendorDeviceId } : {}),
    ...(gatewayId ? { gatewayId } : {}),
    ...(confirmation.imei ? { imei: confirmation.imei } : {}),
  };
  const path = pathTo(device.lifecycle, confirmation.goal);
  await applyTransitions(tx, { deviceId: device.id, type: confirmation.type, vendorStatus: confirmation.vendorStatus, actorId: confirmation.actorId, details: confirmation.details, data }, path);
  if (reservation.shipmentId && confirmation.shipmentStatus) {
    await tx.shipment.update({ where: { id: reservation.shipmentId }, data: { status: confirmation.shipmentStatus } });
    await tx.shipmentStatusChange.create({ data: { shipmentId: reservation.shipmentId, status: confirmation.shipmentStatus, source: "coordinator" } });
  }
}

// Records an unknown-outcome request on the timeline (the row already says "Pending verification").
export async function notePendingVerification(deviceId: string, message: string, actorId: string | null): Promise<void> {
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { lifecycle: true } });
  if (!device) return;
  await db.deviceEvent.create({
    data: { deviceId, type: "vendor_outcome_unknown", fromState: device.lifecycle, toState: device.lifecycle, vendorStatus: PENDING_VERIFICATION, details: { message }, actorId },
  });
}

// The gateway with this ID, now at this patient's home.
export async function upsertGateway(tx: DbTx, gatewayUuid: string, patientId: string | null): Promise<string> {
  const gateway = await tx.gateway.upsert({
    where: { gatewayUuid },
    create: { gatewayUuid, vendor: "tenovi", patientId },
    update: { patientId },
  });
  return gateway.id;
}

// Ends the device's open assignment period with a reason (readings taken in it stay with that patient).
export async function endAssignment(tx: DbTx, deviceId: string, reason: string, at = new Date()): Promise<void> {
  await tx.deviceAssignment.updateMany({ where: { deviceId, endedAt: null }, data: { endedAt: at, endedReason: reason } });
}

// The latest vendor request of a pending device, and the reservation it made (what reconciliation needs).
export type PendingRequest = { details: Record<string, unknown>; requestedAt: Date; reservation: Reservation };

// The latest vendor request recorded for a device still pending verification; null when there is none.
export async function pendingRequest(deviceId: string): Promise<PendingRequest | null> {
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { patientId: true, vendorStatus: true } });
  if (!device?.patientId || device.vendorStatus !== PENDING_VERIFICATION) return null;
  const event = await db.deviceEvent.findFirst({ where: { deviceId, type: "vendor_request" }, orderBy: { occurredAt: "desc" } });
  if (!event?.details || typeof event.details !== "object" || Array.isArray(event.details)) return null;
  const details = event.details as Record<string, unknown>;
  const shipment = await db.shipment.findFirst({ where: { deviceId, status: PENDING_VERIFICATION }, orderBy: { createdAt: "desc" }, select: { id: true } });
  const isNew = details.isNew === true;
  return {
    details,
    requestedAt: event.occurredAt,
    reservation: {
      deviceId,
      patientId: device.patientId,
      shipmentId: shipment?.id ?? null,
      isNew,
      previous: isNew ? null : { patientId: stringOrNull(details.previousPatientId), vendorStatus: stringOrNull(details.previousVendorStatus) },
    },
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
