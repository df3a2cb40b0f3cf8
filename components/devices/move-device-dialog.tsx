"use client";

import { useState } from "react";

import { useMoveTargets } from "@/components/devices/device-options";
import type { DeviceRowSummary } from "@/components/devices/device-row-menu";
import { useDeviceAction } from "@/components/devices/use-device-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { describedBy, Field, fieldErrors } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { moveDeviceAction } from "@/lib/actions/move-device";
import { moveDeviceSchema } from "@/lib/devices/schemas";

// Move a device to another enrolled patient: disconnected from this patient at the vendor, then connected for the
// other; readings taken so far stay with this patient.
export function MoveDeviceDialog({ device, patientId, isOpen, onClose }: { device: DeviceRowSummary; patientId: string; isOpen: boolean; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [target, setTarget] = useState<{ id: string; label: string } | null>(null);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const targets = useMoveTargets(query, patientId, isOpen && query.trim().length >= 2);
  const move = useDeviceAction(moveDeviceAction, onClose);

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = moveDeviceSchema.safeParse({ deviceId: device.id, toPatientId: target?.id ?? "", reason });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    move.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={(open) => (!open && !move.isPending ? onClose() : undefined)}>
      <DialogContent>
        <DialogTitle>Move {device.label}</DialogTitle>
        <DialogDescription>The vendor disconnects it from this patient before connecting it for the other. Readings taken so far stay here.</DialogDescription>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <Field id="move-search" label="Find the patient (name or MRN)" error={errors.toPatientId ? "Choose the patient to move the device to." : undefined}>
            <Input id="move-search" value={query} autoComplete="off" onChange={(e) => setQuery(e.target.value)} aria-describedby={describedBy("move-search", errors.toPatientId)} />
          </Field>
          <ul role="listbox" aria-label="Patients" className="max-h-48 overflow-y-auto rounded-md border">
            {(targets.data?.patients ?? []).map((p) => (
              <li key={p.id} role="option" aria-selected={target?.id === p.id}>
                <button type="button" onClick={() => setTarget(p)} className={`w-full px-3 py-2 text-left text-sm hover:bg-accent ${target?.id === p.id ? "bg-accent font-medium" : ""}`}>
                  {p.label}
                </button>
              </li>
            ))}
            {query.trim().length >= 2 && targets.data?.patients.length === 0 ? <li className="px-3 py-2 text-sm text-muted-foreground">No enrolled patient matches.</li> : null}
          </ul>
          <p aria-live="polite" className="text-sm text-muted-foreground">
            {query.trim().length < 2 ? "Type at least two letters." : targets.isFetching ? "Searching…" : targets.error ? targets.error.message : null}
          </p>
          <Field id="move-reason" label="Reason" error={errors.reason}>
            <Input id="move-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={Boolean(errors.reason)} aria-describedby={describedBy("move-reason", errors.reason)} />
          </Field>
          <Button type="submit" disabled={move.isPending || !target}>
            {move.isPending ? "Moving…" : target ? `Move to ${target.label}` : "Move"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
