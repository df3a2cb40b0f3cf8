"use client";

import { useState } from "react";

import type { DeviceRowSummary } from "@/components/devices/device-row-menu";
import { useDeviceAction } from "@/components/devices/use-device-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { describedBy, Field, fieldErrors } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { disconnectDeviceAction } from "@/lib/actions/disconnect-device";
import { disconnectDeviceSchema } from "@/lib/devices/schemas";

const WHAT_HAPPENS: Record<DeviceRowSummary["vendor"], string> = {
  tenovi: "Tenovi deletes the device (or, if its shipment was fulfilled, unlinks its gateway).",
  validic: "Validic disconnects this IMEI from the patient; their other Smart Meter devices stay connected.",
  smartz: "Smartz is read-only, so the pod is unlinked in Pulseboard.",
};

// Admin: disconnect one device at its vendor; it is marked disconnected only once the vendor confirms.
export function DisconnectDeviceDialog({ device, isOpen, onClose }: { device: DeviceRowSummary; isOpen: boolean; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const disconnect = useDeviceAction(disconnectDeviceAction, onClose);

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = disconnectDeviceSchema.safeParse({ deviceId: device.id, reason });
    if (!parsed.success) {
      setError(fieldErrors(parsed.error.issues).reason);
      return;
    }
    setError(undefined);
    disconnect.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={(open) => (!open && !disconnect.isPending ? onClose() : undefined)}>
      <DialogContent>
        <DialogTitle>Disconnect {device.label}?</DialogTitle>
        <DialogDescription>{WHAT_HAPPENS[device.vendor]} Readings and history are kept.</DialogDescription>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <Field id="disconnect-reason" label="Reason" error={error}>
            <Input id="disconnect-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={Boolean(error)} aria-describedby={describedBy("disconnect-reason", error)} />
          </Field>
          <Button type="submit" variant="destructive" disabled={disconnect.isPending}>
            {disconnect.isPending ? "Disconnecting…" : "Disconnect device"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
