import QRCode from "qrcode";

import { matchTotp, newTotpSecret, totpUri } from "@/lib/auth/totp";
import type { TwoStepSetup } from "@/lib/auth/two-step-schemas";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Two-step verification of one's own account: set up with an authenticator app (a shared secret shown once as a QR
// code), confirmed with a first code, turned off with the current password. An admin turns it off for someone who
// lost their phone (resetStaffTwoStepAction).

// How the entry is labelled in the app.
const ISSUER = "Pulseboard";

// The columns that hold two-step verification, cleared: turned off, or reset by an admin.
export const TWO_STEP_CLEARED = { totpSecretEncrypted: null, totpEnabledAt: null, totpLastStep: null } as const;

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

// Turns two-step verification on once the app's first code matches the stored secret; that code is then used.
export async function turnOnTwoStep(userId: string, code: string): Promise<void> {
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
  const { count } = await db.user.updateMany({
    where: { id: userId, totpSecretEncrypted: user.totpSecretEncrypted, totpEnabledAt: null },
    data: { totpEnabledAt: new Date(), totpLastStep: step },
  });
  if (count === 0) throw new AppError("CONFLICT", "The setup was started again meanwhile. Scan the new QR code and enter its code.");
}
