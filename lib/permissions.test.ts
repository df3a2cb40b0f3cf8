import { describe, expect, it } from "vitest";

import { can, PERMISSIONS, ROLES, sessionCan, type Permission } from "@/lib/permissions";

const permissions = Object.keys(PERMISSIONS) as Permission[];

describe("sessionCan", () => {
  it.each(ROLES)("gives a %s session its role's permissions", (role) => {
    for (const permission of permissions) expect(sessionCan({ role, mustChangePassword: false }, permission), permission).toBe(can(role, permission));
  });

  it.each(ROLES)("leaves a %s who must replace an admin-set password only their own account", (role) => {
    const allowed = permissions.filter((permission) => sessionCan({ role, mustChangePassword: true }, permission));
    expect(allowed).toEqual(["account.manage"]);
  });

  it.each(ROLES)("leaves a %s without the two-step verification the clinic requires only their own account", (role) => {
    const allowed = permissions.filter((permission) => sessionCan({ role, mustChangePassword: false, mustSetUpTwoStep: true }, permission));
    expect(allowed).toEqual(["account.manage"]);
  });
});
