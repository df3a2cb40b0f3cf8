import { db } from "@/lib/db";
import { callVendor, type DeviceContext } from "@/lib/devices/context";
import type { ValidicAccount } from "@/lib/devices/identities";
import type { DeviceLifecycle } from "@/lib/generated/prisma/client";
import { confirmReservation, type Reservation } from "@/lib/devices/records";
import { VALIDIC_STATUS } from "@/lib/devices/vendor-status";
import type { TenoviHwiDevice } from "@/lib/vendors/tenovi/schemas";
import { isUnknownGateway } from "@/lib/vendors/tenovi/statuses";
import { SMART_METER_SOURCE } from "@/lib/vendors/validic/schemas";

// Recording what a vendor confirmed, the same way whether the answer came straight back or was found later by
// reconciliation, so a found device is never requested twice.

// What a device operation came to, for the toast and the tests.
export type DeviceOutcome =
  // The vendor confirmed; Pulseboard recorded it.
  | { outcome: "done"; deviceId: string; vendorStatus: string | null; message: string }
  // The vendor accepted but something must be fixed (Tenovi "Unknown Gateway ID"); the device is not active.
  | { outcome: "needs-fix"; deviceId: string; vendorStatus: string; message: string }
  // The vendor did not answer in time; the device waits for "Check with vendor".
  | { outcome: "pending-verification"; deviceId: string; message: string }
  // The vendor has no trace of the request; Pulseboard dropped its reservation.
  | { outcome: "released"; deviceId: string; message: string };

// How to record a confirmed request: the lifecycle it reaches and the timeline entry type.
export type ConfirmPlan = {
  goal: DeviceLifecycle;
  type: string;
  // The gateway already at the patient's home (a Tenovi additional device).
  gatewayUuid?: string | null;
  // Whether a shipment was reserved with the device (it takes the vendor's first status).
  hasShipment: boolean;
};

// Records a Tenovi HWI Device (the activation answer, or the one reconciliation found). "Unknown Gateway ID" is
// recorded as it is (the device exists at Tenovi) but stays assigned, not delivered, with a message to fix it.
export async function recordTenoviActivation(ctx: DeviceContext, reservation: Reservation, wire: TenoviHwiDevice, plan: ConfirmPlan): Promise<DeviceOutcome> {
  const actorId = ctx.actor.id;
  const status = wire.status;
  const hardwareUuid = wire.device.hardware_uuid ?? null;
  if (isUnknownGateway(wire)) {
    await db.$transaction((tx) =>
      confirmReservation(tx, reservation, {
        vendorDeviceId: wire.id,
        vendorStatus: status,
        goal: "assigned",
        type: "activation_needs_fix",
        details: { hwiDeviceId: wire.id },
        actorId,
      }),
    );
    return {
      outcome: "needs-fix",
      deviceId: reservation.deviceId,
      vendorStatus: status,
      message: `Tenovi does not know the gateway ID ${hardwareUuid ?? ""}. Check the ID printed on the gateway and correct it (device menu → Fix gateway ID). The device is not active until then.`,
    };
  }
  const device = await db.device.findUniqueOrThrow({ where: { id: reservation.deviceId }, select: { connectivity: true } });
  const isGateway = device.connectivity === "gateway";
  await db.$transaction((tx) =>
    confirmReservation(tx, reservation, {
      vendorDeviceId: wire.id,
      vendorStatus: status,
      goal: plan.goal,
      gatewayUuid: isGateway ? (plan.gatewayUuid ?? hardwareUuid) : null,
      imei: isGateway ? null : hardwareUuid,
      type: plan.type,
      details: { hwiDeviceId: wire.id },
      shipmentStatus: plan.hasShipment ? status : undefined,
      actorId,
    }),
  );
  const message = plan.hasShipment ? `Tenovi accepted the shipment request (${status}).` : `Tenovi activated the device (${status}).`;
  return { outcome: "done", deviceId: reservation.deviceId, vendorStatus: status, message };
}

// Records a Smart Meter device Validic accepted (202). The connection completes asynchronously, so the user's
// sources are read once: "connected" when Smart Meter shows there, "connection pending" otherwise.
export async function recordValidicConnection(
  ctx: DeviceContext,
  reservation: Reservation,
  account: ValidicAccount,
  plan: ConfirmPlan & { shipmentStatus?: string },
): Promise<DeviceOutcome> {
  const vendorStatus = (await isSmartMeterConnected(ctx, account, reservation)) ? VALIDIC_STATUS.connected : VALIDIC_STATUS.pending;
  await db.$transaction((tx) =>
    confirmReservation(tx, reservation, {
      vendorStatus,
      goal: plan.goal,
      type: plan.type,
      details: { validicUid: account.uid },
      shipmentStatus: plan.shipmentStatus,
      actorId: ctx.actor.id,
    }),
  );
  return { outcome: "done", deviceId: reservation.deviceId, vendorStatus, message: `Validic accepted the Smart Meter connection (${vendorStatus}).` };
}

// Whether the patient's Validic user lists Smart Meter among its sources (a failed read counts as "not yet").
export async function isSmartMeterConnected(ctx: DeviceContext, account: ValidicAccount, target: { deviceId: string; patientId: string }): Promise<boolean> {
  try {
    const user = await callVendor(ctx, { vendor: "validic", operation: "get_user", deviceId: target.deviceId, patientId: target.patientId }, () =>
      ctx.clients.validic.getUser(account.uid),
    );
    return Boolean(user?.sources.some((source) => source.type === SMART_METER_SOURCE));
  } catch {
    return false;
  }
}
