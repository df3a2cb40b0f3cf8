import { can, type Permission, type Role } from "@/lib/permissions";

export type NavItem = { href: string; label: string; permission: Permission };

export const NAV_ITEMS: NavItem[] = [
  { href: "/patients", label: "Patients", permission: "patient.read" },
  { href: "/devices", label: "Devices", permission: "device.read" },
  { href: "/shipments", label: "Shipments", permission: "shipment.read" },
  { href: "/readings", label: "Readings", permission: "reading.read" },
  { href: "/alerts", label: "Alerts", permission: "alert.read" },
  { href: "/emergency-access", label: "Emergency access", permission: "emergency.request" },
  { href: "/admin", label: "Admin", permission: "staff.manage" },
];

// Pages inside a section that need a different permission than the section itself, and pages outside the navigation.
const SUB_ROUTES: { href: string; permission: Permission }[] = [
  { href: "/admin/audit", permission: "audit.read" },
  { href: "/account", permission: "account.manage" },
];

// Pages whose path has an id in it and that need more than their section (editing rather than reading).
const PATTERN_ROUTES: { pattern: RegExp; permission: Permission }[] = [{ pattern: /^\/patients\/(?:new|[^/]+\/edit)\/?$/, permission: "patient.write" }];

// The navigation a role may use (the pages check the same permissions on the server).
export function navigationFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => can(role, item.permission));
}

// Where each role starts its day.
export function homeFor(role: Role): string {
  return role === "clinician" ? "/alerts" : "/patients";
}

// The permission a path's section requires, for the proxy's early 403 (pages check again on the server).
// The most specific route wins (/admin/audit over /admin).
export function permissionForPath(pathname: string): Permission | null {
  const pattern = PATTERN_ROUTES.find((r) => r.pattern.test(pathname));
  if (pattern) return pattern.permission;
  const matches = [...SUB_ROUTES, ...NAV_ITEMS].filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`));
  const best = matches.sort((a, b) => b.href.length - a.href.length)[0];
  return best?.permission ?? null;
}

// A path segment as the app's routes see it (percent-decoded); a malformed escape is kept as it came.
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
