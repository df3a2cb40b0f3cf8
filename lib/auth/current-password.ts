import { verifyPassword } from "@/lib/auth/password";
import { countWrongPassword, isLockedOut, LOCKOUT_MINUTES } from "@/lib/auth/sign-in";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// The signed-in person's current password, asked for before a change to how they sign in (their password, turning
// two-step verification off), so a session left open is not enough to take the account over: a wrong one counts
// toward the sign-in lockout. `audit` receives the reason of a refusal.
export async function confirmCurrentPassword(userId: string, password: string, audit: { details?: Record<string, unknown> }): Promise<{ id: string }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, omit: { passwordHash: false } });
  if (isLockedOut(user)) {
    audit.details = { reason: "locked" };
    throw new AppError("FORBIDDEN", `Too many wrong passwords: the account is locked for ${LOCKOUT_MINUTES} minutes.`);
  }
  if (await verifyPassword(password, user.passwordHash)) return user;
  const { failedSignIns, isLocked } = await countWrongPassword(user);
  audit.details = { reason: "wrong_password", failedSignIns, locked: isLocked };
  throw new AppError(
    "INVALID_INPUT",
    isLocked
      ? `That is not your current password. Too many wrong passwords: the account is locked for ${LOCKOUT_MINUTES} minutes.`
      : "That is not your current password.",
  );
}
