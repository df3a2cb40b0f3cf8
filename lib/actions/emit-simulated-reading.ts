"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { emitReading } from "@/lib/simulation/controls";
import { emitReadingSchema } from "@/lib/simulation/schemas";

// Makes a simulated device (or a Smartz patient's pod) report now or over the last day.
export const emitSimulatedReadingAction = authActionClient
  .metadata({ action: "simulation.reading.emit", permission: "simulation.run" })
  .inputSchema(emitReadingSchema)
  .action(async ({ parsedInput, ctx }) => {
    Object.assign(ctx.audit, { type: "simulator", id: parsedInput.vendor, details: { target: parsedInput.target, span: parsedInput.span } });
    return emitReading(parsedInput);
  });
