"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { fieldErrors, InputField } from "@/components/ui/field";
import { startTwoStepSetupAction } from "@/lib/actions/start-two-step-setup";
import { turnOffTwoStepAction } from "@/lib/actions/turn-off-two-step";
import { turnOnTwoStepAction } from "@/lib/actions/turn-on-two-step";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { turnOffTwoStepSchema, turnOnTwoStepSchema, type TwoStepSetup } from "@/lib/auth/two-step-schemas";
import { keepingValues } from "@/lib/forms/submit";

// Two-step verification on one's own account: off → set up (QR code, first code) → on → off with the password.
export function TwoStepSettings({ isOn }: { isOn: boolean }) {
  return isOn ? <TurnOffTwoStep /> : <SetUpTwoStep />;
}

function SetUpTwoStep() {
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
    onSuccess: () => {
      toast.success("Two-step verification is on", { description: "From your next sign-in, Pulseboard asks for a code from your app." });
      router.refresh();
    },
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
              <Button type="button" variant="outline" onClick={() => setSetup(null)}>
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
  const [error, setError] = useState<string>();
  const turnOff = useMutation({
    mutationFn: async (currentPassword: string) => unwrapAction(await turnOffTwoStepAction({ currentPassword })),
    onSuccess: () => {
      toast.success("Two-step verification is off", { description: "Your password alone signs you in now." });
      router.refresh();
    },
    onError: (failure) => toast.error(failure.message),
  });

  function onSubmit(form: FormData) {
    const parsed = turnOffTwoStepSchema.safeParse({ currentPassword: form.get("twoStepPassword") });
    setError(parsed.success ? undefined : fieldErrors(parsed.error.issues).currentPassword);
    if (parsed.success) turnOff.mutate(parsed.data.currentPassword);
  }

  return (
    <form onSubmit={keepingValues(onSubmit)} className="flex max-w-sm flex-col gap-3" noValidate>
      <p className="text-sm">On. Signing in asks for a code from your authenticator app. To move it to a new phone, turn it off and set it up again.</p>
      <InputField id="twoStepPassword" label="Current password, to turn it off" type="password" autoComplete="current-password" error={error} />
      <Button type="submit" variant="destructive" className="self-start" disabled={turnOff.isPending}>
        {turnOff.isPending ? "Turning off…" : "Turn off two-step verification"}
      </Button>
    </form>
  );
}
