import type { Metadata } from "next";

import { ChangePasswordForm } from "@/components/account/change-password-form";
import { TwoStepSettings } from "@/components/account/two-step-settings";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageAccess } from "@/lib/auth";
import { db } from "@/lib/db";
import { formatDateTime } from "@/lib/format";
import { ROLE_LABELS } from "@/lib/permissions";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const session = await requirePageAccess("account.manage");
  const { lastSignInAt, totpEnabledAt, recoveryCodeHashes } = await db.user.findUniqueOrThrow({
    where: { id: session.userId },
    select: { lastSignInAt: true, totpEnabledAt: true, recoveryCodeHashes: true },
  });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Your account"
        description="Who you are signed in as, your password and two-step verification. An admin changes names, emails and roles."
      />
      {session.mustChangePassword ? (
        <p role="status" className="border-primary/30 bg-primary/10 rounded-md border px-4 py-3 text-sm">
          An admin set your password. Choose your own to continue: the rest of Pulseboard opens once you have.
        </p>
      ) : session.mustSetUpTwoStep ? (
        <p role="status" className="border-primary/30 bg-primary/10 rounded-md border px-4 py-3 text-sm">
          The clinic requires two-step verification. Set it up below to continue: the rest of Pulseboard opens once it is on.
        </p>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>Signed in as</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid max-w-lg grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Name</dt>
            <dd>{session.name}</dd>
            <dt className="text-muted-foreground">Email</dt>
            <dd>{session.email}</dd>
            <dt className="text-muted-foreground">Role</dt>
            <dd>{ROLE_LABELS[session.role]}</dd>
            <dt className="text-muted-foreground">This sign-in</dt>
            <dd>{formatDateTime(lastSignInAt)}</dd>
            <dt className="text-muted-foreground">Two-step verification</dt>
            <dd>{totpEnabledAt ? `On since ${formatDateTime(totpEnabledAt)}` : "Off"}</dd>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Change password</CardTitle>
          <CardDescription>Changing it signs you out everywhere, this browser too; then sign in with the new one.</CardDescription>
        </CardHeader>
        <CardContent>
          <ChangePasswordForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Two-step verification</CardTitle>
          <CardDescription>A code from your phone at each sign-in, so a password that leaks is not enough to reach patients&apos; records.</CardDescription>
        </CardHeader>
        <CardContent>
          <TwoStepSettings isOn={totpEnabledAt !== null} recoveryCodesLeft={recoveryCodeHashes.length} />
        </CardContent>
      </Card>
    </div>
  );
}
