"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { cancelTwoStepSetup } from "@/lib/auth/two-step";
import { cancelTwoStepSetupSchema } from "@/lib/auth/two-step-schemas";

// Forgets the signed-in person's unfinished two-step set-up (Cancel on the account page).
export const cancelTwoStepSetupAction = authActionClient
  .metadata({ action: "auth.two_step_setup_cancel", permission: "account.manage" })
  .inputSchema(cancelTwoStepSetupSchema)
  .action(async ({ ctx }) => {
    Object.assign(ctx.audit, { type: "user", id: ctx.session.userId });
    await cancelTwoStepSetup(ctx.session.userId);
    return { id: ctx.session.userId };
  });
