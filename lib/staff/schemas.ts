import { z } from "zod";

import { newPasswordSchema } from "@/lib/auth/password";
import { ROLES } from "@/lib/permissions";

export const createStaffSchema = z.object({
  name: z.string().trim().min(2, "Enter the person's name.").max(120),
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  role: z.enum(ROLES),
  password: newPasswordSchema,
});

export const updateStaffSchema = z
  .object({
    userId: z.string().min(1).max(64),
    role: z.enum(ROLES).optional(),
    isActive: z.boolean().optional(),
  })
  .refine((v) => v.role !== undefined || v.isActive !== undefined, "Nothing to change.");

// Someone's own new password: the current one proves it is them, not a session left open.
export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(256),
    newPassword: newPasswordSchema,
  })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password other than the current one." });

// An admin's reset of another staff member's password.
export const resetStaffPasswordSchema = z.object({
  userId: z.string().min(1).max(64),
  password: newPasswordSchema,
});

export type CreateStaffInput = z.infer<typeof createStaffSchema>;
export type UpdateStaffInput = z.infer<typeof updateStaffSchema>;
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
export type ResetStaffPasswordInput = z.infer<typeof resetStaffPasswordSchema>;
