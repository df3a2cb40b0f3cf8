import { db } from "@/lib/db";
import type { Patient } from "@/lib/generated/prisma/client";
import { deviceLabel } from "@/lib/devices/disconnect";
import { ENDED_LIFECYCLES, PENDING_VERIFICATION } from "@/lib/devices/lifecycle";

// A patient's devices for the Devices card: current ones (with their latest shipment), and past assignment periods.

const VENDOR_PLAN = {
  tenovi: "Tenovi: delete the device, or unlink its gateway if Tenovi already fulfilled its shipment.",
  validic: "Validic: disconnect all of the patient's Smart Meter devices (disconnect_all).",
  smartz: "Smartz is read-only: unlink the pod in Pulseboard.",
} as const;

// The patient's fields the Devices card uses; the patient page has loaded them already.
export type DevicesCardPatient = Pick<
  Patient,
  "id" | "firstName" | "lastName" | "status" | "addressLine1" | "addressLine2" | "city" | "state" | "zipCode" | "physician" | "smsConsent"
>;

// Everything the Devices card shows and offers for one patient.
export async function getPatientDevices(patient: DevicesCardPatient) {
  const patientId = patient.id;
  const [devices, previous] = await Promise.all([
    db.device.findMany({
      where: { patientId },
      include: { gateway: { select: { gatewayUuid: true } }, shipments: { orderBy: { createdAt: "desc" }, take: 1 } },
      orderBy: { createdAt: "asc" },
    }),
    db.deviceAssignment.findMany({
      where: { patientId, endedAt: { not: null } },
      include: { device: { include: { gateway: { select: { gatewayUuid: true } } } } },
      orderBy: { endedAt: "desc" },
      take: 20,
    }),
  ]);
  const current = devices.map((device) => {
    const shipment = device.shipments[0] ?? null;
    const isOpenClinicShipment = shipment !== null && shipment.fulfiller === "clinic" && shipment.deliveredAt === null && shipment.status !== PENDING_VERIFICATION;
    return { device, label: deviceLabel(device), shipment, clinicShipmentId: isOpenClinicShipment ? shipment.id : null };
  });
  const toDisconnect = current
    .filter(({ device }) => !ENDED_LIFECYCLES.includes(device.lifecycle))
    .map(({ device, label }) => ({
      id: device.id,
      label,
      plan:
        device.vendorStatus === PENDING_VERIFICATION
          ? "Waiting for the vendor's confirmation: checked with the vendor first."
          : device.vendor === "tenovi" && !device.vendorDeviceId
            ? "Never confirmed at Tenovi: removed in Pulseboard."
            : VENDOR_PLAN[device.vendor],
    }));
  return {
    patient,
    current,
    toDisconnect,
    previous: previous.map((a) => ({ id: a.id, deviceId: a.deviceId, label: deviceLabel(a.device), startedAt: a.startedAt, endedAt: a.endedAt, endedReason: a.endedReason })),
  };
}
