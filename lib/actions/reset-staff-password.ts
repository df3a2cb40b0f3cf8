"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import { otherStaffAccount } from "@/lib/staff/accounts";
import { resetStaffPasswordSchema } from "@/lib/staff/schemas";

// Gives another staff member a new password (forgotten, or locked out): their sessions end, a lockout is lifted, and
// at their next sign-in they choose their own before anything else (mustChangePassword). An admin's own password is
// changed under Account, with the current one, like everyone's.
export const resetStaffPasswordAction = authActionClient
  .metadata({ action: "staff.password_reset", permission: "staff.manage" })
  .inputSchema(resetStaffPasswordSchema)
  .action(async ({ parsedInput, ctx }) => {
    const user = await otherStaffAccount(parsedInput.userId, ctx.session.userId, "Change your own password under Account, with your current one.");
    await db.user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword(parsedInput.password), sessionVersion: { increment: 1 }, failedSignIns: 0, lockedUntil: null, mustChangePassword: true },
    });
    Object.assign(ctx.audit, { type: "user", id: user.id });
    return { id: user.id };
  });
