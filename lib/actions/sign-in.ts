"use server";

import { AuthError } from "next-auth";

import { signIn } from "@/lib/auth";
import { signInSchema } from "@/lib/auth/sign-in";

// `needsCode`: the password was right and the account uses two-step verification, so the form asks for the code.
export type SignInState = { error?: string; needsCode?: boolean };

const MISSING = "Enter your email address and password.";
const REFUSED = "That email and password do not match an active account, or the account is locked for 15 minutes after repeated failures.";
const WRONG_CODE = "That code is not right, or it was used already. Enter the code your authenticator app shows now.";

// Signs in with email and password, and the authenticator code of those who use one. One message for every wrong
// email or password, so it reveals nothing about which emails exist; the code is asked for only after the right
// password.
export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  // Anyone can post anything to an action: a body that is not a form gets the same answer as an empty form.
  if (!(formData instanceof FormData)) return { error: MISSING };
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password"), code: formData.get("code") ?? undefined });
  if (!parsed.success) return { error: MISSING };
  try {
    // next-auth sends the credentials as a form: an undefined code would arrive as the text "undefined".
    const { code, ...credentials } = parsed.data;
    await signIn("credentials", { ...credentials, ...(code ? { code } : {}), redirectTo: "/" });
    return {};
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    // The code lib/auth.ts's authorize gave the refusal (TwoStepSignIn).
    const refusal = "code" in error ? error.code : undefined;
    if (refusal === "two_step_required") return { needsCode: true };
    if (refusal === "two_step_wrong") return { needsCode: true, error: WRONG_CODE };
    return { error: REFUSED };
  }
}
