"use server";

import { acknowledgeAlertSchema } from "@/lib/alerts/schemas";
import { acknowledgeAlert } from "@/lib/alerts/workflow";
import { authActionClient } from "@/lib/actions/safe-action";

// Acknowledges an open alert: someone is looking at it.
export const acknowledgeAlertAction = authActionClient
  .metadata({ action: "alert.acknowledge", permission: "alert.manage" })
  .inputSchema(acknowledgeAlertSchema)
  .action(async ({ parsedInput, ctx }) => {
    const alert = await acknowledgeAlert(ctx.session.userId, parsedInput);
    Object.assign(ctx.audit, { type: "alert", id: alert.id, patientId: alert.patientId });
    return alert;
  });
