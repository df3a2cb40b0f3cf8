"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { updateCareTime } from "@/lib/care-time/entries";
import { updateCareTimeSchema } from "@/lib/care-time/schemas";

// Corrects a care-time entry (whoever logged it, or an admin); the audit event keeps the minutes before and after.
export const updateCareTimeAction = authActionClient
  .metadata({ action: "care_time.update", permission: "care_time.log" })
  .inputSchema(updateCareTimeSchema)
  .action(async ({ parsedInput, ctx }) => {
    const updated = await updateCareTime(parsedInput, ctx.session);
    Object.assign(ctx.audit, {
      type: "care_time",
      id: parsedInput.entryId,
      patientId: updated.patientId,
      details: { minutes: parsedInput.minutes, previousMinutes: updated.previousMinutes, interactive: parsedInput.interactive },
    });
    return { id: parsedInput.entryId };
  });
