"use server";

import { createAlertRule } from "@/lib/alerts/manage-rules";
import { createAlertRuleSchema } from "@/lib/alerts/schemas";
import { authActionClient } from "@/lib/actions/safe-action";

// Creates an alert rule for one patient, or a program default when no patient is given.
export const createAlertRuleAction = authActionClient
  .metadata({ action: "alert_rule.create", permission: "alert.manage" })
  .inputSchema(createAlertRuleSchema)
  .action(async ({ parsedInput, ctx }) => {
    const rule = await createAlertRule(parsedInput);
    Object.assign(ctx.audit, { type: "alert_rule", id: rule.id, patientId: rule.patientId ?? undefined, details: { kind: parsedInput.kind, metric: parsedInput.metric, scope: rule.patientId ? "patient" : "program" } });
    return rule;
  });
