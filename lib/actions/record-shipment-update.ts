"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { deviceContextFor } from "@/lib/devices/context";
import { recordShipmentUpdateSchema } from "@/lib/devices/schemas";
import { recordShipmentUpdate } from "@/lib/devices/ship";

// Records the clinic's own shipment news: carrier, tracking link, shipped and delivered dates.
export const recordShipmentUpdateAction = authActionClient
  .metadata({ action: "shipment.update", permission: "shipment.write" })
  .inputSchema(recordShipmentUpdateSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await recordShipmentUpdate(deviceContextFor(ctx), parsedInput);
    Object.assign(ctx.audit, { type: "shipment", id: result.shipmentId, details: { status: result.status } });
    return result;
  });
