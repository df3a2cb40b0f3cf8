"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { fieldErrors, InputField } from "@/components/ui/field";
import { changePasswordAction } from "@/lib/actions/change-password";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { keepingValues } from "@/lib/forms/submit";
import { changePasswordSchema, type ChangePasswordInput } from "@/lib/staff/schemas";

// Current password, new password twice. Checked in the browser first (the repeat only here: the server needs the
// new password once); on success every session has ended, so the page goes to sign-in, which says why.
export function ChangePasswordForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const change = useMutation({
    mutationFn: async (input: ChangePasswordInput) => unwrapAction(await changePasswordAction(input)),
    onSuccess: () => router.replace("/sign-in?notice=password-changed"),
    onError: (error) => toast.error(error.message),
  });

  function onSubmit(form: FormData) {
    const parsed = changePasswordSchema.safeParse({ currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword") });
    const next = parsed.success ? {} : fieldErrors(parsed.error.issues);
    if (!next.newPassword && form.get("repeatPassword") !== form.get("newPassword")) next.repeatPassword = "The two new passwords differ.";
    setErrors(next);
    if (parsed.success && Object.keys(next).length === 0) change.mutate(parsed.data);
  }

  return (
    <form onSubmit={keepingValues(onSubmit)} className="flex max-w-sm flex-col gap-4" noValidate>
      <InputField id="currentPassword" label="Current password" type="password" autoComplete="current-password" error={errors.currentPassword} />
      <InputField
        id="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        error={errors.newPassword}
        hint="At least 12 characters; not a common password."
      />
      <InputField id="repeatPassword" label="New password again" type="password" autoComplete="new-password" error={errors.repeatPassword} />
      <Button type="submit" className="self-start" disabled={change.isPending}>
        {change.isPending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
