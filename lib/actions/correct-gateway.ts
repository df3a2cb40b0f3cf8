"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { deviceContextFor } from "@/lib/devices/context";
import { correctGateway } from "@/lib/devices/reconcile";
import { correctGatewaySchema } from "@/lib/devices/schemas";

// Corrects the gateway ID of a Tenovi device that came back "Unknown Gateway ID" (Tenovi is told first).
export const correctGatewayAction = authActionClient
  .metadata({ action: "device.correct_gateway", permission: "device.assign" })
  .inputSchema(correctGatewaySchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await correctGateway(deviceContextFor(ctx), parsedInput);
    Object.assign(ctx.audit, { type: "device", id: parsedInput.deviceId, details: { outcome: result.outcome } });
    return result;
  });
