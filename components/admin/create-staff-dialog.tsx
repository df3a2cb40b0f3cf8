"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { fieldErrors, InputField } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { createStaffAction } from "@/lib/actions/create-staff";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { keepingValues } from "@/lib/forms/submit";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/permissions";
import { createStaffSchema, type CreateStaffInput } from "@/lib/staff/schemas";

// Dialog to add a staff member: validated in the browser for quick feedback, and again on the server.
export function CreateStaffDialog() {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const [role, setRole] = useState<Role>("coordinator");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: async (input: CreateStaffInput) => unwrapAction(await createStaffAction(input)),
    onSuccess: () => {
      toast.success("Staff account created");
      setIsOpen(false);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });

  function onSubmit(form: FormData) {
    const parsed = createStaffSchema.safeParse({ name: form.get("name"), email: form.get("email"), password: form.get("password"), role });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    create.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button>Add staff member</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Add staff member</DialogTitle>
        <DialogDescription>They sign in with this email and the first password you give them, then choose their own.</DialogDescription>
        <form onSubmit={keepingValues(onSubmit)} className="flex flex-col gap-4" noValidate>
          <InputField id="name" label="Name" error={errors.name} autoComplete="off" />
          <InputField id="email" label="Email" type="email" error={errors.email} autoComplete="off" />
          <div className="flex flex-col gap-2">
            <Label htmlFor="role">Role</Label>
            <Select value={role} onValueChange={(v) => setRole(v as Role)}>
              <SelectTrigger id="role">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {ROLES.map((r) => (
                  <SelectItem key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <InputField id="password" label="First password (12+ characters)" type="password" error={errors.password} autoComplete="off" />
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create account"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
