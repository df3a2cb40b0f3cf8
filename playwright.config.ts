import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
const isCI = Boolean(process.env.CI);

// Debian's Chromium: Playwright's own browser download is not reachable here. As root it needs --no-sandbox.
const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  },
};

const PROJECTS = [
  { name: "setup", testMatch: /.*\.setup\.ts/, use: chromium },
  { name: "ui", testDir: "e2e/ui", dependencies: ["setup"], use: chromium },
  { name: "api", testDir: "e2e/api", dependencies: ["setup"], use: chromium },
];

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 2,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    ["list"],
    ["json", { outputFile: "reports/playwright.json" }],
    ["./e2e/server-log-reporter.ts"],
    ...(isCI ? [] : [["html", { open: "never" }] as const]),
  ],
  use: { baseURL: BASE_URL, trace: "on-first-retry", screenshot: "only-on-failure" },
  projects: [
    ...PROJECTS,
    // Database outages, killed workers, two instances: each spec starts its own PostgreSQL cluster (ports
    // 54380-54389) and `next start`/worker processes (ports 3380-3399) on the build the webServer made.
    { name: "faults", testDir: "e2e/faults", fullyParallel: false, timeout: 150_000 },
    // After ui and api: a clinic-wide setting (two-step verification required) that would restrict every other
    // spec's accounts while it is on.
    { name: "clinic-wide", testDir: "e2e/clinic-wide", dependencies: ["ui", "api"], use: chromium },
    // Last: scans the server's output of the whole run (e2e/server-log-reporter.ts) for PHI and secrets.
    { name: "log-scan", testDir: "e2e/log-scan", dependencies: [...PROJECTS.map((p) => p.name), "clinic-wide"] },
  ],
  webServer: {
    command: "npx tsx scripts/start.ts --e2e",
    url: `${BASE_URL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: !isCI,
    stdout: "pipe",
    stderr: "pipe",
    env: { PORT: String(PORT), SIMULATOR_TICK_MS: "1000" },
  },
});
