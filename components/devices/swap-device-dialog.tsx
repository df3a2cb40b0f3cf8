"use client";

import { useState } from "react";

import { AddressFields, type AddressForm } from "@/components/devices/address-fields";
import type { DeviceRowSummary } from "@/components/devices/device-row-menu";
import { ImeiField } from "@/components/devices/imei-field";
import { useDeviceAction } from "@/components/devices/use-device-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { describedBy, Field, fieldErrors } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { swapDeviceAction } from "@/lib/actions/swap-device";
import { swapDeviceSchema } from "@/lib/devices/schemas";

type SwapMode = "on-site" | "replace-device" | "replace-gateway";

// Swap a device: new hardware handed over on site (the new one is confirmed first, then the old one disconnected),
// or for Tenovi a replacement device or gateway Tenovi ships. Past readings stay with the patient either way.
export function SwapDeviceDialog({ device, address: initialAddress, isOpen, onClose }: { device: DeviceRowSummary; address: AddressForm; isOpen: boolean; onClose: () => void }) {
  const [mode, setMode] = useState<SwapMode>("on-site");
  const [reason, setReason] = useState("");
  const [imei, setImei] = useState("");
  const [gatewayId, setGatewayId] = useState("");
  const [podId, setPodId] = useState("");
  const [address, setAddress] = useState<AddressForm>(initialAddress);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const swap = useDeviceAction(swapDeviceAction, onClose);
  const isTenovi = device.vendor === "tenovi";
  const needsImei = device.vendor === "validic" || device.connectivity === "cellular";

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const input =
      mode === "on-site"
        ? { mode, deviceId: device.id, reason, ...(needsImei ? { imei } : device.vendor === "smartz" ? { podId } : { gatewayId }) }
        : { mode: "tenovi-replacement" as const, deviceId: device.id, reason, replace: mode === "replace-gateway" ? ("gateway" as const) : ("device" as const), address };
    const parsed = swapDeviceSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    swap.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={(open) => (!open && !swap.isPending ? onClose() : undefined)}>
      <DialogContent className="max-h-[90vh] max-w-xl overflow-y-auto">
        <DialogTitle>Swap {device.label}</DialogTitle>
        <DialogDescription>The current assignment ends with your reason; readings taken so far stay with this patient.</DialogDescription>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          {isTenovi ? (
            <Field id="swap-mode" label="How">
              <Select value={mode} onValueChange={(v) => setMode(v as SwapMode)}>
                <SelectTrigger id="swap-mode">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="on-site">New device handed over here</SelectItem>
                  <SelectItem value="replace-device">Tenovi ships a replacement device</SelectItem>
                  {device.connectivity === "gateway" ? <SelectItem value="replace-gateway">Tenovi ships a replacement gateway</SelectItem> : null}
                </SelectContent>
              </Select>
            </Field>
          ) : null}
          <Field id="swap-reason" label="Reason" error={errors.reason}>
            <Input id="swap-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={Boolean(errors.reason)} aria-describedby={describedBy("swap-reason", errors.reason)} />
          </Field>
          {mode === "on-site" && needsImei ? <ImeiField id="swap-imei" value={imei} onChange={setImei} error={errors.imei} /> : null}
          {mode === "on-site" && device.vendor === "smartz" ? (
            <Field id="swap-pod" label="New pod ID or serial number" error={errors.podId ?? errors.form}>
              <Input id="swap-pod" value={podId} onChange={(e) => setPodId(e.target.value)} aria-invalid={Boolean(errors.podId)} />
            </Field>
          ) : null}
          {mode === "on-site" && device.vendor === "tenovi" && device.connectivity === "gateway" ? (
            <Field id="swap-gateway" label="Gateway ID the new device reports through" error={errors.gatewayId}>
              <Input id="swap-gateway" value={gatewayId} onChange={(e) => setGatewayId(e.target.value)} aria-invalid={Boolean(errors.gatewayId)} />
            </Field>
          ) : null}
          {mode !== "on-site" ? <AddressFields idPrefix="swap-address" value={address} onChange={setAddress} errors={errors} /> : null}
          <Button type="submit" disabled={swap.isPending}>
            {swap.isPending ? "Working with the vendor…" : mode === "on-site" ? "Swap device" : "Request replacement"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
