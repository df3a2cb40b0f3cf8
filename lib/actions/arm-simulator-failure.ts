"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { armFailure } from "@/lib/simulation/controls";
import { armFailureSchema } from "@/lib/simulation/schemas";

// Makes a simulated vendor fail its next N calls (timeout, 5xx, 429 with Retry-After, 4xx or a malformed answer).
export const armSimulatorFailureAction = authActionClient
  .metadata({ action: "simulation.failure.arm", permission: "simulation.run" })
  .inputSchema(armFailureSchema)
  .action(async ({ parsedInput, ctx }) => {
    const failure = await armFailure(parsedInput);
    Object.assign(ctx.audit, {
      type: "simulator",
      id: parsedInput.vendor,
      details: { kind: parsedInput.kind, count: failure.remaining, status: failure.status, retryAfterSeconds: failure.retryAfterSeconds ?? null },
    });
    return failure;
  });
