import { existsSync, readFileSync } from "node:fs";
import type { Browser, BrowserContext } from "@playwright/test";
import { encode } from "next-auth/jwt";

import { BASE_URL } from "../playwright.config";
import type { TestStaff } from "./database";
import { signIn } from "./fixtures";

// next-auth's session cookie over plain HTTP, and a browser storage state.
export const SESSION_COOKIE = "authjs.session-token";
export type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

// The e2e server's session secret: AUTH_SECRET when set, else the one scripts/start.ts generated into .data/.
function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = ".data/local-secrets.json";
  if (!existsSync(file)) throw new Error("No AUTH_SECRET and no .data/local-secrets.json: start the e2e server first.");
  const secret = (JSON.parse(readFileSync(file, "utf8")) as { AUTH_SECRET?: string }).AUTH_SECRET;
  if (!secret) throw new Error(".data/local-secrets.json has no AUTH_SECRET");
  return secret;
}

// A storage state holding only a session cookie with this value.
export function sessionState(token: string): StorageState {
  const { hostname } = new URL(BASE_URL);
  return { cookies: [{ name: SESSION_COOKIE, value: token, domain: hostname, path: "/", expires: -1, httpOnly: true, secure: false, sameSite: "Lax" }], origins: [] };
}

// A session cookie sealed with the server's secret, with chosen sign-in and last-use times: how a test gets an
// idle or too-old session without waiting hours. A fresh one must work (the control), or the others prove nothing.
export async function forgedSessionState(staff: TestStaff, times: { signedInMsAgo: number; lastUsedMsAgo: number }): Promise<StorageState> {
  const now = Date.now();
  const token = await encode({
    secret: authSecret(),
    salt: SESSION_COOKIE,
    token: { sub: staff.id, name: `E2E ${staff.role}`, email: staff.email, uid: staff.id, role: staff.role, sv: 0, authTime: now - times.signedInMsAgo, seenAt: now - times.lastUsedMsAgo },
  });
  return sessionState(token);
}

// Signs a staff member in through the real form and returns the browser's storage state.
export async function signedInState(browser: Browser, staff: TestStaff): Promise<StorageState> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, staff.email, staff.password);
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    return await context.storageState();
  } finally {
    await context.close();
  }
}
