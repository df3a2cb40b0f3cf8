// Who may do what: the single table every page, route and server action checks (and the access-matrix test reads).
export const ROLES = ["admin", "coordinator", "clinician"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "patient.read": ["admin", "coordinator", "clinician"],
  "patient.write": ["admin", "coordinator"],
  "device.read": ["admin", "coordinator", "clinician"],
  "device.assign": ["admin", "coordinator"],
  "device.disconnect": ["admin"],
  "shipment.read": ["admin", "coordinator", "clinician"],
  "shipment.write": ["admin", "coordinator"],
  "reading.read": ["admin", "coordinator", "clinician"],
  "alert.read": ["admin", "coordinator", "clinician"],
  "alert.manage": ["admin", "clinician"],
  "patient.offboard": ["admin"],
  // Minutes of remote-monitoring care (reviews, calls) for the monthly treatment-management codes.
  "care_time.log": ["admin", "coordinator", "clinician"],
  // Their own account: everyone changes their own password.
  "account.manage": ["admin", "coordinator", "clinician"],
  "staff.manage": ["admin"],
  "settings.manage": ["admin"],
  "audit.read": ["admin"],
  // Marking an action whose outcome was lost as checked (the trail itself never changes).
  "audit.review": ["admin"],
  // Break-glass: anyone may ask for time-limited access to one patient's audit trail, with a written reason.
  "emergency.request": ["admin", "coordinator", "clinician"],
  "integration.read": ["admin"],
  "simulation.run": ["admin"],
  "ingest.replay": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role != null && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

// Whether a signed-in session may use a permission: its role's, except that while the person still has a password an
// admin chose (a new account, a reset), or has no two-step verification where the clinic requires it, only their own
// account.
export function sessionCan(session: { role: Role; mustChangePassword?: boolean; mustSetUpTwoStep?: boolean }, permission: Permission): boolean {
  if ((session.mustChangePassword || session.mustSetUpTwoStep) && permission !== "account.manage") return false;
  return can(session.role, permission);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  coordinator: "Care coordinator",
  clinician: "Clinician",
};
