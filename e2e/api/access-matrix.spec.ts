import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { request as playwrightRequest, test, expect, type APIResponse } from "@playwright/test";

import { homeFor, permissionForPath } from "../../lib/navigation";
import { can, type Permission } from "../../lib/permissions";
import { BASE_URL } from "../../playwright.config";
import { patientIdByMrn, withE2eDatabase } from "../database";
import { ROLE_USERS } from "../fixtures";
import { prepareIdentities, type Identity } from "../identities";

// Every page and route handler in app/, requested as every role, signed out, and with sessions that must no longer
// work; the expected answer comes from lib/permissions.ts (and the proxy's section table in lib/navigation.ts).

type Access =
  | { kind: "permission"; permission: Permission }
  | { kind: "public" }
  // "/": sends each role to its start page.
  | { kind: "home" }
  // The sign-in page: signed-in staff are sent home.
  | { kind: "sign-in" }
  // next-auth's own endpoints answer everyone; they hold no data beyond the caller's own session.
  | { kind: "next-auth" }
  // Vendor ingest routes authenticate the vendor, not staff, and take POST only: a GET is 405 for everyone.
  | { kind: "vendor-post-only" };

type Row = { route: string; type: "page" | "api"; access: Access; url: (ids: Ids) => string; body?: "csv" | "json" };
type Ids = { patientId: string; ingestEventId: string; deviceId: string };

const ROUTES: Row[] = [
  { route: "/", type: "page", access: { kind: "home" }, url: () => "/" },
  { route: "/sign-in", type: "page", access: { kind: "sign-in" }, url: () => "/sign-in" },
  { route: "/access-denied", type: "page", access: { kind: "public" }, url: () => "/access-denied" },
  { route: "/patients", type: "page", access: { kind: "permission", permission: "patient.read" }, url: () => "/patients" },
  { route: "/patients/[id]", type: "page", access: { kind: "permission", permission: "patient.read" }, url: (ids) => `/patients/${ids.patientId}` },
  { route: "/devices", type: "page", access: { kind: "permission", permission: "device.read" }, url: () => "/devices" },
  { route: "/shipments", type: "page", access: { kind: "permission", permission: "shipment.read" }, url: () => "/shipments" },
  { route: "/readings", type: "page", access: { kind: "permission", permission: "reading.read" }, url: () => "/readings" },
  { route: "/alerts", type: "page", access: { kind: "permission", permission: "alert.read" }, url: () => "/alerts" },
  { route: "/admin", type: "page", access: { kind: "permission", permission: "staff.manage" }, url: () => "/admin" },
  { route: "/admin/audit", type: "page", access: { kind: "permission", permission: "audit.read" }, url: () => "/admin/audit" },
  { route: "/account", type: "page", access: { kind: "permission", permission: "account.manage" }, url: () => "/account" },
  { route: "/emergency-access", type: "page", access: { kind: "permission", permission: "emergency.request" }, url: () => "/emergency-access" },
  // Without a break-glass grant (nobody holds one for this patient), a patient's audit trail needs audit.read.
  { route: "/emergency-access/[patientId]", type: "page", access: { kind: "permission", permission: "audit.read" }, url: (ids) => `/emergency-access/${ids.patientId}` },
  { route: "/api/health", type: "api", access: { kind: "public" }, url: () => "/api/health" },
  { route: "/api/auth/[...nextauth]", type: "api", access: { kind: "next-auth" }, url: () => "/api/auth/session" },
  { route: "/api/audit/export", type: "api", access: { kind: "permission", permission: "audit.read" }, url: (ids) => `/api/audit/export?patientId=${ids.patientId}`, body: "csv" },
  { route: "/patients/new", type: "page", access: { kind: "permission", permission: "patient.write" }, url: () => "/patients/new" },
  { route: "/patients/[id]/edit", type: "page", access: { kind: "permission", permission: "patient.write" }, url: (ids) => `/patients/${ids.patientId}/edit` },
  { route: "/patients/[id]/vitals", type: "page", access: { kind: "permission", permission: "reading.read" }, url: (ids) => `/patients/${ids.patientId}/vitals` },
  { route: "/alerts/rules", type: "page", access: { kind: "permission", permission: "alert.read" }, url: () => "/alerts/rules" },
  { route: "/admin/ingest", type: "page", access: { kind: "permission", permission: "integration.read" }, url: () => "/admin/ingest" },
  { route: "/admin/ingest/unmatched", type: "page", access: { kind: "permission", permission: "ingest.replay" }, url: () => "/admin/ingest/unmatched" },
  { route: "/admin/ingest/events/[id]", type: "page", access: { kind: "permission", permission: "integration.read" }, url: (ids) => `/admin/ingest/events/${ids.ingestEventId}` },
  { route: "/admin/simulation", type: "page", access: { kind: "permission", permission: "simulation.run" }, url: () => "/admin/simulation" },
  { route: "/api/readings/feed", type: "api", access: { kind: "permission", permission: "reading.read" }, url: () => "/api/readings/feed", body: "json" },
  { route: "/api/reports/adherence", type: "api", access: { kind: "permission", permission: "patient.read" }, url: () => "/api/reports/adherence?month=2026-10", body: "csv" },
  { route: "/devices/[id]", type: "page", access: { kind: "permission", permission: "device.read" }, url: (ids) => `/devices/${ids.deviceId}` },
  { route: "/api/devices/imei", type: "api", access: { kind: "permission", permission: "device.assign" }, url: () => "/api/devices/imei?imei=490154203237518", body: "json" },
  { route: "/api/devices/options", type: "api", access: { kind: "permission", permission: "device.assign" }, url: (ids) => `/api/devices/options?vendor=tenovi&patientId=${ids.patientId}`, body: "json" },
  { route: "/api/devices/patients", type: "api", access: { kind: "permission", permission: "device.assign" }, url: () => "/api/devices/patients?q=Garcia", body: "json" },
  { route: "/api/ingest/tenovi", type: "api", access: { kind: "vendor-post-only" }, url: () => "/api/ingest/tenovi" },
  { route: "/api/ingest/validic", type: "api", access: { kind: "vendor-post-only" }, url: () => "/api/ingest/validic" },
  { route: "/api/ingest/validic/token", type: "api", access: { kind: "vendor-post-only" }, url: () => "/api/ingest/validic/token" },
];

