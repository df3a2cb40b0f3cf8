"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createStaffSchema } from "@/lib/staff/schemas";

// Creates a staff account with a role and a first password, which the person replaces with their own at their first
// sign-in (mustChangePassword).
export const createStaffAction = authActionClient
  .metadata({ action: "staff.create", permission: "staff.manage" })
  .inputSchema(createStaffSchema)
  .action(async ({ parsedInput, ctx }) => {
    const existing = await db.user.findUnique({ where: { email: parsedInput.email }, select: { id: true } });
    if (existing) throw new AppError("CONFLICT", "A staff account with this email already exists.");
    const user = await db.user.create({
      data: { name: parsedInput.name, email: parsedInput.email, role: parsedInput.role, passwordHash: await hashPassword(parsedInput.password), mustChangePassword: true },
      select: { id: true },
    });
    Object.assign(ctx.audit, { type: "user", id: user.id, details: { role: parsedInput.role } });
    return { id: user.id };
  });
