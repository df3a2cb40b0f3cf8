import { randomUUID } from "node:crypto";
import { request as playwrightRequest, test, expect } from "@playwright/test";

import { can } from "../../lib/permissions";
import { BASE_URL } from "../../playwright.config";
import { createStaff, patientIdByMrn, withE2eDatabase } from "../database";
import { prepareIdentities, type Identity } from "../identities";
import { callAction, discoverServerActions, FORBIDDEN_MESSAGE, pageUrl, UNAUTHENTICATED_MESSAGE, type ActionResponse, type ServerAction } from "../server-actions";
import { forgedSessionState, signedInState } from "../sessions";

// Every server action in lib/actions/, found in the source and the production build's server-reference manifest (so
// a new action is covered without touching this file), posted over HTTP as every role, signed out and with ended
// sessions. The expected answer comes from lib/permissions.ts. Each call carries its own x-request-id, which
// authActionClient writes on its audit event: a refused call must leave exactly one "denied" event and no other.

const ACTIONS = discoverServerActions();
// No schema accepts a bare string, so a permitted role gets a validation error: past authorization, nothing done.
const INVALID_INPUT = ["server-action-matrix: not an object"];

let patientId: string;
let IDENTITIES: Identity[] = [];

test.beforeAll(async ({ browser }) => {
  patientId = await patientIdByMrn("MRN-100036");
  IDENTITIES = await prepareIdentities(browser);
});

test("every server action in lib/actions/ is in the build's manifest, with a page to post it to", () => {
  expect(ACTIONS.filter((a) => a.kind === "permission").length).toBeGreaterThan(20);
  for (const action of ACTIONS) {
    expect.soft(action.id, `${action.file} ${action.exportName} has no id in .next/server/server-reference-manifest.json`).toBeTruthy();
    expect.soft(action.page, `${action.file} ${action.exportName}: no page imports it`).toBeTruthy();
    if (action.kind === "permission") expect.soft(action.permission, `${action.file}: permission not in lib/permissions.ts`).toBeTruthy();
  }
});

type AuditRow = { outcome: string; actorRole: string | null; reason: string | null; action: string };

async function auditByRequest(requestId: string): Promise<AuditRow[]> {
  const result = await withE2eDatabase((c) =>
    c.query<AuditRow>(`SELECT outcome, "actorRole", details->>'reason' AS reason, action FROM "AuditEvent" WHERE "requestId" = $1 ORDER BY id`, [requestId]),
  );
  return result.rows;
}

async function post(identity: Identity, action: ServerAction, args: unknown[], requestId: string): Promise<ActionResponse> {
  const context = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: identity.state(), extraHTTPHeaders: { "x-request-id": requestId } });
  try {
    return await callAction(context, pageUrl(action.page ?? "/", patientId), action.id ?? "", args);
  } finally {
    await context.dispose();
  }
}

// A refusal for someone who is not (or no longer) signed in: the proxy sends a cookie it cannot read to sign-in before
// the action runs; a cookie that still decrypts reaches authActionClient, which answers UNAUTHENTICATED and audits it.
function expectSignedOutRefusal(response: ActionResponse, audit: AuditRow[], label: string) {
  if (response.status >= 300 && response.status < 400) {
    expect.soft(new URL(response.location ?? "", BASE_URL).pathname, `${label}: redirected to`).toBe("/sign-in");
    expect.soft(audit, `${label}: nothing ran, nothing audited`).toEqual([]);
    return;
  }
  expect.soft(response.status, label).toBe(200);
  expect.soft(response.result, label).toEqual({ serverError: UNAUTHENTICATED_MESSAGE });
  expect.soft(audit.map((a) => [a.outcome, a.reason]), `${label}: audit`).toEqual([["denied", "unauthenticated"]]);
}

for (const action of ACTIONS.filter((a) => a.kind === "permission")) {
  test(`action ${action.exportName} (${action.permission}): every role, signed out, and ended sessions`, async () => {
    test.skip(!action.id || !action.permission, "not in the manifest (the test above fails)");
    for (const identity of IDENTITIES) {
      const label = `${action.exportName} as ${identity.name}`;
      const requestId = `matrix-${randomUUID()}`;
      const response = await post(identity, action, INVALID_INPUT, requestId);
      const audit = await auditByRequest(requestId);
      if (!identity.role) {
        expectSignedOutRefusal(response, audit, label);
      } else if (action.permission && can(identity.role, action.permission)) {
        expect.soft(response.status, label).toBe(200);
        expect.soft(response.result?.serverError, `${label}: no refusal`).toBeUndefined();
        expect.soft(response.result?.validationErrors, `${label}: got past authorization to validation`).toBeTruthy();
        expect.soft(audit.map((a) => [a.outcome, a.reason]), `${label}: audit`).toEqual([
          ["started", null],
          ["failure", "invalid_input"],
        ]);
      } else {
        expect.soft(response.status, label).toBe(200);
        expect.soft(response.result, label).toEqual({ serverError: FORBIDDEN_MESSAGE });
        expect.soft(audit.map((a) => [a.outcome, a.reason, a.actorRole]), `${label}: audit`).toEqual([["denied", "forbidden", identity.role]]);
      }
      if (action.auditAction) expect.soft(audit.every((a) => a.action === action.auditAction), `${label}: audited under its own name`).toBe(true);
    }
  });
}

const signIn = ACTIONS.find((a) => a.exportName === "signInAction");
const signOut = ACTIONS.find((a) => a.exportName === "signOutAction");

