import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// The staff account an admin acts on: never their own (`ownAccountMessage` says where that is done instead), and one
// that still exists.
export async function otherStaffAccount(userId: string, actingUserId: string, ownAccountMessage: string): Promise<{ id: string }> {
  if (userId === actingUserId) throw new AppError("FORBIDDEN", ownAccountMessage);
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw new AppError("NOT_FOUND", "That staff account no longer exists.");
  return user;
}
