"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { deviceContextFor } from "@/lib/devices/context";
import { moveDeviceSchema } from "@/lib/devices/schemas";
import { moveDevice } from "@/lib/devices/swap";

// Moves a device to another patient (disconnected from the first at the vendor before connecting for the second).
export const moveDeviceAction = authActionClient
  .metadata({ action: "device.move", permission: "device.assign" })
  .inputSchema(moveDeviceSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await moveDevice(deviceContextFor(ctx), parsedInput);
    Object.assign(ctx.audit, { type: "device", id: parsedInput.deviceId, patientId: parsedInput.toPatientId, details: { outcome: result.outcome } });
    return result;
  });
