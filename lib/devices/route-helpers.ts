import { NextResponse } from "next/server";

import { getStaffSession } from "@/lib/auth";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { sessionCan, type Permission } from "@/lib/permissions";

// Answers a device read route: the staff member must hold the permission; AppErrors become their status and message.
export async function deviceRoute<T>(permission: Permission, read: () => Promise<T>): Promise<NextResponse> {
  const session = await getStaffSession();
  if (!session) return NextResponse.json({ message: "Sign in again." }, { status: 401 });
  if (!sessionCan(session, permission)) return NextResponse.json({ message: "Your role does not allow this." }, { status: 403 });
  try {
    return NextResponse.json(await read(), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (isAppError(error)) return NextResponse.json({ message: error.message }, { status: error.status });
    logger.error("device lookup failed", { error: error instanceof Error ? error.name : "unknown" });
    return NextResponse.json({ message: new AppError("VENDOR_UNAVAILABLE", "That list could not be loaded; try again.").message }, { status: 500 });
  }
}
