import { z } from "zod";

// Inputs of the two-step verification actions (lib/auth/two-step.ts), checked in the browser first and again on the
// server.

// What people type: six digits, spaces allowed (apps show "123 456").
export const totpCodeSchema = z
  .string()
  .transform((code) => code.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the six-digit code from your authenticator app."));

export const startTwoStepSetupSchema = z.object({});
export const cancelTwoStepSetupSchema = z.object({});
export const turnOnTwoStepSchema = z.object({ code: totpCodeSchema });
// Turning two-step verification off and making new recovery codes both take the current password.
export const currentPasswordSchema = z.object({ currentPassword: z.string().min(1, "Enter your current password.").max(256) });
// Recovery codes in a set (lib/auth/recovery-codes.ts).
export const RECOVERY_CODE_COUNT = 10;

export const resetStaffTwoStepSchema = z.object({ userId: z.string().min(1).max(64) });

// What the person's app needs: the QR code (an SVG of the otpauth link) and the same secret to type in by hand.
export type TwoStepSetup = { secret: string; qrSvg: string };
