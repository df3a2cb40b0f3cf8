"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { turnOnTwoStep } from "@/lib/auth/two-step";
import { turnOnTwoStepSchema } from "@/lib/auth/two-step-schemas";

// Turns two-step verification on with the first code of the app that took the secret: from the next sign-in on,
// the password alone is not enough. Answers with the recovery codes, shown to the person once.
export const turnOnTwoStepAction = authActionClient
  .metadata({ action: "auth.two_step_on", permission: "account.manage" })
  .inputSchema(turnOnTwoStepSchema)
  .action(async ({ parsedInput, ctx }) => {
    Object.assign(ctx.audit, { type: "user", id: ctx.session.userId });
    const { recoveryCodes } = await turnOnTwoStep(ctx.session.userId, parsedInput.code);
    return { id: ctx.session.userId, recoveryCodes };
  });
