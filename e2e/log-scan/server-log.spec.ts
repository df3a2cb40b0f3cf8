import { existsSync, readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

import { findLeaks } from "../phi-scan";
import { collectSensitiveValues } from "../sensitive-values";
import { SERVER_LOG_FILE } from "../server-log-reporter";

// Runs after every other project (playwright.config.ts): everything the server printed during the run (web app,
// worker and simulators, captured by e2e/server-log-reporter.ts) must hold no patient data and no secret.
test("the server's output over the whole e2e run holds no PHI and no secrets", async () => {
  const log = existsSync(SERVER_LOG_FILE) ? readFileSync(SERVER_LOG_FILE, "utf8") : "";
  const wasCaptured = log.includes("[WebServer]");
  // Outside CI Playwright may reuse a server it did not start, whose output it never sees.
  test.skip(!wasCaptured && !process.env.CI, "the server was already running, so its output was not captured");
  expect(wasCaptured, `no server output in ${SERVER_LOG_FILE}`).toBe(true);
  const values = await collectSensitiveValues();
  // The list must be real: the demo clinic alone has 36 patients.
  expect(values.filter((v) => v.kind === "MRN").length).toBeGreaterThanOrEqual(36);
  const leaks = findLeaks(log, values);
  const report = leaks.slice(0, 30).map((l) => `line ${l.line} (${l.kind}): ${l.excerpt}`).join("\n");
  expect(leaks.length, `PHI or secrets in ${SERVER_LOG_FILE}:\n${report}`).toBe(0);
});
