import QRCode from "qrcode";

import { newRecoveryCodes } from "@/lib/auth/recovery-codes";
import { matchTotp, newTotpSecret, totpUri } from "@/lib/auth/totp";
import type { TwoStepSetup } from "@/lib/auth/two-step-schemas";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Two-step verification of one's own account: set up with an authenticator app (a shared secret shown once as a QR
// code), confirmed with a first code, turned off with the current password. An admin turns it off for someone who
// lost their phone (resetStaffTwoStepAction). Turning it on gives recovery codes (lib/auth/recovery-codes.ts), shown
// once, for signing in without the phone; new ones replace them after the current password.

// How the entry is labelled in the app.
const ISSUER = "Pulseboard";

// The columns that hold two-step verification, cleared: turned off, or reset by an admin.
export const TWO_STEP_CLEARED = { totpSecretEncrypted: null, totpEnabledAt: null, totpLastStep: null, recoveryCodeHashes: [] as string[] };

// A new secret for the person's app, stored sealed and unconfirmed (a second start replaces the first: a code from
// an app that scanned the older one will not turn it on). Refused while two-step verification is on.
export async function startTwoStepSetup(user: { userId: string; email: string }): Promise<TwoStepSetup> {
  const secret = newTotpSecret();
  const { count } = await db.user.updateMany({
    where: { id: user.userId, totpEnabledAt: null },
    data: { totpSecretEncrypted: encryptSecret(secret), totpLastStep: null },
  });
  if (count === 0) throw new AppError("CONFLICT", "Two-step verification is on already. Turn it off first to move it to another app.");
  const qrSvg = await QRCode.toString(totpUri(secret, user.email, ISSUER), { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return { secret, qrSvg };
}

// Forgets a set-up that was not finished (its secret signs nobody in, but need not be kept); nothing once it is on.
export async function cancelTwoStepSetup(userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId, totpEnabledAt: null }, data: { totpSecretEncrypted: null, totpLastStep: null } });
}

// Turns two-step verification on once the app's first code matches the stored secret; that code is then used.
// Returns the recovery codes, to show this once.
export async function turnOnTwoStep(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpSecretEncrypted: true, totpEnabledAt: true } });
  if (user.totpEnabledAt) throw new AppError("CONFLICT", "Two-step verification is on already.");
  if (!user.totpSecretEncrypted) throw new AppError("INVALID_INPUT", "Start the setup first: scan the QR code, then enter the code the app shows.");
  const step = matchTotp(decryptSecret(user.totpSecretEncrypted), code, null);
  if (step === null) {
    throw new AppError(
      "INVALID_INPUT",
      "That code does not match. Enter the code the app shows now; if it still fails, check that the phone sets its clock automatically.",
    );
  }
  const { codes, hashes } = newRecoveryCodes();
  const { count } = await db.user.updateMany({
    where: { id: userId, totpSecretEncrypted: user.totpSecretEncrypted, totpEnabledAt: null },
    data: { totpEnabledAt: new Date(), totpLastStep: step, recoveryCodeHashes: hashes },
  });
  if (count === 0) throw new AppError("CONFLICT", "The setup was started again meanwhile. Scan the new QR code and enter its code.");
  return { recoveryCodes: codes };
}

// A new set of recovery codes in place of the old ones (all of which stop working), for someone whose two-step
// verification is on; the caller has checked their current password.
export async function renewRecoveryCodes(userId: string): Promise<{ recoveryCodes: string[] }> {
  const { codes, hashes } = newRecoveryCodes();
  const { count } = await db.user.updateMany({ where: { id: userId, totpEnabledAt: { not: null } }, data: { recoveryCodeHashes: hashes } });
  if (count === 0) throw new AppError("CONFLICT", "Two-step verification is off: recovery codes come with turning it on.");
  return { recoveryCodes: codes };
}
