import { BREAK_GLASS_MINUTES } from "@/lib/break-glass/schemas";
import { db } from "@/lib/db";
import { decodePathSegment } from "@/lib/navigation";
import { can, type Role } from "@/lib/permissions";

// The audit action whose successful event is the grant itself: there is no separate grants table, so a grant
// cannot exist without its audit record, and it cannot be edited (AuditEvent is append-only).
export const BREAK_GLASS_ACTION = "auth.break_glass";

// One unexpired grant: which patient, when it was granted and when it lapses.
export type EmergencyGrant = { patientId: string; grantedAt: Date; expiresAt: Date };

const windowStart = (now: Date) => new Date(now.getTime() - BREAK_GLASS_MINUTES * 60_000);

function toGrant(event: { patientId: string | null; createdAt: Date }): EmergencyGrant | null {
  if (!event.patientId) return null;
  return { patientId: event.patientId, grantedAt: event.createdAt, expiresAt: new Date(event.createdAt.getTime() + BREAK_GLASS_MINUTES * 60_000) };
}

// The user's unexpired break-glass grant for one patient, if any (the newest one).
export async function activeEmergencyGrant(userId: string, patientId: string, now = new Date()): Promise<EmergencyGrant | null> {
  const event = await db.auditEvent.findFirst({
    where: { action: BREAK_GLASS_ACTION, outcome: "success", actorId: userId, patientId, createdAt: { gt: windowStart(now), lte: now } },
    orderBy: { createdAt: "desc" },
    select: { patientId: true, createdAt: true },
  });
  return event ? toGrant(event) : null;
}

// Every unexpired grant of a user, newest first, one per patient.
export async function activeEmergencyGrants(userId: string, now = new Date()): Promise<EmergencyGrant[]> {
  const events = await db.auditEvent.findMany({
    where: { action: BREAK_GLASS_ACTION, outcome: "success", actorId: userId, createdAt: { gt: windowStart(now), lte: now } },
    orderBy: { createdAt: "desc" },
    select: { patientId: true, createdAt: true },
    take: 100,
  });
  const byPatient = new Map<string, EmergencyGrant>();
  for (const grant of events.map(toGrant)) if (grant && !byPatient.has(grant.patientId)) byPatient.set(grant.patientId, grant);
  return [...byPatient.values()];
}

// How a user may read one patient's audit trail: by role (audit.read), by an active grant, or not at all.
export async function auditTrailAccess(user: { userId: string; role: Role }, patientId: string, now = new Date()): Promise<{ via: "role" } | { via: "break_glass"; grant: EmergencyGrant } | null> {
  if (can(user.role, "audit.read")) return { via: "role" };
  const grant = await activeEmergencyGrant(user.userId, patientId, now);
  return grant ? { via: "break_glass", grant } : null;
}

// The patient id in /emergency-access/<patientId>, the one page a grant opens (the proxy checks it early).
export function auditTrailPatientId(pathname: string): string | null {
  const segment = /^\/emergency-access\/([^/]+)\/?$/.exec(pathname)?.[1];
  return segment ? decodePathSegment(segment) : null;
}
