"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { fieldErrors, InputField } from "@/components/ui/field";
import { cancelTwoStepSetupAction } from "@/lib/actions/cancel-two-step-setup";
import { renewRecoveryCodesAction } from "@/lib/actions/renew-recovery-codes";
import { startTwoStepSetupAction } from "@/lib/actions/start-two-step-setup";
import { turnOffTwoStepAction } from "@/lib/actions/turn-off-two-step";
import { turnOnTwoStepAction } from "@/lib/actions/turn-on-two-step";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { currentPasswordSchema, RECOVERY_CODE_COUNT, turnOnTwoStepSchema, type TwoStepSetup } from "@/lib/auth/two-step-schemas";
import { keepingValues } from "@/lib/forms/submit";

// Two-step verification on one's own account: off → set up (QR code, first code) → on, with recovery codes shown
// once → new recovery codes, or off, with the password.
export function TwoStepSettings({ isOn, recoveryCodesLeft }: { isOn: boolean; recoveryCodesLeft: number }) {
  // Codes just made, shown until the person says they saved them (the page refreshes underneath meanwhile).
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  if (newCodes) return <NewRecoveryCodes codes={newCodes} onDone={() => setNewCodes(null)} />;
  if (!isOn) return <SetUpTwoStep onTurnedOn={setNewCodes} />;
  return (
    <div className="flex flex-col gap-6">
      <RenewRecoveryCodes left={recoveryCodesLeft} onRenewed={setNewCodes} />
      <TurnOffTwoStep />
    </div>
  );
}

function SetUpTwoStep({ onTurnedOn }: { onTurnedOn: (codes: string[]) => void }) {
  const router = useRouter();
  const [setup, setSetup] = useState<TwoStepSetup | null>(null);
  const [error, setError] = useState<string>();
  const start = useMutation({
    mutationFn: async () => unwrapAction(await startTwoStepSetupAction({})),
    onSuccess: setSetup,
    onError: (failure) => toast.error(failure.message),
  });
  const turnOn = useMutation({
    mutationFn: async (code: string) => unwrapAction(await turnOnTwoStepAction({ code })),
    onSuccess: ({ recoveryCodes }) => {
      toast.success("Two-step verification is on", {
        description: "From your next sign-in, Pulseboard asks for a code from your app. Your other sessions were signed out.",
      });
      onTurnedOn(recoveryCodes);
      router.refresh();
    },
    onError: (failure) => toast.error(failure.message),
  });
  // The panel closes at once; the unfinished secret is then forgotten on the server too.
  const cancel = useMutation({
    mutationFn: async () => unwrapAction(await cancelTwoStepSetupAction({})),
    onMutate: () => setSetup(null),
    onError: (failure) => toast.error(failure.message),
  });

  if (!setup) {
    return (
      <div className="flex flex-col items-start gap-3">
        <p className="text-sm">
          Off. With it on, signing in needs a six-digit code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password
          and the like) besides your password.
        </p>
        <Button onClick={() => start.mutate()} disabled={start.isPending}>
          {start.isPending ? "Preparing…" : "Set up two-step verification"}
        </Button>
      </div>
    );
  }

  function onSubmit(form: FormData) {
    const parsed = turnOnTwoStepSchema.safeParse({ code: form.get("code") });
    setError(parsed.success ? undefined : fieldErrors(parsed.error.issues).code);
    if (parsed.success) turnOn.mutate(parsed.data.code);
  }

  return (
    <div className="flex flex-col gap-4">
      <ol className="flex list-decimal flex-col gap-1 pl-5 text-sm">
        <li>In your authenticator app, add an account and scan this QR code.</li>
        <li>Enter the six-digit code the app then shows for Pulseboard.</li>
      </ol>
      <div className="flex flex-wrap items-start gap-6">
        {/* eslint-disable-next-line @next/next/no-img-element -- an inline SVG data URL, nothing for the image optimizer to fetch */}
        <img
          src={`data:image/svg+xml;base64,${btoa(setup.qrSvg)}`}
          alt="QR code for your authenticator app. If you cannot scan it, type in the setup key shown beside it."
          width={176}
          height={176}
          className="rounded-md border bg-white p-2"
        />
        <div className="flex max-w-sm flex-col gap-3">
          <div className="text-sm">
            <p className="text-muted-foreground">Cannot scan? Type this setup key into the app (time-based):</p>
            <p className="mt-1 font-mono text-sm break-all" aria-label={`Setup key ${setup.secret.split("").join(" ")}`}>
              {setup.secret.match(/.{1,4}/g)?.join(" ")}
            </p>
          </div>
          <form onSubmit={keepingValues(onSubmit)} className="flex flex-col gap-3" noValidate>
            <InputField
              id="code"
              label="Code from the app"
              inputMode="numeric"
              autoComplete="one-time-code"
              className="font-mono tracking-widest"
              error={error}
            />
            <div className="flex gap-2">
              <Button type="submit" disabled={turnOn.isPending}>
                {turnOn.isPending ? "Checking…" : "Turn on"}
              </Button>
              <Button type="button" variant="outline" onClick={() => cancel.mutate()}>
                Cancel
              </Button>
            </div>
          </form>
        </div>
      </div>
    </div>
  );
}

