import { Activity } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { SignInForm } from "@/components/auth/sign-in-form";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { getStaffSession } from "@/lib/auth";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage() {
  if (await getStaffSession()) redirect("/");
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
        <CardContent>
          <SignInForm />
        </CardContent>
      </Card>
    </main>
  );
}
