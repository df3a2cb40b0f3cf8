"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { assignUnmatchedReadingsAction } from "@/lib/actions/assign-unmatched-readings";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import type { AssignUnmatchedInput } from "@/lib/ingest/unmatched";

// A patient the readings may go to.
export type PatientChoice = { id: string; label: string };

type Group = { vendor: "tenovi" | "validic" | "smartz"; deviceKey: string | null; accountKey: string | null; readings: number; title: string };

// Assigns one group of unmatched readings to a patient, optionally registering the device to them.
export function AssignUnmatchedDialog({ group, patients }: { group: Group; patients: PatientChoice[] }) {
  const router = useRouter();
  const id = useId();
  const [isOpen, setIsOpen] = useState(false);
  const [patientId, setPatientId] = useState("");
  const [registerDevice, setRegisterDevice] = useState(group.deviceKey !== null);
  const assign = useMutation({
    mutationFn: async (input: AssignUnmatchedInput) => unwrapAction(await assignUnmatchedReadingsAction(input)),
    onSuccess: (result) => {
      toast.success(`Assigned ${result.readings} reading(s)${result.deviceCreated ? " and registered the device" : ""}.`);
      setIsOpen(false);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });

  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" aria-label={`Assign ${group.title}`}>
          Assign
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Assign {group.readings} reading(s)</DialogTitle>
        <DialogDescription>{group.title}. The readings join the patient&apos;s record; nothing is copied.</DialogDescription>
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (!patientId) {
              toast.error("Choose a patient first.");
              return;
            }
            assign.mutate({
              vendor: group.vendor,
              deviceKey: group.deviceKey,
              accountKey: group.accountKey,
              patientId,
              registerDevice: registerDevice && group.deviceKey !== null,
            });
          }}
        >
          <div className="flex flex-col gap-2">
            <Label htmlFor={`${id}-patient`}>Patient</Label>
            <Select value={patientId} onValueChange={setPatientId}>
              <SelectTrigger id={`${id}-patient`}>
                <SelectValue placeholder="Choose a patient" />
              </SelectTrigger>
              <SelectContent className="max-h-72 overflow-y-auto">
                {patients.map((p) => (
                  <SelectItem key={p.id} value={p.id}>
                    {p.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          {group.deviceKey !== null ? (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={registerDevice} onChange={(event) => setRegisterDevice(event.target.checked)} className="size-4" />
              Register this device to the patient, so its future readings are attributed
            </label>
          ) : null}
          <Button type="submit" disabled={assign.isPending}>
            {assign.isPending ? "Assigning…" : "Assign readings"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
