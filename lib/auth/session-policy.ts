import type { Role } from "@/lib/permissions";

// What Pulseboard keeps in the session JWT: who, which role and session version at sign-in, when they signed in
// (absolute lifetime) and when the session was last used (idle timeout). All times are epoch milliseconds.
export type SessionClaims = { uid?: string; role?: Role; sv?: number; authTime?: number; seenAt?: number };

// SESSION_IDLE_MINUTES and SESSION_MAX_HOURS.
export type SessionLimits = { idleMinutes: number; maxHours: number };

// The user next-auth hands the jwt callback at sign-in.
export type SignedInIdentity = { id: string; role?: Role; sessionVersion?: number };

// How long a renewed session goes without being renewed again. Sealing a new cookie on every request costs CPU on
// every page for nothing: within a minute the idle clock would move by less than a minute. The price is that an
// idle session can end up to this much before SESSION_IDLE_MINUTES after the last request (earlier, never later).
export const SESSION_RENEW_AFTER_MS = 60_000;

// The jwt callback's decision, as a pure function: fresh claims at sign-in; afterwards null (signed out) once the
// session is older than maxHours or unused for longer than idleMinutes; else the very same claims object while the
// last renewal is less than SESSION_RENEW_AFTER_MS old (so the caller can keep the cookie as it is), or the claims
// with seenAt renewed. A token without authTime or seenAt (forged, or from before these claims existed) is
// refused: fail closed.
export function nextSessionClaims<T extends SessionClaims>(claims: T, user: SignedInIdentity | undefined, now: number, limits: SessionLimits): T | null {
  if (user?.id) return { ...claims, uid: user.id, role: user.role, sv: user.sessionVersion, authTime: now, seenAt: now };
  if (claims.authTime === undefined || claims.seenAt === undefined) return null;
  if (now - claims.authTime > limits.maxHours * 3_600_000) return null;
  if (now - claims.seenAt > limits.idleMinutes * 60_000) return null;
  if (now >= claims.seenAt && now - claims.seenAt < SESSION_RENEW_AFTER_MS) return claims;
  return { ...claims, seenAt: now };
}

// Whether a session still matches its user in the database: a deactivated user, a changed role or a sign-out
// elsewhere (sessionVersion bumped) ends every session at once.
export function isSessionCurrent(session: { role: Role; sessionVersion: number }, user: { role: Role; isActive: boolean; sessionVersion: number } | null): boolean {
  return Boolean(user && user.isActive && user.sessionVersion === session.sessionVersion && user.role === session.role);
}
