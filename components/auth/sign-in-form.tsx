"use client";

import { startTransition, useActionState } from "react";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { signInAction, type SignInState } from "@/lib/actions/sign-in";
import { keepingValues } from "@/lib/forms/submit";

// Email + password, then (for accounts with two-step verification) the authenticator code, the first two kept as
// typed. The error is announced and the button is disabled while signing in.
export function SignInForm() {
  const [state, formAction, isPending] = useActionState<SignInState, FormData>(signInAction, {});
  const submit = keepingValues((form) => startTransition(() => formAction(form)));
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <div className="flex flex-col gap-2">
        <Label htmlFor="email">Email</Label>
        <Input id="email" name="email" type="email" autoComplete="username" required aria-invalid={Boolean(state.error && !state.needsCode)} />
      </div>
      <div className="flex flex-col gap-2">
        <Label htmlFor="password">Password</Label>
        <Input id="password" name="password" type="password" autoComplete="current-password" required aria-invalid={Boolean(state.error && !state.needsCode)} />
      </div>
      {state.needsCode ? (
        <div className="flex flex-col gap-2">
          <Label htmlFor="code">Authentication code</Label>
          <Input
            id="code"
            name="code"
            autoComplete="one-time-code"
            autoFocus
            required
            aria-describedby="code-hint"
            aria-invalid={Boolean(state.error)}
            className="font-mono tracking-widest"
          />
          <p id="code-hint" className="text-xs text-muted-foreground">
            The six digits your authenticator app shows for Pulseboard. Lost your phone? Enter one of your recovery codes instead, or ask an admin to
            turn two-step verification off for you.
          </p>
        </div>
      ) : null}
      {state.error ? (
        <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" disabled={isPending}>
        {isPending ? "Signing in…" : state.needsCode ? "Verify and sign in" : "Sign in"}
      </Button>
    </form>
  );
}
