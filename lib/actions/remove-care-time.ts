"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { removeCareTime } from "@/lib/care-time/entries";
import { removeCareTimeSchema } from "@/lib/care-time/schemas";

// Takes a care-time entry logged in error out of the month's totals (whoever logged it, or an admin).
export const removeCareTimeAction = authActionClient
  .metadata({ action: "care_time.remove", permission: "care_time.log" })
  .inputSchema(removeCareTimeSchema)
  .action(async ({ parsedInput, ctx }) => {
    const removed = await removeCareTime(parsedInput.entryId, ctx.session);
    Object.assign(ctx.audit, { type: "care_time", id: parsedInput.entryId, patientId: removed.patientId, details: { minutes: removed.minutes } });
    return { id: parsedInput.entryId };
  });
