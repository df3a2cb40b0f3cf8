import type { NextRequest } from "next/server";

import { findMoveTargets } from "@/lib/devices/lookups";
import { deviceRoute } from "@/lib/devices/route-helpers";

// GET /api/devices/patients?q=…&exclude=… — enrolled patients a device can move to.
export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  return deviceRoute("device.assign", () => findMoveTargets(params.get("q") ?? "", params.get("exclude") ?? undefined));
}
