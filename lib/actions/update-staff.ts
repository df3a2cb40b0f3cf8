"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { db } from "@/lib/db";
import { otherStaffAccount } from "@/lib/staff/accounts";
import { updateStaffSchema } from "@/lib/staff/schemas";

// Changes a staff member's role or deactivates them; either ends their current sessions.
export const updateStaffAction = authActionClient
  .metadata({ action: "staff.update", permission: "staff.manage" })
  .inputSchema(updateStaffSchema)
  .action(async ({ parsedInput, ctx }) => {
    const user = await otherStaffAccount(parsedInput.userId, ctx.session.userId, "You cannot change your own role or deactivate yourself; ask another admin.");
    await db.user.update({
      where: { id: user.id },
      data: { role: parsedInput.role, isActive: parsedInput.isActive, sessionVersion: { increment: 1 } },
    });
    Object.assign(ctx.audit, { type: "user", id: user.id, details: { role: parsedInput.role ?? null, isActive: parsedInput.isActive ?? null } });
    return { id: user.id };
  });
