"use server";

import { updateAlertRule } from "@/lib/alerts/manage-rules";
import { updateAlertRuleSchema } from "@/lib/alerts/schemas";
import { authActionClient } from "@/lib/actions/safe-action";

// Changes an alert rule's threshold, window, severity or message, or switches it on or off.
export const updateAlertRuleAction = authActionClient
  .metadata({ action: "alert_rule.update", permission: "alert.manage" })
  .inputSchema(updateAlertRuleSchema)
  .action(async ({ parsedInput, ctx }) => {
    const rule = await updateAlertRule(parsedInput);
    Object.assign(ctx.audit, { type: "alert_rule", id: rule.id, patientId: rule.patientId ?? undefined, details: { kind: parsedInput.kind, metric: parsedInput.metric, isActive: parsedInput.isActive } });
    return rule;
  });
