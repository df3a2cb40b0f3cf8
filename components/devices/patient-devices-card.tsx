
import { AssignDeviceDialog } from "@/components/devices/assign-device-dialog";
import { DeviceRowMenu } from "@/components/devices/device-row-menu";
import { LifecycleBadge } from "@/components/devices/lifecycle-badge";
import { OffboardPatientDialog } from "@/components/devices/offboard-patient-dialog";
import { ShipDeviceDialog } from "@/components/devices/ship-device-dialog";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Link } from "@/components/ui/link";
import { Table, TableActionsHead, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getStaffSession } from "@/lib/auth";
import { deviceTypeName } from "@/lib/devices/catalog";
import { formatDate, formatRelative, VENDOR_LABELS } from "@/lib/format";
import { fullName } from "@/lib/patients/names";
import { can } from "@/lib/permissions";
import { getPatientDevices, type DevicesCardPatient } from "@/lib/queries/patient-devices";

// The patient page's Devices card: each device with its lifecycle and the vendor's own status word, the actions the
// signed-in role may take (assign on site, ship, per-device menu, offboard), and the devices the patient had before.
export async function PatientDevicesCard({ patient: loaded }: { patient: DevicesCardPatient }) {
  const [session, data] = await Promise.all([getStaffSession(), getPatientDevices(loaded)]);
  if (!session) return null;
  const { patient, current, previous, toDisconnect } = data;
  const isEnrolled = patient.status === "enrolled";
  const permissions = {
    canAssign: can(session.role, "device.assign") && isEnrolled,
    canDisconnect: can(session.role, "device.disconnect"),
    canWriteShipments: can(session.role, "shipment.write"),
  };
  const name = fullName(patient);
  const address = {
    name,
    line1: patient.addressLine1 ?? "",
    line2: patient.addressLine2 ?? "",
    city: patient.city ?? "",
    state: patient.state ?? "",
    zipCode: patient.zipCode ?? "",
  };
  return (
    <Card aria-labelledby="devices-heading">
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
        <div>
          <CardTitle id="devices-heading">Devices</CardTitle>
          <CardDescription>Lifecycle in Pulseboard, with the vendor&apos;s own status beside it.</CardDescription>
        </div>
        <div className="flex flex-wrap gap-2">
          {permissions.canAssign ? (
            <>
              <AssignDeviceDialog patientId={patient.id} />
              <ShipDeviceDialog patient={{ id: patient.id, name, address, physician: patient.physician, hasSmsConsent: patient.smsConsent }} />
            </>
          ) : null}
          {/* Stays mounted once the patient is offboarded, so the results stay on screen after the page refreshes. */}
          {can(session.role, "patient.offboard") ? <OffboardPatientDialog patientId={patient.id} patientName={name} devices={toDisconnect} isOffboarded={!isEnrolled} /> : null}
        </div>
      </CardHeader>
      {current.length === 0 ? (
        <EmptyState title="No devices" description={isEnrolled ? "Assign a device on site or ship one to start monitoring." : "This patient is offboarded."} />
      ) : (
        <Table>
          <TableCaption>Devices of this patient</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Vendor</TableHead>
              <TableHead>Type</TableHead>
              <TableHead>IMEI / gateway / pod</TableHead>
              <TableHead>Lifecycle</TableHead>
              <TableHead>Shipping</TableHead>
              <TableHead>Last reading</TableHead>
              <TableActionsHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {current.map(({ device, label, shipment, clinicShipmentId }) => (
              <TableRow key={device.id} data-device-id={device.id}>
                <TableCell>{VENDOR_LABELS[device.vendor]}</TableCell>
                <TableCell>
                  <Link href={`/devices/${device.id}`} className="hover:underline">
                    {deviceTypeName(device)}
                  </Link>
                </TableCell>
                <TableCell className="font-mono text-xs">{device.imei ?? device.gateway?.gatewayUuid ?? device.vendorDeviceId ?? "—"}</TableCell>
                <TableCell>
                  <LifecycleBadge lifecycle={device.lifecycle} vendorStatus={device.vendorStatus} />
                </TableCell>
                <TableCell>{shipment ? `${shipment.status}${shipment.fulfiller === "clinic" ? " (clinic)" : ""}` : "—"}</TableCell>
                <TableCell>{formatRelative(device.lastReadingAt)}</TableCell>
                <TableCell className="text-right">
                  <DeviceRowMenu
                    device={{ id: device.id, label, vendor: device.vendor, connectivity: device.connectivity, lifecycle: device.lifecycle, vendorStatus: device.vendorStatus, clinicShipmentId }}
                    patientId={patient.id}
                    address={address}
                    permissions={permissions}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {previous.length > 0 ? (
        <div className="border-t px-5 py-4">
          <h3 className="mb-2 text-sm font-semibold">Previous devices</h3>
          <ul className="flex flex-col gap-1 text-sm" aria-label="Previous devices">
            {previous.map((p) => (
              <li key={p.id}>
                <Link href={`/devices/${p.deviceId}`} className="hover:underline">
                  {p.label}
                </Link>{" "}
                <span className="text-muted-foreground">
                  {formatDate(p.startedAt)} – {formatDate(p.endedAt)}
                  {p.endedReason ? ` · ${p.endedReason}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
