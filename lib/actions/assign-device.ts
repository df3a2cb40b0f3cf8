"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { assignDevice } from "@/lib/devices/assign";
import { deviceContextFor } from "@/lib/devices/context";
import { assignDeviceSchema } from "@/lib/devices/schemas";

// Assigns a device handed to the patient on site (Tenovi gateway ID or IMEI, Validic Smart Meter IMEI, Smartz pod).
export const assignDeviceAction = authActionClient
  .metadata({ action: "device.assign", permission: "device.assign" })
  .inputSchema(assignDeviceSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await assignDevice(deviceContextFor(ctx), parsedInput);
    Object.assign(ctx.audit, { type: "device", id: result.deviceId, patientId: parsedInput.patientId, details: { vendor: parsedInput.vendor, outcome: result.outcome } });
    return result;
  });
