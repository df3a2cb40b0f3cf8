"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { deviceContextFor } from "@/lib/devices/context";
import { swapDeviceSchema } from "@/lib/devices/schemas";
import { swapDevice } from "@/lib/devices/swap";

// Replaces a device or gateway: a Tenovi replacement request, or new hardware handed over on site.
export const swapDeviceAction = authActionClient
  .metadata({ action: "device.swap", permission: "device.assign" })
  .inputSchema(swapDeviceSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await swapDevice(deviceContextFor(ctx), parsedInput);
    Object.assign(ctx.audit, { type: "device", id: parsedInput.deviceId, details: { mode: parsedInput.mode, outcome: result.outcome, newDeviceId: result.deviceId } });
    return result;
  });
