import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";

import { recordAudit } from "@/lib/audit";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "@/lib/auth/password";
import { recoveryCodeHash } from "@/lib/auth/recovery-codes";
import { matchTotp } from "@/lib/auth/totp";
import { totpCodeSchema } from "@/lib/auth/two-step-schemas";
import { decryptSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import type { Role } from "@/lib/permissions";

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MINUTES = 15;
const FAILURE_DELAY_STEP_MS = 300;

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(256),
  // Asked for once the password is right, from those who turned two-step verification on.
  code: z
    .string()
    .max(32)
    .optional()
    .transform((code) => code?.trim() || undefined),
});

// Why a right password did not sign someone in: their authenticator code is missing or wrong, so the form asks for
// it instead of saying the password was wrong.
export type TwoStepRefusal = { twoStep: "required" | "wrong" };

export type SignedInUser = { id: string; email: string; name: string; role: Role; sessionVersion: number };

// Checks an email and password, then the two-step code of those who turned it on (TwoStepRefusal when it is missing
// or wrong; null for every other refusal). Failures slow down with each attempt and lock the account after five; all
// are audited.
export async function verifyCredentials(raw: unknown, sourceIp?: string): Promise<SignedInUser | TwoStepRefusal | null> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false, totpSecretEncrypted: false } });
  // Hash even for unknown emails so the answer takes as long either way.
  const isMatch = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !user.isActive) {
    await recordAudit({ actor: { id: null, role: null }, action: "auth.sign_in", outcome: "failure", sourceIp, details: { reason: user ? "inactive" : "unknown_email" } });
    return null;
  }
  const actor = { id: user.id, role: user.role };
  if (isLockedOut(user)) {
    await recordAudit({ actor, action: "auth.sign_in", outcome: "denied", targetType: "user", targetId: user.id, sourceIp, details: { reason: "locked" } });
    return null;
  }
  if (!isMatch) {
    await countFailedSignIn(user, "wrong_password", sourceIp);
    return null;
  }
  const signedIn = { failedSignIns: 0, lockedUntil: null, lastSignInAt: new Date() };
  let details: (TwoStepPassed & { twoStep: true }) | undefined;
  if (user.totpEnabledAt && user.totpSecretEncrypted) {
    const outcome = await checkTwoStepCode(user, user.totpSecretEncrypted, parsed.data.code, signedIn, sourceIp);
    if (!outcome || "twoStep" in outcome) return outcome;
    details = { twoStep: true, ...outcome };
  } else {
    await db.user.update({ where: { id: user.id }, data: signedIn });
  }
  await recordAudit({ actor, action: "auth.sign_in", outcome: "success", targetType: "user", targetId: user.id, sourceIp, details });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}

type SignedInFields = { failedSignIns: number; lockedUntil: null; lastSignInAt: Date };

type TwoStepUser = { id: string; role: Role; failedSignIns: number; totpLastStep: number | null };

// How the second step was passed, for the audit event: with the app's code ({}), or with a recovery code.
type TwoStepPassed = { recoveryCode?: true; recoveryCodesLeft?: number };

// The second step, after the right password: the code from the person's authenticator app, or one of their recovery
// codes. A missing code asks for it (nothing counted); a wrong or already used one counts toward the lockout as a
// wrong password does, so neither can be guessed. An accepted code is taken only if no sign-in took it meanwhile (a
// code works once).
async function checkTwoStepCode(
  user: TwoStepUser,
  sealedSecret: string,
  code: string | undefined,
  signedIn: SignedInFields,
  sourceIp?: string,
): Promise<TwoStepPassed | TwoStepRefusal | null> {
  if (code === undefined) return { twoStep: "required" };
  const typed = totpCodeSchema.safeParse(code);
  const passed = typed.success ? await takeTotpStep(user, sealedSecret, typed.data, signedIn) : await takeRecoveryCode(user.id, code, signedIn);
  if (passed) return passed;
  const { isLocked } = await countFailedSignIn(user, "wrong_code", sourceIp);
  return isLocked ? null : { twoStep: "wrong" };
}

async function takeTotpStep(user: TwoStepUser, sealedSecret: string, code: string, signedIn: SignedInFields): Promise<TwoStepPassed | null> {
  const step = matchTotp(decryptSecret(sealedSecret), code, user.totpLastStep);
  if (step === null) return null;
  const { count } = await db.user.updateMany({ where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] }, data: { ...signedIn, totpLastStep: step } });
  return count === 1 ? {} : null;
}

// Removes the code from the account's unused ones in the same statement that checks it is there.
async function takeRecoveryCode(userId: string, code: string, signedIn: SignedInFields): Promise<TwoStepPassed | null> {
  const hash = recoveryCodeHash(code);
  if (!hash) return null;
  const taken = await db.$queryRaw<{ left: number }[]>`
    UPDATE "User" SET "recoveryCodeHashes" = array_remove("recoveryCodeHashes", ${hash}), "failedSignIns" = ${signedIn.failedSignIns},
           "lockedUntil" = NULL,
           "lastSignInAt" = ${signedIn.lastSignInAt}::timestamp(3), "updatedAt" = ${signedIn.lastSignInAt}::timestamp(3)
     WHERE id = ${userId} AND ${hash} = ANY("recoveryCodeHashes")
    RETURNING cardinality("recoveryCodeHashes") AS left`;
  const left = taken[0]?.left;
  return left === undefined ? null : { recoveryCode: true, recoveryCodesLeft: left };
}

// A wrong password or code at sign-in: counted toward the lockout and audited, the one that locks the account as
// auth.account_locked.
async function countFailedSignIn(user: { id: string; role: Role; failedSignIns: number }, reason: "wrong_password" | "wrong_code", sourceIp?: string) {
  const { failedSignIns, isLocked } = await countWrongPassword(user);
  await recordAudit({
    actor: { id: user.id, role: user.role },
    action: isLocked ? "auth.account_locked" : "auth.sign_in",
    outcome: isLocked ? "denied" : "failure",
    targetType: "user",
    targetId: user.id,
    sourceIp,
    details: { reason, failedSignIns },
  });
  return { isLocked };
}

// Whether the account is locked out of sign-in (and of changing its password) right now.
export function isLockedOut(user: { lockedUntil: Date | null }, now = new Date()): boolean {
  return user.lockedUntil !== null && user.lockedUntil > now;
}

// Counts a wrong password (or a wrong two-step code) against the account, wherever it was typed (sign-in, or the
// current password when changing it): the fifth in a row locks the account for LOCKOUT_MINUTES, and each failure
// answers a little later than the one before, so guessing from a stolen session is as slow as guessing at sign-in.
export async function countWrongPassword(user: { id: string; failedSignIns: number }): Promise<{ failedSignIns: number; isLocked: boolean }> {
  const failedSignIns = user.failedSignIns + 1;
  const isLocked = failedSignIns >= MAX_FAILED_SIGN_INS;
  await db.user.update({
    where: { id: user.id },
    data: { failedSignIns: isLocked ? 0 : failedSignIns, lockedUntil: isLocked ? new Date(Date.now() + LOCKOUT_MINUTES * 60_000) : undefined },
  });
  await sleep(Math.min(failedSignIns * FAILURE_DELAY_STEP_MS, 2_000));
  return { failedSignIns, isLocked };
}
