"use server";

import { AuthError } from "next-auth";

import { signIn } from "@/lib/auth";
import { signInSchema } from "@/lib/auth/sign-in";

export type SignInState = { error?: string };

// Signs in with email and password. One message for every failure, so it reveals nothing about which emails exist.
export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  // Anyone can post anything to an action: a body that is not a form gets the same answer as an empty form.
  if (!(formData instanceof FormData)) return { error: "Enter your email address and password." };
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { error: "Enter your email address and password." };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: "/" });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      return { error: "That email and password do not match an active account, or the account is locked for 15 minutes after repeated failures." };
    }
    throw error;
  }
}
