"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { deviceContextFor } from "@/lib/devices/context";
import { disconnectDevice } from "@/lib/devices/disconnect";
import { disconnectDeviceSchema } from "@/lib/devices/schemas";

// Disconnects one device at its vendor (admin).
export const disconnectDeviceAction = authActionClient
  .metadata({ action: "device.disconnect", permission: "device.disconnect" })
  .inputSchema(disconnectDeviceSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await disconnectDevice(deviceContextFor(ctx), parsedInput);
    Object.assign(ctx.audit, { type: "device", id: result.deviceId, details: { vendor: result.vendor, outcome: result.outcome } });
    return result;
  });
