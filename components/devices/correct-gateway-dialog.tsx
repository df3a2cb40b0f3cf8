"use client";

import { useState } from "react";

import type { DeviceRowSummary } from "@/components/devices/device-row-menu";
import { useDeviceAction } from "@/components/devices/use-device-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { describedBy, Field, fieldErrors } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { correctGatewayAction } from "@/lib/actions/correct-gateway";
import { correctGatewaySchema } from "@/lib/devices/schemas";

// Fix the gateway ID of a Tenovi device Tenovi answered "Unknown Gateway ID" for (Tenovi is told first).
export function CorrectGatewayDialog({ device, isOpen, onClose }: { device: DeviceRowSummary; isOpen: boolean; onClose: () => void }) {
  const [gatewayId, setGatewayId] = useState("");
  const [error, setError] = useState<string | undefined>();
  const correct = useDeviceAction(correctGatewayAction, (result) => (result.outcome === "done" ? onClose() : undefined));

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = correctGatewaySchema.safeParse({ deviceId: device.id, gatewayId });
    if (!parsed.success) {
      setError(fieldErrors(parsed.error.issues).gatewayId);
      return;
    }
    setError(undefined);
    correct.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={(open) => (!open && !correct.isPending ? onClose() : undefined)}>
      <DialogContent>
        <DialogTitle>Fix the gateway ID of {device.label}</DialogTitle>
        <DialogDescription>Tenovi did not recognise the gateway ID. Enter the ID printed on the patient&apos;s gateway.</DialogDescription>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <Field id="correct-gateway" label="Gateway ID" error={error}>
            <Input id="correct-gateway" value={gatewayId} autoComplete="off" onChange={(e) => setGatewayId(e.target.value)} aria-invalid={Boolean(error)} aria-describedby={describedBy("correct-gateway", error)} />
          </Field>
          <Button type="submit" disabled={correct.isPending}>
            {correct.isPending ? "Asking Tenovi…" : "Save gateway ID"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
