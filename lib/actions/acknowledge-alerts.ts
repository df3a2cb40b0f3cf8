"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { acknowledgeAlertsSchema } from "@/lib/alerts/schemas";
import { acknowledgeAlerts } from "@/lib/alerts/workflow";

// Acknowledges the open alerts ticked on the worklist; each one acknowledged is audited as acknowledging it alone is.
export const acknowledgeAlertsAction = authActionClient
  .metadata({ action: "alert.acknowledge_many", permission: "alert.manage" })
  .inputSchema(acknowledgeAlertsSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await acknowledgeAlerts({ id: ctx.session.userId, role: ctx.session.role }, parsedInput, ctx.requestId);
    Object.assign(ctx.audit, { type: "alert", details: { alerts: parsedInput.alertIds.length, acknowledged: result.acknowledged } });
    return result;
  });
