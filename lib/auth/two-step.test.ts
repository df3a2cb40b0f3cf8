import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { hashPassword } from "@/lib/auth/password";
import { MAX_FAILED_SIGN_INS, verifyCredentials } from "@/lib/auth/sign-in";
import { fromBase32, hotp, totpStep } from "@/lib/auth/totp";
import { cancelTwoStepSetup, renewRecoveryCodes, startTwoStepSetup, turnOnTwoStep, TWO_STEP_CLEARED } from "@/lib/auth/two-step";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

const PASSWORD = "correct horse battery";

async function createUser() {
  const email = `two-step-${randomUUID()}@example.org`;
  const user = await db.user.create({ data: { email, name: "Two Step", role: "clinician", passwordHash: await hashPassword(PASSWORD) } });
  return { userId: user.id, email };
}

// The code the person's app shows `offset` steps from now.
function codeFor(secret: string, offset = 0): string {
  return hotp(fromBase32(secret), totpStep() + offset);
}

// A user who set up two-step verification and turned it on with the code of the step before this one.
async function userWithTwoStep() {
  const user = await createUser();
  const { secret } = await startTwoStepSetup(user);
  const { recoveryCodes } = await turnOnTwoStep(user.userId, codeFor(secret, -1));
  return { ...user, secret, recoveryCodes };
}

async function refusal(attempt: Promise<unknown>): Promise<unknown> {
  const outcome = await attempt;
  return outcome && typeof outcome === "object" && "twoStep" in outcome ? outcome.twoStep : outcome;
}

describe("setting up two-step verification", () => {
  it("stores the secret sealed and unconfirmed, and turns on only with a code of that secret", async () => {
    const user = await createUser();
    const { secret, qrSvg } = await startTwoStepSetup(user);
    expect(qrSvg).toMatch(/^<svg[^>]*>/);
    const pending = await db.user.findUniqueOrThrow({ where: { id: user.userId }, select: { totpSecretEncrypted: true, totpEnabledAt: true } });
    expect(pending.totpEnabledAt).toBeNull();
    expect(pending.totpSecretEncrypted).toMatch(/^v1\./);
    expect(pending.totpSecretEncrypted).not.toContain(secret);

    const wrong = String((Number(codeFor(secret)) + 1) % 1_000_000).padStart(6, "0");
    await expect(turnOnTwoStep(user.userId, wrong)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await turnOnTwoStep(user.userId, codeFor(secret));
    const on = await db.user.findUniqueOrThrow({ where: { id: user.userId }, select: { totpEnabledAt: true, totpLastStep: true } });
    expect(on.totpEnabledAt).toBeInstanceOf(Date);
    expect(on.totpLastStep).toBe(totpStep());
  });

  it("refuses a code for a secret that a second setup replaced, and a new setup while it is on", async () => {
    const user = await createUser();
    const first = await startTwoStepSetup(user);
    const second = await startTwoStepSetup(user);
    expect(second.secret).not.toBe(first.secret);
    await expect(turnOnTwoStep(user.userId, codeFor(first.secret))).rejects.toBeInstanceOf(AppError);
    await turnOnTwoStep(user.userId, codeFor(second.secret));
    await expect(startTwoStepSetup(user)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(turnOnTwoStep(user.userId, codeFor(second.secret, 1))).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("forgets a cancelled setup's secret, and leaves two-step verification that is on alone", async () => {
    const user = await createUser();
    const { secret } = await startTwoStepSetup(user);
    await cancelTwoStepSetup(user.userId);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.userId }, select: { totpSecretEncrypted: true } })).toEqual({ totpSecretEncrypted: null });
    await expect(turnOnTwoStep(user.userId, codeFor(secret))).rejects.toMatchObject({ code: "INVALID_INPUT" });

    const on = await userWithTwoStep();
    await cancelTwoStepSetup(on.userId);
    const stored = await db.user.findUniqueOrThrow({ where: { id: on.userId }, select: { totpSecretEncrypted: true, totpEnabledAt: true } });
    expect(stored.totpSecretEncrypted).not.toBeNull();
    expect(stored.totpEnabledAt).not.toBeNull();
  });

  it("cannot be turned on before a setup was started", async () => {
    const user = await createUser();
    await expect(turnOnTwoStep(user.userId, "123456")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("signing in with two-step verification", () => {
  it("asks for the code after the right password, without counting that as a failure", async () => {
    const user = await userWithTwoStep();
    expect(await refusal(verifyCredentials({ email: user.email, password: PASSWORD }))).toBe("required");
    expect(await refusal(verifyCredentials({ email: user.email, password: PASSWORD, code: "  " }))).toBe("required");
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.userId }, select: { failedSignIns: true, lastSignInAt: true } });
    expect(stored).toEqual({ failedSignIns: 0, lastSignInAt: null });
    // A wrong password is refused as before, whatever the code: the code is never checked first.
    expect(await verifyCredentials({ email: user.email, password: "wrong", code: codeFor(user.secret) })).toBeNull();
  });

  it("signs in with the current code, once: the same code again is refused", async () => {
    const user = await userWithTwoStep();
    const code = codeFor(user.secret);
    expect(await verifyCredentials({ email: user.email, password: PASSWORD, code: `${code.slice(0, 3)} ${code.slice(3)}` })).toMatchObject({ id: user.userId });
    const audit = await db.auditEvent.findFirst({ where: { targetId: user.userId, action: "auth.sign_in", outcome: "success" } });
    expect(audit?.details).toEqual({ twoStep: true });
    expect(await refusal(verifyCredentials({ email: user.email, password: PASSWORD, code }))).toBe("wrong");
    // The code used to turn it on (the step before) is refused too: only later steps are accepted.
    expect(await refusal(verifyCredentials({ email: user.email, password: PASSWORD, code: codeFor(user.secret, -1) }))).toBe("wrong");
  });

  it("counts wrong codes toward the lockout, and audits them without the code", async () => {
    const user = await userWithTwoStep();
    const wrong = String((Number(codeFor(user.secret)) + 500_000) % 1_000_000).padStart(6, "0");
    for (let i = 1; i < MAX_FAILED_SIGN_INS; i++)
      expect(await refusal(verifyCredentials({ email: user.email, password: PASSWORD, code: wrong }))).toBe("wrong");
    // The fifth locks the account: the answer is the plain refusal, which says nothing about the code.
    expect(await verifyCredentials({ email: user.email, password: PASSWORD, code: "abc" })).toBeNull();
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.userId }, select: { lockedUntil: true } });
    expect(stored.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(await verifyCredentials({ email: user.email, password: PASSWORD, code: codeFor(user.secret) })).toBeNull();
    const events = await db.auditEvent.findMany({
      where: { targetId: user.userId, details: { path: ["reason"], equals: "wrong_code" } },
      select: { action: true },
    });
    expect(events.map((event) => event.action)).toEqual([...Array(MAX_FAILED_SIGN_INS - 1).fill("auth.sign_in"), "auth.account_locked"]);
    expect(JSON.stringify(await db.auditEvent.findMany({ where: { targetId: user.userId }, select: { details: true } }))).not.toContain(wrong);
  }, 30_000);
});

