"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { logCareTime } from "@/lib/care-time/entries";
import { logCareTimeSchema } from "@/lib/care-time/schemas";

// Logs minutes of remote-monitoring care for a patient (CPT 99457/99458), by the signed-in staff member.
export const logCareTimeAction = authActionClient
  .metadata({ action: "care_time.log", permission: "care_time.log" })
  .inputSchema(logCareTimeSchema)
  .action(async ({ parsedInput, ctx }) => {
    const entry = await logCareTime(parsedInput, ctx.session.userId);
    Object.assign(ctx.audit, {
      type: "care_time",
      id: entry.id,
      patientId: parsedInput.patientId,
      details: { minutes: parsedInput.minutes, interactive: parsedInput.interactive },
    });
    return entry;
  });
