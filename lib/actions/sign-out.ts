"use server";

import { headers } from "next/headers";

import { recordAudit, sourceIpFrom } from "@/lib/audit";
import { getStaffSession, signOut } from "@/lib/auth";
import { db } from "@/lib/db";

// Signs the user out everywhere: bumping sessionVersion invalidates every session cookie already issued.
export async function signOutAction(): Promise<void> {
  const session = await getStaffSession();
  if (session) {
    await db.user.update({ where: { id: session.userId }, data: { sessionVersion: { increment: 1 } } });
    const sourceIp = sourceIpFrom(await headers());
    await recordAudit({ actor: { id: session.userId, role: session.role }, action: "auth.sign_out", outcome: "success", targetType: "user", targetId: session.userId, sourceIp });
  }
  await signOut({ redirectTo: "/sign-in" });
}
