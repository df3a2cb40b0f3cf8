"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { dropTenoviWebhooks } from "@/lib/simulation/controls";
import { dropWebhooksSchema } from "@/lib/simulation/schemas";

// Makes the Tenovi simulator drop its next N webhooks, as if Pulseboard were down (the backfill recovers them).
export const dropSimulatedWebhooksAction = authActionClient
  .metadata({ action: "simulation.webhooks.drop", permission: "simulation.run" })
  .inputSchema(dropWebhooksSchema)
  .action(async ({ parsedInput, ctx }) => {
    await dropTenoviWebhooks(parsedInput.count);
    Object.assign(ctx.audit, { type: "simulator", id: "tenovi", details: { count: parsedInput.count } });
    return { count: parsedInput.count };
  });
