"use server";

import { assignAlertSchema } from "@/lib/alerts/schemas";
import { assignAlert } from "@/lib/alerts/workflow";
import { authActionClient } from "@/lib/actions/safe-action";

// Assigns an alert to an active clinician or admin, or unassigns it.
export const assignAlertAction = authActionClient
  .metadata({ action: "alert.assign", permission: "alert.manage" })
  .inputSchema(assignAlertSchema)
  .action(async ({ parsedInput, ctx }) => {
    const alert = await assignAlert(parsedInput);
    Object.assign(ctx.audit, { type: "alert", id: alert.id, patientId: alert.patientId, details: { assigneeId: parsedInput.assigneeId } });
    return alert;
  });