function TurnOffTwoStep() {
  const router = useRouter();
  return (
    <PasswordConfirmedForm
      id="twoStepPassword"
      label="Current password, to turn it off"
      submitLabel="Turn off two-step verification"
      pendingLabel="Turning off…"
      variant="destructive"
      run={async (currentPassword) => unwrapAction(await turnOffTwoStepAction({ currentPassword }))}
      onDone={() => {
        toast.success("Two-step verification is off", { description: "Your password alone signs you in now. Your other sessions were signed out." });
        router.refresh();
      }}
    >
      <p className="text-sm">On. Signing in asks for a code from your authenticator app. To move it to a new phone, turn it off and set it up again.</p>
    </PasswordConfirmedForm>
  );
}

type PasswordConfirmedFormProps<T> = {
  id: string;
  label: string;
  submitLabel: string;
  pendingLabel: string;
  variant: "destructive" | "outline";
  run: (currentPassword: string) => Promise<T>;
  onDone: (result: T) => void;
  children: ReactNode;
};

// A change to how one signs in, made only with the current password (turning two-step off, new recovery codes).
function PasswordConfirmedForm<T>({ id, label, submitLabel, pendingLabel, variant, run, onDone, children }: PasswordConfirmedFormProps<T>) {
  const [error, setError] = useState<string>();
  const change = useMutation({ mutationFn: run, onSuccess: onDone, onError: (failure) => toast.error(failure.message) });

  function onSubmit(form: FormData) {
    const parsed = currentPasswordSchema.safeParse({ currentPassword: form.get(id) });
    setError(parsed.success ? undefined : fieldErrors(parsed.error.issues).currentPassword);
    if (parsed.success) change.mutate(parsed.data.currentPassword);
  }

  return (
    <form onSubmit={keepingValues(onSubmit)} className="flex max-w-sm flex-col gap-3" noValidate>
      {children}
      <InputField id={id} label={label} type="password" autoComplete="current-password" error={error} />
      <Button type="submit" variant={variant} className="self-start" disabled={change.isPending}>
        {change.isPending ? pendingLabel : submitLabel}
      </Button>
    </form>
  );
}

// The codes of a new set, once: to copy, download or write down before leaving.
function NewRecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `Pulseboard recovery codes (each signs in once without your phone)\n\n${codes.join("\n")}\n`;
  async function copy() {
    await navigator.clipboard.writeText(text);
    toast.success("Recovery codes copied");
  }
  return (
    <section aria-labelledby="recovery-codes-title" className="flex max-w-xl flex-col gap-3">
      <h3 id="recovery-codes-title" className="font-medium">
        Save your recovery codes
      </h3>
      <p className="text-sm">
        If you lose your phone, each of these signs you in once instead of a code from the app. Keep them in a password manager or on paper, away from the
        phone. They are not shown again.
      </p>
      <ol aria-label="Recovery codes" className="bg-muted/40 grid grid-cols-2 gap-x-6 gap-y-1 rounded-md border p-3 font-mono text-sm">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" onClick={() => void copy()}>
          Copy
        </Button>
        <Button asChild variant="outline">
          <a href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="pulseboard-recovery-codes.txt">
            Download
          </a>
        </Button>
        <Button type="button" onClick={onDone}>
          I have saved them
        </Button>
      </div>
    </section>
  );
}

// How many recovery codes are left, and a new set (the old ones stop working) after the current password.
function RenewRecoveryCodes({ left, onRenewed }: { left: number; onRenewed: (codes: string[]) => void }) {
  const router = useRouter();
  return (
    <PasswordConfirmedForm
      id="recoveryPassword"
      label="Current password, for new recovery codes"
      submitLabel="Make new recovery codes"
      pendingLabel="Making codes…"
      variant="outline"
      run={async (currentPassword) => unwrapAction(await renewRecoveryCodesAction({ currentPassword }))}
      onDone={({ recoveryCodes }) => {
        toast.success("New recovery codes made", { description: "The old ones no longer work." });
        onRenewed(recoveryCodes);
        router.refresh();
      }}
    >
      <p className="text-sm">
        {left} of {RECOVERY_CODE_COUNT} recovery codes left, for signing in without your phone.
        {left <= 3 ? " Running low: make a new set." : ""}
      </p>
    </PasswordConfirmedForm>
  );
}
