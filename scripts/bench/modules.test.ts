import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// `npm run bench` on a fresh clone has no DATABASE_URL: it starts its own embedded cluster and hands the URL to the
// servers it spawns. Its modules must therefore load without one (lib/db.ts refuses to, by design); a module that
// pulls in the app's database client at import time broke the default run once.
const BENCH_MODULES = ["ingest", "load", "pages", "soak", "generate", "explain", "report", "database", "web-server"].map((name) => `./scripts/bench/${name}.ts`);

describe("the benchmark's modules", () => {
  it("load without DATABASE_URL", { timeout: 60_000 }, () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const source = `for (const module of ${JSON.stringify(BENCH_MODULES)}) await import(module); console.log("loaded");`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", source], { env, encoding: "utf8" });
    expect(result.stderr).not.toMatch(/DATABASE_URL is not set/);
    expect(result.stdout.trim(), result.stderr).toBe("loaded");
  });
});
