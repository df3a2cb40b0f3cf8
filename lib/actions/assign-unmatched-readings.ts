"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { assignUnmatchedReadings, assignUnmatchedSchema } from "@/lib/ingest/unmatched";

// Attributes a group of unmatched readings to a patient, optionally registering the device to them.
export const assignUnmatchedReadingsAction = authActionClient
  .metadata({ action: "ingest.assign-unmatched", permission: "ingest.replay" })
  .inputSchema(assignUnmatchedSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await assignUnmatchedReadings(parsedInput, { actorId: ctx.session.userId });
    Object.assign(ctx.audit, {
      type: "reading_group",
      id: result.deviceId ?? undefined,
      patientId: parsedInput.patientId,
      details: { vendor: parsedInput.vendor, readings: result.readings, registerDevice: parsedInput.registerDevice, deviceCreated: result.deviceCreated },
    });
    return { readings: result.readings, deviceId: result.deviceId, deviceCreated: result.deviceCreated };
  });
