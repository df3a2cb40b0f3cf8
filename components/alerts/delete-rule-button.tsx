"use client";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deleteAlertRuleAction } from "@/lib/actions/delete-alert-rule";
import { unwrapAction } from "@/lib/actions/unwrap-action";

// Delete with a confirmation step; alerts the rule raised stay in the patients' histories.
export function DeleteRuleButton({ ruleId, description }: { ruleId: string; description: string }) {
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="ghost">
          Delete<span className="sr-only"> rule: {description}</span>
        </Button>
      }
      title="Delete this rule?"
      description={<>{description}. Alerts it already raised stay in the patients&apos; histories.</>}
      cancelLabel="Keep rule"
      confirmLabel="Delete rule"
      pendingLabel="Deleting…"
      action={async () => unwrapAction(await deleteAlertRuleAction({ ruleId }))}
      success={{ title: "Rule deleted" }}
    />
  );
}
