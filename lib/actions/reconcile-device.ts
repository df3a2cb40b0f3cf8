"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { deviceContextFor } from "@/lib/devices/context";
import { reconcileDevice } from "@/lib/devices/reconcile";
import { reconcileDeviceSchema } from "@/lib/devices/schemas";

// "Check with vendor": settles a request that timed out, or reads a device's vendor status again.
export const reconcileDeviceAction = authActionClient
  .metadata({ action: "device.reconcile", permission: "device.assign" })
  .inputSchema(reconcileDeviceSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await reconcileDevice(deviceContextFor(ctx), parsedInput);
    Object.assign(ctx.audit, { type: "device", id: parsedInput.deviceId, details: { outcome: result.outcome } });
    return result;
  });
