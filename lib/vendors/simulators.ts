import type { VendorSimulator } from "@/lib/vendors/simulator-kit";

// Every built-in vendor simulator, as the simulator server mounts them.
export function createAllSimulators(): VendorSimulator[] {
  return [];
}
