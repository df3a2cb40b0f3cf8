"use server";

import { resolveAlertSchema } from "@/lib/alerts/schemas";
import { resolveAlert } from "@/lib/alerts/workflow";
import { authActionClient } from "@/lib/actions/safe-action";

// Resolves an alert with a required note; it moves to the patient's alert history.
export const resolveAlertAction = authActionClient
  .metadata({ action: "alert.resolve", permission: "alert.manage" })
  .inputSchema(resolveAlertSchema)
  .action(async ({ parsedInput, ctx }) => {
    const alert = await resolveAlert(ctx.session.userId, parsedInput);
    // The note may describe the patient's condition, so the audit event records only that one was written.
    Object.assign(ctx.audit, { type: "alert", id: alert.id, patientId: alert.patientId, details: { noteLength: parsedInput.note.length } });
    return alert;
  });
