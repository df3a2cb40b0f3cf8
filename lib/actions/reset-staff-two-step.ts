"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { TWO_STEP_CLEARED } from "@/lib/auth/two-step";
import { resetStaffTwoStepSchema } from "@/lib/auth/two-step-schemas";
import { db } from "@/lib/db";
import { otherStaffAccount } from "@/lib/staff/accounts";

// Turns two-step verification off for another staff member (a lost or replaced phone): their sessions end, and they
// sign in with their password alone until they set it up again. An admin's own is turned off under Account.
export const resetStaffTwoStepAction = authActionClient
  .metadata({ action: "staff.two_step_reset", permission: "staff.manage" })
  .inputSchema(resetStaffTwoStepSchema)
  .action(async ({ parsedInput, ctx }) => {
    const user = await otherStaffAccount(parsedInput.userId, ctx.session.userId, "Turn your own two-step verification off under Account, with your password.");
    await db.user.update({ where: { id: user.id }, data: { ...TWO_STEP_CLEARED, sessionVersion: { increment: 1 } } });
    Object.assign(ctx.audit, { type: "user", id: user.id });
    return { id: user.id };
  });
