import { createSmartzSimulator } from "@/lib/vendors/smartz/simulator";
import type { VendorSimulator } from "@/lib/vendors/simulator-kit";
import { createTenoviSimulator } from "@/lib/vendors/tenovi/simulator";
import { createValidicSimulator } from "@/lib/vendors/validic/simulator";

// Every built-in vendor simulator, as the simulator server mounts them. Their webhooks and pushes go to
// Pulseboard's own ingest routes at PUBLIC_URL.
export function createAllSimulators(): VendorSimulator[] {
  const validic = createValidicSimulator({ push: { batchIntervalMs: 5_000 } });
  return [createTenoviSimulator(), ...validic.simulators, createSmartzSimulator()];
}
