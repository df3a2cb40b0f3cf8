"use client";

import { useMutation } from "@tanstack/react-query";
import { CircleCheck, CircleX } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { offboardPatientAction } from "@/lib/actions/offboard-patient";
import { unwrapAction } from "@/lib/actions/unwrap-action";

// One device the confirmation lists, with what will be asked of its vendor.
export type OffboardDevice = { id: string; label: string; plan: string };

type Result = Awaited<ReturnType<typeof offboardPatientAction>>;
type OffboardResult = NonNullable<NonNullable<Result>["data"]>;

// Admin: offboard the patient. The dialog lists every device and what its vendor will be asked; after confirming it
// shows each device's result. When some fail, the patient stays enrolled and "Retry" disconnects what is left.
export function OffboardPatientDialog({ patientId, patientName, devices, isOffboarded }: { patientId: string; patientName: string; devices: OffboardDevice[]; isOffboarded: boolean }) {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const [result, setResult] = useState<OffboardResult | null>(null);
  const offboard = useMutation({
    mutationFn: async () => unwrapAction(await offboardPatientAction({ patientId })),
    onSuccess: (data) => {
      setResult(data);
      const failed = data.results.filter((r) => r.outcome === "failed").length;
      if (data.isOffboarded) toast.success(`${patientName} is offboarded; ${data.results.length} device(s) disconnected.`);
      else toast.warning(`${failed} device(s) could not be disconnected. ${patientName} stays enrolled until every device is; retry when ready.`, { duration: 10_000 });
      router.refresh();
    },
    onError: (error) => toast.error(error.message, { duration: 10_000 }),
  });
  const hasFailures = result !== null && !result.isOffboarded;

  return (
    <Dialog
      open={isOpen}
      onOpenChange={(open) => {
        if (offboard.isPending) return;
        setIsOpen(open);
        if (!open) setResult(null);
      }}
    >
      {isOffboarded ? null : (
        <DialogTrigger asChild>
          <Button size="sm" variant="destructive">
            Offboard patient
          </Button>
        </DialogTrigger>
      )}
      <DialogContent className="max-w-xl">
        <DialogTitle>Offboard {patientName}?</DialogTitle>
        {result === null ? (
          <>
            <DialogDescription>
              Every device is disconnected at its vendor; the patient is offboarded only when all are. Open alerts are closed with the note “Patient offboarded”. Readings and history are kept.
            </DialogDescription>
            {devices.length === 0 ? (
              <p className="text-sm">No devices to disconnect.</p>
            ) : (
              <ul aria-label="Devices to disconnect" className="divide-y rounded-md border text-sm">
                {devices.map((d) => (
                  <li key={d.id} className="px-3 py-2">
                    <p className="font-medium">{d.label}</p>
                    <p className="text-muted-foreground">{d.plan}</p>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <>
            <DialogDescription>{result.isOffboarded ? "Done: every device is disconnected and the patient is offboarded." : "Some devices could not be disconnected. Those marked failed are unchanged; retry to finish."}</DialogDescription>
            <ul aria-label="Disconnection results" className="divide-y rounded-md border text-sm">
              {result.results.map((r) => (
                <li key={r.deviceId} className="flex items-start gap-2 px-3 py-2" data-outcome={r.outcome}>
                  {r.outcome === "disconnected" ? <CircleCheck className="mt-0.5 size-4 shrink-0 text-success" aria-hidden /> : <CircleX className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />}
                  <div>
                    <p className="font-medium">
                      {r.label} — {r.outcome === "disconnected" ? "Disconnected" : "Failed"}
                    </p>
                    <p className="text-muted-foreground">{r.message}</p>
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="flex justify-end gap-2">
          {result === null || hasFailures ? (
            <Button variant="destructive" disabled={offboard.isPending} onClick={() => offboard.mutate()}>
              {offboard.isPending ? "Disconnecting devices…" : hasFailures ? "Retry" : `Disconnect ${devices.length} device(s) and offboard`}
            </Button>
          ) : (
            <Button onClick={() => setIsOpen(false)}>Done</Button>
          )}
        </div>
      </DialogContent>
    </Dialog>
  );
}