test("sign-in is public: anything but its form is answered with the form's own message, for everyone", async () => {
  expect(signIn?.id).toBeTruthy();
  for (const identity of IDENTITIES) {
    const context = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: identity.state() });
    try {
      for (const args of [INVALID_INPUT, [{}, { email: "admin@pulseboard.local", password: "x" }], []]) {
        const response = await callAction(context, "/sign-in", signIn?.id ?? "", args);
        expect.soft(response.status, `sign-in as ${identity.name}`).toBe(200);
        expect.soft(response.result, `sign-in as ${identity.name}`).toEqual({ error: "Enter your email address and password." });
      }
    } finally {
      await context.dispose();
    }
  }
});

test("sign-out ends the caller's own sessions, and signed out it only sends the caller to sign-in", async ({ browser }) => {
  expect(signOut?.id && signOut.page).toBeTruthy();
  const url = pageUrl(signOut?.page ?? "/", patientId);
  // Throwaway accounts: signing a demo login out would end the sessions every other spec runs with.
  for (const role of ["admin", "coordinator", "clinician"] as const) {
    const staff = await createStaff(role);
    const state = await signedInState(browser, staff);
    const context = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: state });
    try {
      const response = await callAction(context, url, signOut?.id ?? "", []);
      expect.soft(response.status, `sign-out as ${role}`).toBeLessThan(400);
      const version = await withE2eDatabase((c) => c.query<{ sessionVersion: number }>(`SELECT "sessionVersion" FROM "User" WHERE id = $1`, [staff.id]));
      expect.soft(version.rows[0]?.sessionVersion, `sign-out as ${role} bumps sessionVersion`).toBe(1);
      // The old cookie no longer opens a page.
      const again = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: state });
      const page = await again.get("/patients", { maxRedirects: 0 });
      expect.soft([page.status(), page.headers()["location"] ?? ""].join(" "), `${role}'s old cookie after sign-out`).toMatch(/^30\d .*\/sign-in$/);
      await again.dispose();
    } finally {
      await context.dispose();
    }
  }
  // Signed out (and with a cookie for a deactivated account) nothing changes.
  const staff = await createStaff("admin");
  await withE2eDatabase((c) => c.query(`UPDATE "User" SET "isActive" = false WHERE id = $1`, [staff.id]));
  for (const state of [undefined, await forgedSessionState(staff, { signedInMsAgo: 60_000, lastUsedMsAgo: 0 })]) {
    const context = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: state });
    const response = await callAction(context, url, signOut?.id ?? "", []);
    expect.soft(response.status, "sign-out signed out").toBeLessThan(400);
    await context.dispose();
  }
  const version = await withE2eDatabase((c) => c.query<{ sessionVersion: number }>(`SELECT "sessionVersion" FROM "User" WHERE id = $1`, [staff.id]));
  expect(version.rows[0]?.sessionVersion).toBe(0);
});

// Valid inputs that would change records, sent by everyone the table refuses: the records stay as they were. (The
// matrix above uses invalid input; this proves a refusal is not just validation failing first.)
test("refused calls with valid input change nothing: enrol a patient, create staff, deactivate staff", async () => {
  const enrol = ACTIONS.find((a) => a.exportName === "enrolPatientAction");
  const createStaffAction = ACTIONS.find((a) => a.exportName === "createStaffAction");
  const updateStaff = ACTIONS.find((a) => a.exportName === "updateStaffAction");
  expect(enrol?.permission && createStaffAction?.permission && updateStaff?.permission).toBeTruthy();
  const target = await createStaff("clinician");
  for (const identity of IDENTITIES) {
    const mrn = `MX-${randomUUID().slice(0, 8).toUpperCase()}`;
    const email = `e2e-refused-${randomUUID()}@example.org`;
    const calls: [ServerAction | undefined, unknown][] = [
      [enrol, { mrn, firstName: "Refused", lastName: "Matrix", dateOfBirth: "1970-01-02", phone: "6145550199", addressLine1: "1 Main St", city: "Columbus", state: "OH", zipCode: "43004", physician: "Dr. Refused", timeZone: "America/New_York", smsConsent: false }],
      [createStaffAction, { name: "Refused Matrix", email, role: "admin", password: `Refused-${randomUUID()}` }],
      [updateStaff, { userId: target.id, isActive: false }],
    ];
    for (const [action, input] of calls) {
      if (!action?.permission || (identity.role && can(identity.role, action.permission))) continue;
      const response = await post(identity, action, [input], `matrix-${randomUUID()}`);
      expect.soft(response.result?.data, `${action.exportName} as ${identity.name}`).toBeUndefined();
    }
    const counts = await withE2eDatabase((c) =>
      c.query<{ patients: number; staff: number; active: boolean }>(
        `SELECT (SELECT count(*)::int FROM "Patient" WHERE mrn = $1) AS patients, (SELECT count(*)::int FROM "User" WHERE email = $2) AS staff,
                (SELECT "isActive" FROM "User" WHERE id = $3) AS active`,
        [mrn, email, target.id],
      ),
    );
    const row = counts.rows[0];
    // Only those the table permits may have changed anything.
    if (!identity.role || !can(identity.role, "patient.write")) expect.soft(row?.patients, `patient enrolled by ${identity.name}`).toBe(0);
    if (!identity.role || !can(identity.role, "staff.manage")) expect.soft(row?.staff, `staff created by ${identity.name}`).toBe(0);
  }
  const after = await withE2eDatabase((c) => c.query<{ isActive: boolean }>(`SELECT "isActive" FROM "User" WHERE id = $1`, [target.id]));
  expect(after.rows[0]?.isActive, "nobody refused could deactivate the account").toBe(true);
});
