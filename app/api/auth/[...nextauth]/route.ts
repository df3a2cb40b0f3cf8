import type { NextRequest } from "next/server";

import { getStaffSession, handlers } from "@/lib/auth";

// next-auth's session endpoint reads only the cookie; a session the database has ended (sign-out elsewhere, role
// change, deactivation) must not be echoed back from it either.
export async function GET(request: NextRequest): Promise<Response> {
  if (request.nextUrl.pathname.endsWith("/session") && !(await getStaffSession())) return Response.json(null);
  return handlers.GET(request);
}

export const { POST } = handlers;
