import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter } from "@playwright/test/reporter";

// Where the web server's output of a run is kept, for the PHI scan (e2e/log-scan/).
export const SERVER_LOG_FILE = process.env.E2E_SERVER_LOG ?? "reports/e2e-server.log";

// Copies everything the webServer prints (scripts/start.ts --e2e: web app, worker and simulators, stdout and
// stderr) to SERVER_LOG_FILE. Playwright hands that output to reporters without a test; a test's own output has one.
export default class ServerLogReporter implements Reporter {
  // Emptied here rather than in onBegin: Playwright starts the webServer (and hands on its first lines) before onBegin.
  constructor() {
    mkdirSync(path.dirname(SERVER_LOG_FILE), { recursive: true });
    writeFileSync(SERVER_LOG_FILE, "");
  }

  onStdOut(chunk: string | Buffer, test?: unknown) {
    if (!test) appendFileSync(SERVER_LOG_FILE, chunk);
  }

  onStdErr(chunk: string | Buffer, test?: unknown) {
    if (!test) appendFileSync(SERVER_LOG_FILE, chunk);
  }

  printsToStdio() {
    return false;
  }
}
