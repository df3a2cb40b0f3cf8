import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { PERMISSIONS } from "@/lib/permissions";

// A static check, so that no server action can skip authorization: every action file exports only actions built
// with authActionClient (which loads the session, checks the permission and audits) naming a real permission.
const ACTIONS_DIR = path.resolve("lib/actions");
// Sign-in runs before there is a session and sign-out ends it; both audit themselves.
const SESSION_ACTIONS = new Set(["sign-in.ts", "sign-out.ts"]);
// The action client and the client-side unwrapper are helpers, not actions.
const HELPERS = new Set(["safe-action.ts", "unwrap-action.ts"]);

const USE_SERVER = /["']use server["']/;
const ACTION_EXPORT = /export const (\w+) = authActionClient\s*\.metadata\(\{\s*action:\s*(\w+|"[^"]+"),\s*permission:\s*"([^"]+)"\s*\}\)/g;

const actionFiles = readdirSync(ACTIONS_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !SESSION_ACTIONS.has(f) && !HELPERS.has(f));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry === "generated" || entry === "node_modules" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry) && !entry.endsWith(".test.ts") ? [full] : [];
  });
}

describe("server actions", () => {
  it("exist (the check below is not vacuous)", () => {
    expect(actionFiles.length).toBeGreaterThan(0);
  });

  it.each(actionFiles)("%s is built with authActionClient and a permission from lib/permissions.ts", (file) => {
    const source = readFileSync(path.join(ACTIONS_DIR, file), "utf8");
    expect(source.trimStart().startsWith('"use server";')).toBe(true);
    const exportsCount = source.match(/^export /gm)?.length ?? 0;
    const actions = [...source.matchAll(ACTION_EXPORT)];
    expect(actions.length, "one action per file").toBe(1);
    expect(exportsCount, "a \"use server\" file exports nothing but its action").toBe(actions.length);
    for (const [, , , permission] of actions) expect(Object.keys(PERMISSIONS)).toContain(permission);
  });

  it("are declared only in lib/actions (no inline \"use server\" in pages or components)", () => {
    const elsewhere = ["app", "components", "lib"]
      .flatMap((root) => sourceFiles(path.resolve(root)))
      .filter((file) => !file.startsWith(`${ACTIONS_DIR}${path.sep}`))
      .filter((file) => USE_SERVER.test(readFileSync(file, "utf8")));
    expect(elsewhere.map((f) => path.relative(process.cwd(), f))).toEqual([]);
  });

  it("helpers are not server actions", () => {
    for (const file of HELPERS) expect(USE_SERVER.test(readFileSync(path.join(ACTIONS_DIR, file), "utf8"))).toBe(false);
  });
});
