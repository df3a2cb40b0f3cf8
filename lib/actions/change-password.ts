"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { signOut } from "@/lib/auth";
import { confirmCurrentPassword } from "@/lib/auth/current-password";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import { changePasswordSchema } from "@/lib/staff/schemas";

// Changes the signed-in person's own password, after their current one (confirmCurrentPassword). Every session of
// the account ends, this one too: the person signs in again with the new password.
export const changePasswordAction = authActionClient
  .metadata({ action: "auth.password_change", permission: "account.manage" })
  .inputSchema(changePasswordSchema)
  .action(async ({ parsedInput, ctx }) => {
    Object.assign(ctx.audit, { type: "user", id: ctx.session.userId });
    const user = await confirmCurrentPassword(ctx.session.userId, parsedInput.currentPassword, ctx.audit);
    await db.user.update({
      where: { id: user.id },
      data: {
        passwordHash: await hashPassword(parsedInput.newPassword),
        sessionVersion: { increment: 1 },
        failedSignIns: 0,
        lockedUntil: null,
        mustChangePassword: false,
      },
    });
    await signOut({ redirect: false });
    return { id: user.id };
  });
