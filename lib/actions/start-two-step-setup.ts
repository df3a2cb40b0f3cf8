"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { startTwoStepSetup } from "@/lib/auth/two-step";
import { startTwoStepSetupSchema } from "@/lib/auth/two-step-schemas";

// A new authenticator secret for the signed-in person, shown once (QR code and text) for their app to take.
export const startTwoStepSetupAction = authActionClient
  .metadata({ action: "auth.two_step_setup", permission: "account.manage" })
  .inputSchema(startTwoStepSetupSchema)
  .action(async ({ ctx }) => {
    Object.assign(ctx.audit, { type: "user", id: ctx.session.userId });
    return startTwoStepSetup(ctx.session);
  });
