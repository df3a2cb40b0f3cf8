"use server";

import { deleteAlertRule } from "@/lib/alerts/manage-rules";
import { deleteAlertRuleSchema } from "@/lib/alerts/schemas";
import { authActionClient } from "@/lib/actions/safe-action";

// Deletes an alert rule; alerts it raised stay in the patients' histories.
export const deleteAlertRuleAction = authActionClient
  .metadata({ action: "alert_rule.delete", permission: "alert.manage" })
  .inputSchema(deleteAlertRuleSchema)
  .action(async ({ parsedInput, ctx }) => {
    const rule = await deleteAlertRule(parsedInput);
    Object.assign(ctx.audit, { type: "alert_rule", id: rule.id, patientId: rule.patientId ?? undefined });
    return rule;
  });
