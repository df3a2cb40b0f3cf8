"use client";

import { useState } from "react";

import { ActionResult } from "@/components/simulation/action-result";
import { TargetSelect } from "@/components/simulation/target-select";
import { useSimulationAction } from "@/components/simulation/use-simulation-action";
import { Button } from "@/components/ui/button";
import { emitSimulatedReadingAction } from "@/lib/actions/emit-simulated-reading";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import type { EmitReadingInput, SimulatedVendor } from "@/lib/simulation/schemas";

const TARGET_LABELS: Record<SimulatedVendor, string> = { tenovi: "Device (HWI device ID)", validic: "Device (IMEI)", smartz: "Patient (Smartz patient ID)" };

// Makes a simulated device report a reading now, or a plausible last 24 hours of them.
export function EmitReadingForm({ vendor, targets }: { vendor: SimulatedVendor; targets: { value: string; label: string }[] }) {
  const [target, setTarget] = useState(targets[0]?.value ?? "");
  const emit = useSimulationAction(
    async (input: EmitReadingInput) => unwrapAction(await emitSimulatedReadingAction(input)),
    (result) => [result.message, result.readback?.detail].filter(Boolean).join(" "),
  );
  const isDisabled = emit.isPending || target === "";
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <TargetSelect id={`${vendor}-emit-target`} label={TARGET_LABELS[vendor]} targets={targets} value={target} onChange={setTarget} />
        <Button type="button" variant="secondary" disabled={isDisabled} onClick={() => emit.mutate({ vendor, target, span: "now" })}>
          Send a reading now
        </Button>
        <Button type="button" variant="outline" disabled={isDisabled} onClick={() => emit.mutate({ vendor, target, span: "day" })}>
          Send a day of readings
        </Button>
      </div>
      {targets.length === 0 ? <p className="text-muted-foreground text-xs">The simulator has no devices yet; assign or ship one to a patient first.</p> : null}
      <ActionResult result={emit.lastResult} />
    </div>
  );
}
