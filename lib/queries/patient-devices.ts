import { readRows } from "@/lib/database/read-rows";
import { Prisma, type Connectivity, type DeviceLifecycle, type Fulfiller, type Patient, type Vendor } from "@/lib/generated/prisma/client";
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

// A device row of the card: the device's fields the card shows and acts on, its gateway and its latest shipment.
type DeviceRow = {
  id: string;
  vendor: Vendor;
  vendorType: string;
  imei: string | null;
  vendorDeviceId: string | null;
  connectivity: Connectivity;
  lifecycle: DeviceLifecycle;
  vendorStatus: string | null;
  lastReadingAt: Date | null;
  gatewayUuid: string | null;
  shipmentId: string | null;
  shipmentStatus: string | null;
  shipmentFulfiller: Fulfiller | null;
  shipmentDeliveredAt: Date | null;
};

// An ended assignment of the patient, with the device's fields its label needs.
type PreviousRow = {
  id: string;
  deviceId: string;
  startedAt: Date;
  endedAt: Date | null;
  endedReason: string | null;
  vendor: Vendor;
  vendorType: string;
  imei: string | null;
  vendorDeviceId: string | null;
  gatewayUuid: string | null;
};

// Everything the Devices card shows and offers for one patient. Two plain-SQL queries (devices with their gateway and
// latest shipment; ended assignments with their device), on the pool (lib/database/read-rows.ts): through Prisma's
// includes they were six queries, the costliest part of the patient page.
export async function getPatientDevices(patient: DevicesCardPatient) {
  const [devices, previous] = await Promise.all([
    readRows<DeviceRow>(Prisma.sql`
      SELECT d.id, d.vendor::text AS vendor, d."vendorType", d.imei, d."vendorDeviceId", d.connectivity::text AS connectivity,
             d.lifecycle::text AS lifecycle, d."vendorStatus", d."lastReadingAt", g."gatewayUuid",
             s.id AS "shipmentId", s.status AS "shipmentStatus", s.fulfiller::text AS "shipmentFulfiller", s."deliveredAt" AS "shipmentDeliveredAt"
        FROM "Device" d
        LEFT JOIN "Gateway" g ON g.id = d."gatewayId"
        LEFT JOIN LATERAL (SELECT x.id, x.status, x.fulfiller, x."deliveredAt" FROM "Shipment" x WHERE x."deviceId" = d.id ORDER BY x."createdAt" DESC, x.id DESC LIMIT 1) s ON TRUE
       WHERE d."patientId" = ${patient.id}
       ORDER BY d."createdAt", d.id`),
    readRows<PreviousRow>(Prisma.sql`
      SELECT a.id, a."deviceId", a."startedAt", a."endedAt", a."endedReason", d.vendor::text AS vendor, d."vendorType", d.imei, d."vendorDeviceId", g."gatewayUuid"
        FROM "DeviceAssignment" a
        JOIN "Device" d ON d.id = a."deviceId"
        LEFT JOIN "Gateway" g ON g.id = d."gatewayId"
       WHERE a."patientId" = ${patient.id} AND a."endedAt" IS NOT NULL
       ORDER BY a."endedAt" DESC, a.id
       LIMIT 20`),
  ]);
  const withGateway = <T extends { gatewayUuid: string | null }>(row: T) => ({ ...row, gateway: row.gatewayUuid === null ? null : { gatewayUuid: row.gatewayUuid } });
  const current = devices.map((row) => {
    const device = withGateway(row);
    const shipment =
      row.shipmentId !== null && row.shipmentStatus !== null && row.shipmentFulfiller !== null
        ? { id: row.shipmentId, status: row.shipmentStatus, fulfiller: row.shipmentFulfiller, deliveredAt: row.shipmentDeliveredAt }
        : null;
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
    previous: previous.map((a) => ({ id: a.id, deviceId: a.deviceId, label: deviceLabel(withGateway(a)), startedAt: a.startedAt, endedAt: a.endedAt, endedReason: a.endedReason })),
  };
}
