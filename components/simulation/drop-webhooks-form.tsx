"use client";

import { useState } from "react";

import { ActionResult } from "@/components/simulation/action-result";
import { useSimulationAction } from "@/components/simulation/use-simulation-action";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { dropSimulatedWebhooksAction } from "@/lib/actions/drop-simulated-webhooks";
import { unwrapAction } from "@/lib/actions/unwrap-action";

// Tenovi sends each webhook once; dropping some shows that the backfill recovers what was missed.
export function DropWebhooksForm({ pending }: { pending: number }) {
  const [count, setCount] = useState("3");
  const drop = useSimulationAction(
    async (n: string) => unwrapAction(await dropSimulatedWebhooksAction({ count: n })),
    (result) => (result.count === 0 ? "Webhooks are delivered again." : `The next ${result.count} Tenovi webhooks will be dropped.`),
  );
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex w-36 flex-col gap-1.5">
          <Label htmlFor="tenovi-drop-count">Webhooks to drop</Label>
          <Input id="tenovi-drop-count" type="number" min={0} max={100} value={count} onChange={(e) => setCount(e.target.value)} />
        </div>
        <Button type="button" variant="outline" disabled={drop.isPending} onClick={() => drop.mutate(count)}>
          Drop webhooks
        </Button>
        <p className="text-muted-foreground pb-2 text-sm">{pending > 0 ? `${pending} still to drop.` : "None pending."}</p>
      </div>
      <ActionResult result={drop.lastResult} />
    </div>
  );
}
