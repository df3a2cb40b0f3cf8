"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { markActionChecked } from "@/lib/audit";
import { markActionCheckedSchema } from "@/lib/audit/schemas";

// Marks an action whose outcome was lost as checked, once an admin has seen what it changed: it leaves the "outcome
// not recorded" list.
export const markActionCheckedAction = authActionClient
  .metadata({ action: "audit.action_checked", permission: "audit.review" })
  .inputSchema(markActionCheckedSchema)
  .action(async ({ parsedInput, ctx }) => {
    const checked = await markActionChecked(BigInt(parsedInput.startedEventId));
    Object.assign(ctx.audit, { type: "audit_event", id: parsedInput.startedEventId, details: { action: checked.action } });
    return checked;
  });