// Route patterns as app/ lays them out: route groups dropped, dynamic segments kept.
function discoverRoutes(dir = path.resolve("app"), segments: string[] = []): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return discoverRoutes(full, /^\(.*\)$/.test(entry) ? segments : [...segments, entry]);
    return /^(page|route)\.tsx?$/.test(entry) ? [`/${segments.join("/")}`] : [];
  });
}

let ids: Ids;
let IDENTITIES: Identity[] = [];

test.beforeAll(async ({ browser }) => {
  const ingestEvent = await withE2eDatabase((c) =>
    c.query<{ id: string }>(`INSERT INTO "IngestEvent" (source, "bodySha256", payload, status) VALUES ('tenovi_webhook', 'matrix', '{}'::jsonb, 'rejected') RETURNING id::text`),
  );
  const device = await withE2eDatabase((c) => c.query<{ id: string }>(`SELECT id FROM "Device" ORDER BY "createdAt" LIMIT 1`));
  ids = { patientId: await patientIdByMrn("MRN-100036"), ingestEventId: ingestEvent.rows[0]?.id ?? "0", deviceId: device.rows[0]?.id ?? "none" };
  IDENTITIES = await prepareIdentities(browser);
});

test("the matrix covers every page and route handler in app/", () => {
  expect(discoverRoutes().sort()).toEqual(ROUTES.map((r) => r.route).sort());
});

// Where a request ends up (redirects followed) and with what status; `path` defaults to the URL asked for.
type Expected = { status: number; path?: string; body?: "null-session" | "csv" | "json" };

// What a request must get, from the permission table alone.
function expected(row: Row, identity: Identity): Expected {
  const { role } = identity;
  const signedOut: Expected = row.type === "api" ? { status: 401 } : { status: 200, path: "/sign-in" };
  switch (row.access.kind) {
    case "public":
      return { status: 200 };
    case "next-auth":
      return role ? { status: 200 } : { status: 200, body: "null-session" };
    case "vendor-post-only":
      return { status: 405 };
    case "home":
      return role ? { status: 200, path: homeFor(role) } : signedOut;
    case "sign-in":
      return role ? { status: 200, path: homeFor(role) } : { status: 200 };
    case "permission": {
      if (!role) return signedOut;
      // The proxy refuses by section (lib/navigation.ts), the page or route by its own permission: both must allow.
      const section = row.type === "page" ? permissionForPath(row.url(ids)) : null;
      const isAllowed = can(role, row.access.permission) && (!section || can(role, section));
      if (!isAllowed) return { status: 403 };
      return row.type === "api" ? { status: 200, body: row.body } : { status: 200 };
    }
  }
}

async function check(response: APIResponse, url: string, want: Expected, label: string, identity: Identity) {
  expect.soft(response.status(), label).toBe(want.status);
  expect.soft(new URL(response.url()).pathname, `${label}: ends at`).toBe(want.path ?? new URL(url, BASE_URL).pathname);
  if (want.body === "null-session") expect.soft(await response.json(), `${label}: session`).toBeNull();
  if (want.body === "csv") expect.soft(response.headers()["content-type"], `${label}: content type`).toContain("text/csv");
  if (want.body === "json") expect.soft(response.headers()["content-type"], `${label}: content type`).toContain("application/json");
  // A signed-in role gets its own session from next-auth, never someone else's.
  if (identity.role && identity.name in ROLE_USERS && url.endsWith("/api/auth/session")) {
    expect.soft((await response.json()) as unknown, `${label}: own session`).toMatchObject({ user: { email: ROLE_USERS[identity.role] } });
  }
}

for (const row of ROUTES) {
  test(`${row.type} ${row.route}: every role, signed out, and ended sessions`, async () => {
    for (const identity of IDENTITIES) {
      const context = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: identity.state() });
      try {
        const url = row.url(ids);
        const response = await context.get(url);
        await check(response, url, expected(row, identity), `${row.route} as ${identity.name}`, identity);
      } finally {
        await context.dispose();
      }
    }
  });
}
