"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { endOtherSessions } from "@/lib/auth";
import { confirmCurrentPassword } from "@/lib/auth/current-password";
import { TWO_STEP_CLEARED } from "@/lib/auth/two-step";
import { currentPasswordSchema } from "@/lib/auth/two-step-schemas";
import { db } from "@/lib/db";

// Turns the signed-in person's two-step verification off, after their current password (confirmCurrentPassword); their
// other sessions end.
export const turnOffTwoStepAction = authActionClient
  .metadata({ action: "auth.two_step_off", permission: "account.manage" })
  .inputSchema(currentPasswordSchema)
  .action(async ({ parsedInput, ctx }) => {
    Object.assign(ctx.audit, { type: "user", id: ctx.session.userId });
    const user = await confirmCurrentPassword(ctx.session.userId, parsedInput.currentPassword, ctx.audit);
    await db.user.update({ where: { id: user.id }, data: TWO_STEP_CLEARED });
    await endOtherSessions(user.id);
    return { id: user.id };
  });
