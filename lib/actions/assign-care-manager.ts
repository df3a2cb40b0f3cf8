"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { assignCareManager } from "@/lib/patients/care-managers";
import { assignCareManagerSchema } from "@/lib/patients/schemas";

// Gives the patients chosen on the list a care manager, or takes theirs away; each changed patient is audited too.
export const assignCareManagerAction = authActionClient
  .metadata({ action: "patient.assign_care_manager", permission: "patient.write" })
  .inputSchema(assignCareManagerSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await assignCareManager(ctx.actor, parsedInput, ctx.requestId);
    Object.assign(ctx.audit, {
      type: "patient",
      details: { patients: parsedInput.patientIds.length, changed: result.changed, careManagerId: parsedInput.careManagerId },
    });
    return result;
  });
