import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { hashPassword, newPasswordSchema } from "@/lib/auth/password";
import { countWrongPassword, isLockedOut, MAX_FAILED_SIGN_INS, verifyCredentials } from "@/lib/auth/sign-in";
import { db } from "@/lib/db";
import { changePasswordSchema } from "@/lib/staff/schemas";

async function createUser(overrides: { isActive?: boolean } = {}) {
  const email = `staff-${randomUUID()}@example.org`;
  const user = await db.user.create({ data: { email, name: "Test Staff", role: "coordinator", passwordHash: await hashPassword("correct horse battery"), ...overrides } });
  return { ...user, email };
}

describe("sign-in", () => {
  it("accepts the right password and records the sign-in", async () => {
    const user = await createUser();
    const signedIn = await verifyCredentials({ email: user.email.toUpperCase(), password: "correct horse battery" });
    expect(signedIn).toMatchObject({ id: user.id, role: "coordinator" });
    const audit = await db.auditEvent.findFirst({ where: { targetId: user.id, action: "auth.sign_in" } });
    expect(audit?.outcome).toBe("success");
  });

  it("locks the account after repeated failures, even for the right password, and audits the lock", async () => {
    const user = await createUser();
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) expect(await verifyCredentials({ email: user.email, password: `wrong-${i}` })).toBeNull();
    expect(await verifyCredentials({ email: user.email, password: "correct horse battery" })).toBeNull();
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(await db.auditEvent.count({ where: { targetId: user.id, action: "auth.account_locked" } })).toBe(1);
  }, 30_000);

  it("counts a wrong current password (changing it) toward the same lockout as wrong sign-ins", async () => {
    const user = await createUser();
    for (let i = 1; i < MAX_FAILED_SIGN_INS; i++) expect(await countWrongPassword({ id: user.id, failedSignIns: i - 1 })).toEqual({ failedSignIns: i, isLocked: false });
    expect(await verifyCredentials({ email: user.email, password: "wrong" })).toBeNull();
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(isLockedOut(stored)).toBe(true);
    expect(await db.auditEvent.count({ where: { targetId: user.id, action: "auth.account_locked" } })).toBe(1);
  }, 30_000);

  it("refuses a deactivated account", async () => {
    const user = await createUser({ isActive: false });
    expect(await verifyCredentials({ email: user.email, password: "correct horse battery" })).toBeNull();
  });

  it("refuses malformed input without touching the database", async () => {
    expect(await verifyCredentials({ email: "not-an-email", password: "x" })).toBeNull();
    expect(await verifyCredentials(null)).toBeNull();
  });
});

describe("new password rules", () => {
  it.each([
    ["short1", false],
    ["password1234", true],
    ["aaaaaaaaaaaaaaaa", false],
    ["pulseboard123", false],
    ["a sensible passphrase", true],
  ])("%s → %s", (password, isAccepted) => {
    expect(newPasswordSchema.safeParse(password).success).toBe(isAccepted);
  });
});

describe("lockout", () => {
  it.each([
    [null, false],
    [new Date(Date.now() - 1_000), false],
    [new Date(Date.now() + 60_000), true],
  ])("locked until %s → %s", (lockedUntil, isLocked) => {
    expect(isLockedOut({ lockedUntil })).toBe(isLocked);
  });
});

describe("changing one's own password", () => {
  it("asks for the current password and a new one that follows the rules and differs from it", () => {
    expect(changePasswordSchema.safeParse({ currentPassword: "old one", newPassword: "a sensible passphrase" }).success).toBe(true);
    expect(changePasswordSchema.safeParse({ currentPassword: "", newPassword: "a sensible passphrase" }).error?.issues[0]?.path).toEqual(["currentPassword"]);
    expect(changePasswordSchema.safeParse({ currentPassword: "old one", newPassword: "short" }).error?.issues[0]?.path).toEqual(["newPassword"]);
    const same = changePasswordSchema.safeParse({ currentPassword: "a sensible passphrase", newPassword: "a sensible passphrase" });
    expect(same.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([[["newPassword"], "Choose a password other than the current one."]]);
  });
});
