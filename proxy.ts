import { NextResponse } from "next/server";

import { uncachedAuth } from "@/lib/auth";
import { permissionForPath } from "@/lib/navigation";
import { can } from "@/lib/permissions";

const PUBLIC_PATHS = ["/sign-in", "/access-denied"];

// The front door: signed-out visitors go to sign-in, a role without the section's permission gets a real 403,
// and every page request renews the idle-timeout session cookie. Pages, actions and routes check again on the server.
export default uncachedAuth((request) => {
  const { pathname } = request.nextUrl;
  if (PUBLIC_PATHS.some((p) => pathname.startsWith(p))) return NextResponse.next();
  if (!request.auth?.user) return NextResponse.redirect(new URL("/sign-in", request.nextUrl));
  const permission = permissionForPath(pathname);
  // Server actions authorize themselves (and audit the refusal), so their POSTs pass through.
  const isServerAction = request.headers.has("next-action");
  if (permission && !isServerAction && !can(request.auth.user.role, permission)) {
    return NextResponse.rewrite(new URL("/access-denied", request.nextUrl), { status: 403 });
  }
  return NextResponse.next();
});

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico)$).*)"],
};
