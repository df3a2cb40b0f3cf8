import type { NextRequest } from "next/server";

import { defaultVendorClients } from "@/lib/devices/context";
import { smartzPodOptions, tenoviOptions } from "@/lib/devices/lookups";
import { deviceRoute } from "@/lib/devices/route-helpers";
import { AppError } from "@/lib/errors";

// GET /api/devices/options?vendor=tenovi&patientId=… (device types, the patient's gateways) or ?vendor=smartz (pods).
export async function GET(request: NextRequest) {
  const vendor = request.nextUrl.searchParams.get("vendor");
  const patientId = request.nextUrl.searchParams.get("patientId") ?? "";
  return deviceRoute("device.assign", async () => {
    if (vendor === "tenovi") return tenoviOptions(defaultVendorClients(), patientId);
    if (vendor === "smartz") return smartzPodOptions(defaultVendorClients());
    throw new AppError("INVALID_INPUT", "Ask for vendor=tenovi or vendor=smartz.");
  });
}
