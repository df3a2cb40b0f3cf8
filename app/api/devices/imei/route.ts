import type { NextRequest } from "next/server";

import { checkImei } from "@/lib/devices/lookups";
import { deviceRoute } from "@/lib/devices/route-helpers";

// GET /api/devices/imei?imei=… — format, Luhn check digit, and who already has this IMEI.
export async function GET(request: NextRequest) {
  const imei = request.nextUrl.searchParams.get("imei") ?? "";
  return deviceRoute("device.assign", () => checkImei(imei));
}
