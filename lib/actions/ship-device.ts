"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { deviceContextFor } from "@/lib/devices/context";
import { shipDeviceSchema } from "@/lib/devices/schemas";
import { shipDevice } from "@/lib/devices/ship";

// Ships a device to a patient: Tenovi drop-ships or the clinic ships (Smart Meter devices always by the clinic).
export const shipDeviceAction = authActionClient
  .metadata({ action: "device.ship", permission: "device.assign" })
  .inputSchema(shipDeviceSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await shipDevice(deviceContextFor(ctx), parsedInput);
    const mode = parsedInput.vendor === "tenovi" ? parsedInput.mode : "clinic-ships";
    Object.assign(ctx.audit, { type: "device", id: result.deviceId, patientId: parsedInput.patientId, details: { vendor: parsedInput.vendor, mode, outcome: result.outcome } });
    return result;
  });
