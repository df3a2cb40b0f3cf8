"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { advanceTenoviShipment } from "@/lib/simulation/controls";
import { advanceShipmentSchema } from "@/lib/simulation/schemas";

// Moves a simulated Tenovi device's shipment one status on; Tenovi's fulfillment webhook follows.
export const advanceSimulatedShipmentAction = authActionClient
  .metadata({ action: "simulation.shipment.advance", permission: "simulation.run" })
  .inputSchema(advanceShipmentSchema)
  .action(async ({ parsedInput, ctx }) => {
    Object.assign(ctx.audit, { type: "simulator", id: "tenovi", details: { hwiDeviceId: parsedInput.hwiDeviceId } });
    return advanceTenoviShipment(parsedInput.hwiDeviceId);
  });
