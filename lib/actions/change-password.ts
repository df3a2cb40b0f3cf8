"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { signOut } from "@/lib/auth";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { countWrongPassword, isLockedOut, LOCKOUT_MINUTES } from "@/lib/auth/sign-in";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { changePasswordSchema } from "@/lib/staff/schemas";

// Changes the signed-in person's own password. The current password is asked for, and a wrong one counts toward the
// sign-in lockout, so a session left open is not enough to take the account over. Every session of the account
// ends, this one too: the person signs in again with the new password.
export const changePasswordAction = authActionClient
  .metadata({ action: "auth.password_change", permission: "account.manage" })
  .inputSchema(changePasswordSchema)
  .action(async ({ parsedInput, ctx }) => {
    const user = await db.user.findUniqueOrThrow({ where: { id: ctx.session.userId }, omit: { passwordHash: false } });
    Object.assign(ctx.audit, { type: "user", id: user.id });
    if (isLockedOut(user)) {
      ctx.audit.details = { reason: "locked" };
      throw new AppError("FORBIDDEN", `Too many wrong passwords: the account is locked for ${LOCKOUT_MINUTES} minutes.`);
    }
    if (!(await verifyPassword(parsedInput.currentPassword, user.passwordHash))) {
      const { failedSignIns, isLocked } = await countWrongPassword(user);
      ctx.audit.details = { reason: "wrong_password", failedSignIns, locked: isLocked };
      throw new AppError(
        "INVALID_INPUT",
        isLocked
          ? `That is not your current password. Too many wrong passwords: the account is locked for ${LOCKOUT_MINUTES} minutes.`
          : "That is not your current password.",
      );
    }
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
