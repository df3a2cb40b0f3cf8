"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { confirmCurrentPassword } from "@/lib/auth/current-password";
import { renewRecoveryCodes } from "@/lib/auth/two-step";
import { currentPasswordSchema } from "@/lib/auth/two-step-schemas";

// New recovery codes for the signed-in person, after their current password (confirmCurrentPassword); the old ones
// stop working. Answers with the codes, shown once.
export const renewRecoveryCodesAction = authActionClient
  .metadata({ action: "auth.recovery_codes_renew", permission: "account.manage" })
  .inputSchema(currentPasswordSchema)
  .action(async ({ parsedInput, ctx }) => {
    Object.assign(ctx.audit, { type: "user", id: ctx.session.userId });
    const user = await confirmCurrentPassword(ctx.session.userId, parsedInput.currentPassword, ctx.audit);
    return { id: user.id, ...(await renewRecoveryCodes(user.id)) };
  });
