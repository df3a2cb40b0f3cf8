"use client";

import { Ellipsis } from "lucide-react";
import { useState } from "react";

import type { AddressForm } from "@/components/devices/address-fields";
import { CorrectGatewayDialog } from "@/components/devices/correct-gateway-dialog";
import { DisconnectDeviceDialog } from "@/components/devices/disconnect-device-dialog";
import { MoveDeviceDialog } from "@/components/devices/move-device-dialog";
import { RecordShipmentDialog } from "@/components/devices/record-shipment-dialog";
import { SwapDeviceDialog } from "@/components/devices/swap-device-dialog";
import { useDeviceAction } from "@/components/devices/use-device-action";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { reconcileDeviceAction } from "@/lib/actions/reconcile-device";

// What the menu needs to know about one device row.
export type DeviceRowSummary = {
  id: string;
  label: string;
  vendor: "tenovi" | "validic" | "smartz";
  connectivity: "gateway" | "cellular" | "mesh";
  lifecycle: string;
  vendorStatus: string | null;
  // The clinic's own open shipment of this device, which staff record as it goes.
  clinicShipmentId: string | null;
};

// What the signed-in staff member may do.
export type DevicePermissions = { canAssign: boolean; canDisconnect: boolean; canWriteShipments: boolean };

type OpenDialog = "swap" | "move" | "disconnect" | "shipment" | "gateway" | null;

// The per-device menu: check with the vendor, fix a gateway ID, record a clinic shipment, swap, move, disconnect.
export function DeviceRowMenu({ device, patientId, address, permissions }: { device: DeviceRowSummary; patientId: string; address: AddressForm; permissions: DevicePermissions }) {
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const check = useDeviceAction(reconcileDeviceAction);
  const isInUse = device.lifecycle !== "disconnected" && device.lifecycle !== "returned";
  const isPending = device.vendorStatus === "Pending verification";
  const close = () => setDialog(null);
  if (!permissions.canAssign && !permissions.canDisconnect && !permissions.canWriteShipments) return null;
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" aria-label={`Actions for ${device.label}`} disabled={check.isPending}>
            <Ellipsis aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          {permissions.canAssign ? <DropdownMenuItem onSelect={() => check.mutate({ deviceId: device.id })}>Check with vendor</DropdownMenuItem> : null}
          {permissions.canAssign && device.vendorStatus === "Unknown Gateway ID" ? <DropdownMenuItem onSelect={() => setDialog("gateway")}>Fix gateway ID</DropdownMenuItem> : null}
          {permissions.canWriteShipments && device.clinicShipmentId ? <DropdownMenuItem onSelect={() => setDialog("shipment")}>Record shipment</DropdownMenuItem> : null}
          {permissions.canAssign && isInUse && !isPending ? (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuItem onSelect={() => setDialog("swap")}>Swap device</DropdownMenuItem>
              <DropdownMenuItem onSelect={() => setDialog("move")}>Move to another patient</DropdownMenuItem>
            </>
          ) : null}
          {permissions.canDisconnect && isInUse ? (
            <>
              <DropdownMenuSeparator />
              <DropdownMenuItem onSelect={() => setDialog("disconnect")} className="text-destructive">
                Disconnect
              </DropdownMenuItem>
            </>
          ) : null}
        </DropdownMenuContent>
      </DropdownMenu>
      {/* Only the chosen dialog is mounted: each one's hooks (its action, its option lists) ran for every row of the
          page on every render, for dialogs nobody had opened. */}
      {dialog === "swap" ? <SwapDeviceDialog device={device} address={address} isOpen onClose={close} /> : null}
      {dialog === "move" ? <MoveDeviceDialog device={device} patientId={patientId} isOpen onClose={close} /> : null}
      {dialog === "disconnect" ? <DisconnectDeviceDialog device={device} isOpen onClose={close} /> : null}
      {dialog === "shipment" && device.clinicShipmentId ? <RecordShipmentDialog shipmentId={device.clinicShipmentId} deviceLabel={device.label} isOpen onClose={close} /> : null}
      {dialog === "gateway" ? <CorrectGatewayDialog device={device} isOpen onClose={close} /> : null}
    </>
  );
}
