"use client";

import { useState, type FormEvent } from "react";

import { ActionResult } from "@/components/simulation/action-result";
import { useSimulationAction } from "@/components/simulation/use-simulation-action";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { armSimulatorFailureAction } from "@/lib/actions/arm-simulator-failure";
import { clearSimulatorFailureAction } from "@/lib/actions/clear-simulator-failure";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { fieldErrorsFromActionError, fieldErrorsFromZod, type FieldErrors } from "@/lib/forms/field-errors";
import { armFailureSchema, FAILURE_KIND_LABELS, FAILURE_KINDS, type ArmFailureInput, type FailureKind, type SimulatedVendor } from "@/lib/simulation/schemas";
import type { FailureSwitch } from "@/lib/vendors/simulator-kit";

const DEFAULT_STATUS: Partial<Record<FailureKind, string>> = { server_error: "503", client_error: "400" };

// Describes an armed switch in words: "the next 3 calls answer HTTP 429 (Retry-After 30 s)".
function describeFailure(failure: FailureSwitch): string {
  const calls = `The next ${failure.remaining === 1 ? "call" : `${failure.remaining} calls`}`;
  if (failure.mode === "timeout") return `${calls} get no answer (timeout).`;
  if (failure.mode === "malformed") return `${calls} get a malformed (HTML) answer.`;
  return `${calls} answer HTTP ${failure.status}${failure.retryAfterSeconds ? ` (Retry-After ${failure.retryAfterSeconds} s)` : ""}.`;
}

// Arms or clears one vendor's failure switch, for rehearsing outages: retries, backoff and error messages.
export function FailureSwitchForm({ vendor, failure }: { vendor: SimulatedVendor; failure: FailureSwitch | null }) {
  const [kind, setKind] = useState<FailureKind>("server_error");
  const [errors, setErrors] = useState<FieldErrors>({});
  const arm = useSimulationAction(
    async (input: ArmFailureInput) => unwrapAction(await armSimulatorFailureAction(input)),
    (armed) => `Armed. ${describeFailure(armed)}`,
  );
  const clear = useSimulationAction(
    async () => unwrapAction(await clearSimulatorFailureAction({ vendor })),
    () => "Cleared: calls succeed again.",
  );
  const id = (name: string) => `${vendor}-failure-${name}`;
  const hasStatus = kind === "server_error" || kind === "client_error";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (arm.isPending) return;
    const data = new FormData(event.currentTarget);
    const input: ArmFailureInput = {
      vendor,
      kind,
      count: String(data.get("count") ?? ""),
      status: hasStatus ? String(data.get("status") ?? "") : undefined,
      retryAfterSeconds: kind === "rate_limited" ? String(data.get("retryAfterSeconds") ?? "") : undefined,
    };
    const parsed = armFailureSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrorsFromZod(parsed.error));
      return;
    }
    setErrors({});
    arm.mutate(input, { onError: (error) => setErrors(fieldErrorsFromActionError(error)) });
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2 text-sm" aria-live="polite">
        {failure ? (
          <>
            <Badge tone="danger">Armed</Badge>
            <span>{describeFailure(failure)}</span>
            <Button type="button" size="sm" variant="outline" disabled={clear.isPending} onClick={() => clear.mutate(undefined)}>
              Clear failure switch
            </Button>
          </>
        ) : (
          <>
            <Badge tone="success">Off</Badge>
            <span className="text-muted-foreground">Calls to the simulator succeed.</span>
          </>
        )}
      </div>
      <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-2" aria-label={`Failure switch for ${vendor}`}>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={id("kind")}>Failure</Label>
          <select
            id={id("kind")}
            value={kind}
            onChange={(e) => setKind(e.target.value as FailureKind)}
            className="bg-card focus-visible:ring-ring h-9 rounded-md border px-2 text-sm focus-visible:ring-2 focus-visible:outline-none"
          >
            {FAILURE_KINDS.map((k) => (
              <option key={k} value={k}>
                {FAILURE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <NumberField id={id("count")} name="count" label="Next calls" defaultValue="3" error={errors.count} />
        {hasStatus ? (
          <NumberField key={kind} id={id("status")} name="status" label="HTTP status" defaultValue={DEFAULT_STATUS[kind] ?? ""} error={errors.status} />
        ) : null}
        {kind === "rate_limited" ? (
          <NumberField id={id("retry")} name="retryAfterSeconds" label="Retry-After (s)" defaultValue="30" error={errors.retryAfterSeconds} />
        ) : null}
        <Button type="submit" variant="destructive" disabled={arm.isPending}>
          Arm failure switch
        </Button>
      </form>
      <ActionResult result={(arm.lastResult?.at ?? 0) >= (clear.lastResult?.at ?? 0) ? arm.lastResult : clear.lastResult} />
    </div>
  );
}

function NumberField({ id, name, label, defaultValue, error }: { id: string; name: string; label: string; defaultValue: string; error?: string }) {
  return (
    <div className="flex w-32 flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        defaultValue={defaultValue}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p id={`${id}-error`} className="text-destructive text-xs">
          {error}
        </p>
      ) : null}
    </div>
  );
}
