"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { endOtherSessions } from "@/lib/auth";
import { turnOnTwoStep } from "@/lib/auth/two-step";
import { turnOnTwoStepSchema } from "@/lib/auth/two-step-schemas";

// Turns two-step verification on with the first code of the app that took the secret: from the next sign-in on,
// the password alone is not enough, and the person's other sessions end (so turning it on after a password leaked
// also shuts out whoever signed in with it). Answers with the recovery codes, shown to the person once.
export const turnOnTwoStepAction = authActionClient
  .metadata({ action: "auth.two_step_on", permission: "account.manage" })
  .inputSchema(turnOnTwoStepSchema)
  .action(async ({ parsedInput, ctx }) => {
    Object.assign(ctx.audit, { type: "user", id: ctx.session.userId });
    const { recoveryCodes } = await turnOnTwoStep(ctx.session.userId, parsedInput.code);
    await endOtherSessions(ctx.session.userId);
    return { id: ctx.session.userId, recoveryCodes };
  });
