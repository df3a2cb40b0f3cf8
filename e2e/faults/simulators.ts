// The vendor simulators on SIMULATOR_PORT, storing their state in DATABASE_URL, for the fault specs' web process to
// call (`node --import tsx e2e/faults/simulators.ts`). Prints "simulators ready" once listening.
import { createSimulatorServer } from "@/lib/vendors/simulator-server";
import { createAllSimulators } from "@/lib/vendors/simulators";

const server = createSimulatorServer(createAllSimulators());
server.listen(Number(process.env.SIMULATOR_PORT), "127.0.0.1", () => console.log("simulators ready"));
