import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import { encode } from "next-auth/jwt";
import Credentials from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";

import { openSessionCookie, readSessionClaims } from "@/lib/auth/session-cookie";
import { isSessionCurrent, nextSessionClaims, type SessionClaims } from "@/lib/auth/session-policy";
import { sessionTokenCodec } from "@/lib/auth/session-token";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { REQUIRE_TWO_STEP_SETTING } from "@/lib/auth/two-step-setting";
import { readRows } from "@/lib/database/read-rows";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { can, sessionCan, type Permission, type Role } from "@/lib/permissions";

declare module "next-auth" {
  interface Session {
    user: { id: string; role: Role; sessionVersion: number } & DefaultSession["user"];
  }
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
}

// A right password whose two-step code is missing or wrong. next-auth hands a CredentialsSignin's `code` to
// signIn's caller (lib/actions/sign-in.ts), which then asks for the code instead of saying the password was wrong.
class TwoStepSignIn extends CredentialsSignin {
  constructor(twoStep: "required" | "wrong") {
    super();
    this.code = `two_step_${twoStep}`;
  }
}

// next-auth: email + password (and an authenticator code, lib/auth/totp.ts), JWT sessions that expire after
// SESSION_IDLE_MINUTES without a request (a request renews the cookie when its last renewal is over a minute old,
// SESSION_RENEW_AFTER_MS) and after SESSION_MAX_HOURS whatever happens.
export const { handlers, auth: uncachedAuth, signIn, signOut } = NextAuth({
  trustHost: true,
  secret: env.AUTH_SECRET,
  session: { strategy: "jwt", maxAge: env.SESSION_IDLE_MINUTES * 60, updateAge: 0 },
  jwt: sessionTokenCodec,
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" }, code: { label: "Authentication code", type: "text" } },
      authorize: async (credentials, request) => {
        const sourceIp = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
        const outcome = await verifyCredentials(credentials, sourceIp);
        if (outcome && "twoStep" in outcome) throw new TwoStepSignIn(outcome.twoStep);
        return outcome;
      },
    }),
  ],
  callbacks: {
    jwt: ({ token, user }) =>
      nextSessionClaims(token as typeof token & SessionClaims, user?.id ? { id: user.id, role: user.role, sessionVersion: user.sessionVersion } : undefined, Date.now(), {
        idleMinutes: env.SESSION_IDLE_MINUTES,
        maxHours: env.SESSION_MAX_HOURS,
      }),
    session: ({ session, token }) => {
      const claims = token as typeof token & SessionClaims;
      session.user.id = claims.uid ?? "";
      session.user.role = claims.role ?? "clinician";
      session.user.sessionVersion = claims.sv ?? -1;
      return session;
    },
  },
});

// mustChangePassword: an admin chose the password (new account, reset); mustSetUpTwoStep: the clinic requires
// two-step verification and the person has none. Until they pick their own password or set it up, the session holds
// account.manage and nothing else (sessionCan, lib/permissions.ts).
export type StaffSession = { userId: string; role: Role; name: string; email: string; mustChangePassword: boolean; mustSetUpTwoStep: boolean };

type SessionUserRow = { role: Role; isActive: boolean; sessionVersion: number; name: string; email: string; mustChangePassword: boolean; mustSetUpTwoStep: boolean };

// The signed-in staff member, re-checked against the database on every request: a deactivated user, a changed
// role or a sign-out elsewhere (sessionVersion) ends the session at once. The cookie is opened directly
// (lib/auth/session-cookie.ts) rather than through next-auth's auth(), whose per-call pipeline cost every page
// several milliseconds of CPU; the claims are mapped as the session callback above maps them.
export const getStaffSession = cache(async (): Promise<StaffSession | null> => {
  const claims = await readSessionClaims(await cookies(), env.AUTH_SECRET, { idleMinutes: env.SESSION_IDLE_MINUTES, maxHours: env.SESSION_MAX_HOURS });
  if (!claims?.uid) return null;
  const sessionUser = { role: claims.role ?? "clinician", sessionVersion: claims.sv ?? -1 };
  // Plain SQL on the pool (lib/database/read-rows.ts): on every request, and through Prisma even a raw query costs
  // several times the CPU.
  const [user] = await readRows<SessionUserRow>(Prisma.sql`
    SELECT role::text AS role, "isActive", "sessionVersion", name, email, "mustChangePassword",
           ("totpEnabledAt" IS NULL AND EXISTS (SELECT 1 FROM "ClinicSetting" WHERE key = ${REQUIRE_TWO_STEP_SETTING} AND value = 'true'::jsonb)) AS "mustSetUpTwoStep"
      FROM "User" WHERE id = ${claims.uid}`);
  if (!user || !isSessionCurrent(sessionUser, user)) return null;
  return {
    userId: claims.uid,
    role: user.role,
    name: user.name,
    email: user.email,
    mustChangePassword: user.mustChangePassword,
    mustSetUpTwoStep: user.mustSetUpTwoStep,
  };
});

// Ends every other session of the signed-in person and keeps this one, after a change of how they sign in (two-step
// verification turned on or off): sessionVersion goes up, which ends the sessions elsewhere at their next request,
// and this request's cookie is sealed again with the new version, as next-auth seals it (same name, attributes and
// lifetime; the idle clock starts again, as at a renewal).
export async function endOtherSessions(userId: string): Promise<void> {
  const store = await cookies();
  const secret = env.AUTH_SECRET;
  const current = await openSessionCookie(store, secret);
  const { sessionVersion } = await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } }, select: { sessionVersion: true } });
  if (!secret || current?.claims.uid !== userId) return;
  const maxAge = env.SESSION_IDLE_MINUTES * 60;
  const token = await encode({ token: { ...current.claims, sv: sessionVersion, seenAt: Date.now() }, secret, salt: current.name, maxAge });
  store.set(current.name, token, { httpOnly: true, sameSite: "lax", path: "/", secure: current.name.startsWith("__Secure-"), expires: new Date(Date.now() + maxAge * 1000) });
}

// For pages: signed-out visitors go to sign-in, staff without the permission get the 403 page, and someone who must
// first pick their own password or set up two-step verification goes to their account page.
export async function requirePageAccess(permission: Permission): Promise<StaffSession> {
  const session = await getStaffSession();
  if (!session) redirect("/sign-in");
  if (!can(session.role, permission)) forbidden();
  if (!sessionCan(session, permission)) redirect("/account");
  return session;
}
