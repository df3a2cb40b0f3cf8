import { Activity } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { SignInForm } from "@/components/auth/sign-in-form";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getStaffSession } from "@/lib/auth";

export const metadata: Metadata = { title: "Sign in" };

// What a link to sign-in may ask it to say first (after a password change every session has ended).
const NOTICES: Record<string, string> = { "password-changed": "Your password was changed. Sign in with the new one." };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ notice?: string }> }) {
  if (await getStaffSession()) redirect("/");
  const { notice } = await searchParams;
  const message = notice ? NOTICES[notice] : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <p className="flex items-center gap-2 text-lg font-semibold">
            <Activity className="size-5 text-primary" aria-hidden /> Pulseboard
          </p>
          <h1 className="text-base font-semibold">
            <span className="sr-only">Pulseboard: </span>Sign in
          </h1>
          <CardDescription>Clinic staff only. Sessions end after 15 minutes without activity.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {message ? (
            <p role="status" className="rounded-md border border-primary/30 bg-primary/10 px-3 py-2 text-sm">
              {message}
            </p>
          ) : null}
          <SignInForm />
        </CardContent>
      </Card>
    </main>
  );
}
