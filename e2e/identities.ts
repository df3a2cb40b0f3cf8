import { readFileSync } from "node:fs";
import type { Browser } from "@playwright/test";

import { ROLES, type Role } from "../lib/permissions";
import { createStaff, withE2eDatabase, type TestStaff } from "./database";
import { storageStateFor } from "./fixtures";
import { forgedSessionState, SESSION_COOKIE, sessionState, signedInState, type StorageState } from "./sessions";

// Who is asking, for the access matrices (pages and routes, server actions). `role` is whose permissions the answer
// must follow; null means "must be treated as signed out". `isCookieValid`: the cookie still decrypts, though the
// database has ended the session, so the request gets past the proxy and is refused by the server-side check.
export type Identity = { name: string; role: Role | null; isCookieValid?: boolean; state: () => StorageState | string | undefined };

const HOUR = 3_600_000;
const MINUTE = 60_000;

// Every demo role, signed out, and sessions that must no longer work (plus a fresh forged one as the control).
// Creates throwaway staff accounts and ends their sessions in the e2e database; call once per spec (beforeAll).
export async function prepareIdentities(browser: Browser): Promise<Identity[]> {
  const states = new Map<string, StorageState>();
  const [invalidated, deactivated, demoted, forged] = await Promise.all([createStaff("admin"), createStaff("admin"), createStaff("admin"), createStaff("admin")]);
  for (const [key, staff] of [["invalidated", invalidated], ["deactivated", deactivated], ["demoted", demoted]] as [string, TestStaff][]) {
    states.set(key, await signedInState(browser, staff));
  }
  await withE2eDatabase(async (c) => {
    await c.query(`UPDATE "User" SET "sessionVersion" = "sessionVersion" + 1 WHERE id = $1`, [invalidated.id]);
    await c.query(`UPDATE "User" SET "isActive" = false WHERE id = $1`, [deactivated.id]);
    await c.query(`UPDATE "User" SET role = 'clinician' WHERE id = $1`, [demoted.id]);
  });
  const admin = JSON.parse(readFileSync(storageStateFor("admin"), "utf8")) as StorageState;
  const cookie = admin.cookies.find((c) => c.name === SESSION_COOKIE);
  // Flip one character in the middle of the sealed token: it no longer decrypts.
  const value = cookie?.value ?? "";
  const middle = Math.floor(value.length / 2);
  states.set("tampered", sessionState(`${value.slice(0, middle)}${value[middle] === "A" ? "B" : "A"}${value.slice(middle + 1)}`));
  states.set("fresh", await forgedSessionState(forged, { signedInMsAgo: MINUTE, lastUsedMsAgo: 0 }));
  states.set("idle", await forgedSessionState(forged, { signedInMsAgo: HOUR, lastUsedMsAgo: 16 * MINUTE }));
  states.set("expired", await forgedSessionState(forged, { signedInMsAgo: 12 * HOUR + MINUTE, lastUsedMsAgo: MINUTE }));
  return [
    ...ROLES.map((role) => ({ name: role, role, state: () => storageStateFor(role) })),
    { name: "signed out", role: null, state: () => undefined },
    { name: "tampered session cookie", role: null, state: () => states.get("tampered") },
    { name: "signed out elsewhere (sessionVersion bumped)", role: null, isCookieValid: true, state: () => states.get("invalidated") },
    { name: "deactivated account", role: null, isCookieValid: true, state: () => states.get("deactivated") },
    { name: "role changed since sign-in (was admin)", role: null, isCookieValid: true, state: () => states.get("demoted") },
    { name: "forged fresh session (control)", role: "admin", state: () => states.get("fresh") },
    { name: "idle past SESSION_IDLE_MINUTES", role: null, state: () => states.get("idle") },
    { name: "older than SESSION_MAX_HOURS", role: null, state: () => states.get("expired") },
  ];
}
