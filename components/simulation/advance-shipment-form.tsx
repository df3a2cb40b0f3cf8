"use client";

import { useState } from "react";

import { ActionResult } from "@/components/simulation/action-result";
import { TargetSelect } from "@/components/simulation/target-select";
import { useSimulationAction } from "@/components/simulation/use-simulation-action";
import { Button } from "@/components/ui/button";
import { advanceSimulatedShipmentAction } from "@/lib/actions/advance-simulated-shipment";
import { unwrapAction } from "@/lib/actions/unwrap-action";

// Moves a Tenovi device's shipment to its next status (e.g. Dropship Requested → Dropshipped → Delivered).
export function AdvanceShipmentForm({ targets }: { targets: { value: string; label: string }[] }) {
  const [target, setTarget] = useState(targets[0]?.value ?? "");
  const advance = useSimulationAction(
    async (hwiDeviceId: string) => unwrapAction(await advanceSimulatedShipmentAction({ hwiDeviceId })),
    (result) => result.message,
  );
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <TargetSelect id="tenovi-advance-target" label="Shipment of device" targets={targets} value={target} onChange={setTarget} />
        <Button type="button" variant="secondary" disabled={advance.isPending || target === ""} onClick={() => advance.mutate(target)}>
          Advance shipment
        </Button>
      </div>
      <ActionResult result={advance.lastResult} />
    </div>
  );
}
