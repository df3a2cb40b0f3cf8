"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { resetStaffPasswordSchema } from "@/lib/staff/schemas";

// Gives another staff member a new password (forgotten, or locked out): their sessions end and a lockout is lifted.
// An admin's own password is changed under Account, with the current one, like everyone's.
export const resetStaffPasswordAction = authActionClient
  .metadata({ action: "staff.password_reset", permission: "staff.manage" })
  .inputSchema(resetStaffPasswordSchema)
  .action(async ({ parsedInput, ctx }) => {
    if (parsedInput.userId === ctx.session.userId) {
      throw new AppError("FORBIDDEN", "Change your own password under Account, with your current one.");
    }
    const user = await db.user.findUnique({ where: { id: parsedInput.userId }, select: { id: true } });
    if (!user) throw new AppError("NOT_FOUND", "That staff account no longer exists.");
    await db.user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword(parsedInput.password), sessionVersion: { increment: 1 }, failedSignIns: 0, lockedUntil: null },
    });
    Object.assign(ctx.audit, { type: "user", id: user.id });
    return { id: user.id };
  });
