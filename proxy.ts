import { NextResponse, type NextRequest } from "next/server";

import { actionBodyRefusal } from "@/lib/action-body";
import { uncachedAuth } from "@/lib/auth";
import { unchangedSessionClaims } from "@/lib/auth/session-cookie";
import { auditTrailAccess, auditTrailPatientId } from "@/lib/break-glass/grants";
import { detailRecordExists, detailRecordOf } from "@/lib/detail-records";
import { env } from "@/lib/env";
import { permissionForPath } from "@/lib/navigation";
import { can, type Role } from "@/lib/permissions";
import { contentSecurityPolicy, createNonce } from "@/lib/security-headers";

const PUBLIC_PATHS = ["/sign-in", "/access-denied"];

// Who the session cookie says the visitor is (the database re-check is the page's, lib/auth.ts).
type ProxyUser = { id: string; role: Role };

// The front door: signed-out visitors go to sign-in, a role without the section's permission gets a real 403, a page
// about a record that does not exist a real 404, and page requests renew the idle-timeout session cookie (at most once a minute, lib/auth/session-policy.ts). Pages, actions and routes check again on the server.
// Every answer carries a Content-Security-Policy with a fresh nonce, which Next puts on its own scripts.
// A session cookie that needs nothing done (the common case: renewed less than a minute ago) is read directly;
// anything else (renewal, a broken or expired cookie to clear, no session) goes through next-auth, whose pipeline
// costs milliseconds of CPU per request.
export default async function proxy(request: NextRequest): Promise<Response> {
  const claims = await unchangedSessionClaims(request.cookies, env.AUTH_SECRET, { idleMinutes: env.SESSION_IDLE_MINUTES, maxHours: env.SESSION_MAX_HOURS });
  // Mapped as the session callback in lib/auth.ts maps them.
  if (claims) return secured(request, { id: claims.uid ?? "", role: claims.role ?? "clinician" });
  // next-auth's wrapper always answers (with its Set-Cookie headers added); without an answer, as signed out.
  return (await throughNextAuth(request, NO_ROUTE_PARAMS)) ?? secured(request, null);
}

const NO_ROUTE_PARAMS = { params: Promise.resolve({}) };
const throughNextAuth = uncachedAuth(async (request) => secured(request, request.auth?.user ?? null));

async function secured(request: NextRequest, user: ProxyUser | null): Promise<NextResponse> {
  const nonce = createNonce();
  const isHttps = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const csp = contentSecurityPolicy({ nonce, isDev: env.NODE_ENV === "development", isHttps });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = await route(request, user, requestHeaders);
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

async function route(request: NextRequest, user: ProxyUser | null, requestHeaders: Headers): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  const next = () => NextResponse.next({ request: { headers: requestHeaders } });
  const refuse = () => NextResponse.rewrite(new URL("/access-denied", request.nextUrl), { status: 403, request: { headers: requestHeaders } });
  // An action body that is too big or not an action body at all is refused before Next reads it (Next answers 500).
  const bodyRefusal = request.headers.has("next-action") ? await actionBodyRefusal(request) : null;
  if (bodyRefusal) return new NextResponse(null, { status: bodyRefusal });
  if (PUBLIC_PATHS.some((p) => pathname.startsWith(p))) return next();
  if (!user) return NextResponse.redirect(new URL("/sign-in", request.nextUrl));
  // Server actions authorize themselves (and audit the refusal), so their POSTs pass through.
  if (request.headers.has("next-action")) return next();
  const permission = permissionForPath(pathname);
  if (permission && !can(user.role, permission)) return refuse();
  // A patient's audit trail opens to audit.read or an active break-glass grant: checked here too, because a page
  // inside a loading boundary streams before it can answer 403 itself.
  const trailPatientId = auditTrailPatientId(pathname);
  if (trailPatientId && !(await auditTrailAccess({ userId: user.id, role: user.role }, trailPatientId))) return refuse();
  // A page about one record answers 404 when there is no such record (after the permission checks, which answer the
  // same whether it exists or not); the page cannot, under the loading boundary (lib/detail-records.ts).
  const detail = detailRecordOf(pathname);
  if (detail && !(await detailRecordExists(detail))) return NextResponse.rewrite(new URL("/_no-such-record", request.nextUrl), { status: 404, request: { headers: requestHeaders } });
  return next();
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico)$).*)"],
};
