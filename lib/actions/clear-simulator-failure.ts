"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { clearFailure } from "@/lib/simulation/controls";
import { clearFailureSchema } from "@/lib/simulation/schemas";

// Disarms a simulated vendor's failure switch, so its calls succeed again.
export const clearSimulatorFailureAction = authActionClient
  .metadata({ action: "simulation.failure.clear", permission: "simulation.run" })
  .inputSchema(clearFailureSchema)
  .action(async ({ parsedInput, ctx }) => {
    await clearFailure(parsedInput.vendor);
    Object.assign(ctx.audit, { type: "simulator", id: parsedInput.vendor });
    return { vendor: parsedInput.vendor };
  });
