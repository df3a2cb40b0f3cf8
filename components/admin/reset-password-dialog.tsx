"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { fieldErrors, InputField } from "@/components/ui/field";
import { resetStaffPasswordAction } from "@/lib/actions/reset-staff-password";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { keepingValues } from "@/lib/forms/submit";
import { resetStaffPasswordSchema, type ResetStaffPasswordInput } from "@/lib/staff/schemas";

// An admin gives a staff member a new password (forgotten, or locked out after wrong ones).
export function ResetPasswordDialog({ userId, name }: { userId: string; name: string }) {
  const [isOpen, setIsOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const reset = useMutation({
    mutationFn: async (input: ResetStaffPasswordInput) => unwrapAction(await resetStaffPasswordAction(input)),
    onSuccess: () => {
      toast.success(`New password set for ${name}`, { description: "Their sessions have ended; they sign in with it and choose their own." });
      setIsOpen(false);
    },
    onError: (error) => toast.error(error.message),
  });

  function onSubmit(form: FormData) {
    const parsed = resetStaffPasswordSchema.safeParse({ userId, password: form.get("password") });
    setErrors(parsed.success ? {} : fieldErrors(parsed.error.issues));
    if (parsed.success) reset.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          Reset password
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Reset password for {name}</DialogTitle>
        <DialogDescription>
          They are signed out everywhere, a lockout after wrong passwords is lifted, and they sign in once with the password you set here to choose their own.
          Tell it to them in person or by phone.
        </DialogDescription>
        <form onSubmit={keepingValues(onSubmit)} className="flex flex-col gap-4" noValidate>
          <InputField id="password" label="New password (12+ characters)" type="password" autoComplete="off" error={errors.password} />
          <Button type="submit" disabled={reset.isPending}>
            {reset.isPending ? "Setting…" : "Set new password"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
