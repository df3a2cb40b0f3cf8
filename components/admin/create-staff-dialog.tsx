"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { createStaffAction } from "@/lib/actions/create-staff";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/permissions";
import { createStaffSchema, type CreateStaffInput } from "@/lib/staff/schemas";

type FieldErrors = Partial<Record<keyof CreateStaffInput, string>>;

// Dialog to add a staff member: validated in the browser for quick feedback, and again on the server.
export function CreateStaffDialog() {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);
  const [role, setRole] = useState<Role>("coordinator");
  const [errors, setErrors] = useState<FieldErrors>({});
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
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path[0], i.message])) as FieldErrors);
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
        <DialogDescription>They sign in with this email and the first password you give them.</DialogDescription>
        <form action={onSubmit} className="flex flex-col gap-4" noValidate>
          <Field id="name" label="Name" error={errors.name} />
          <Field id="email" label="Email" type="email" error={errors.email} />
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
          <Field id="password" label="First password (12+ characters)" type="password" error={errors.password} />
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create account"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function Field({ id, label, type = "text", error }: { id: string; label: string; type?: string; error?: string }) {
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={id} type={type} aria-invalid={Boolean(error)} aria-describedby={error ? `${id}-error` : undefined} autoComplete="off" />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}