describe("recovery codes", () => {
  const storedHashes = async (userId: string) =>
    (await db.user.findUniqueOrThrow({ where: { id: userId }, select: { recoveryCodeHashes: true } })).recoveryCodeHashes;

  it("come with turning it on: ten different codes, stored only as hashes", async () => {
    const user = await userWithTwoStep();
    expect(user.recoveryCodes).toHaveLength(10);
    expect(new Set(user.recoveryCodes).size).toBe(10);
    for (const code of user.recoveryCodes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    const hashes = await storedHashes(user.userId);
    expect(hashes).toHaveLength(10);
    for (const code of user.recoveryCodes) expect(hashes.join()).not.toContain(code.replaceAll("-", ""));
  });

  it("sign in once each, typed in any case and spacing, audited without the code", async () => {
    const user = await userWithTwoStep();
    const [first = "", second = ""] = user.recoveryCodes;
    const typed = first.toLowerCase().replaceAll("-", " ");
    expect(await verifyCredentials({ email: user.email, password: PASSWORD, code: typed })).toMatchObject({ id: user.userId });
    expect(await refusal(verifyCredentials({ email: user.email, password: PASSWORD, code: first }))).toBe("wrong");
    expect(await verifyCredentials({ email: user.email, password: PASSWORD, code: second })).toMatchObject({ id: user.userId });
    expect(await storedHashes(user.userId)).toHaveLength(8);
    const events = await db.auditEvent.findMany({
      where: { targetId: user.userId, action: "auth.sign_in" },
      orderBy: { id: "asc" },
      select: { outcome: true, details: true },
    });
    expect(events).toEqual([
      { outcome: "success", details: { twoStep: true, recoveryCode: true, recoveryCodesLeft: 9 } },
      { outcome: "failure", details: { reason: "wrong_code", failedSignIns: 1 } },
      { outcome: "success", details: { twoStep: true, recoveryCode: true, recoveryCodesLeft: 8 } },
    ]);
    expect(JSON.stringify(events)).not.toContain(first.slice(0, 4));
    // Signing in again reset the count of failures.
    expect((await db.user.findUniqueOrThrow({ where: { id: user.userId }, select: { failedSignIns: true } })).failedSignIns).toBe(0);
  });

  it("let only one of two sign-ins racing with the same code through", async () => {
    const user = await userWithTwoStep();
    const code = user.recoveryCodes[3] ?? "";
    const outcomes = await Promise.all([1, 2].map(() => refusal(verifyCredentials({ email: user.email, password: PASSWORD, code }))));
    expect(outcomes.filter((outcome) => outcome === "wrong")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== null && typeof outcome === "object" && "id" in outcome)).toHaveLength(1);
  });

  it("are replaced by a new set, which only an account with two-step verification on gets, and cleared with it", async () => {
    const user = await userWithTwoStep();
    const { recoveryCodes } = await renewRecoveryCodes(user.userId);
    expect(recoveryCodes.filter((code) => user.recoveryCodes.includes(code))).toEqual([]);
    expect(await refusal(verifyCredentials({ email: user.email, password: PASSWORD, code: user.recoveryCodes[0] }))).toBe("wrong");
    expect(await verifyCredentials({ email: user.email, password: PASSWORD, code: recoveryCodes[0] })).toMatchObject({ id: user.userId });

    await db.user.update({ where: { id: user.userId }, data: TWO_STEP_CLEARED });
    expect(await storedHashes(user.userId)).toEqual([]);
    await expect(renewRecoveryCodes(user.userId)).rejects.toMatchObject({ code: "CONFLICT" });
    // Off, the password alone signs in, whatever is typed as a code.
    expect(await verifyCredentials({ email: user.email, password: PASSWORD, code: recoveryCodes[1] })).toMatchObject({ id: user.userId });
  });
});
