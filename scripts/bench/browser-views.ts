import { existsSync } from "node:fs";

import { chromium, type Request } from "@playwright/test";

import { measureCpu, type cpuSubjects } from "@/scripts/bench/memory";
import { activePatients, fetchPage, signIn } from "@/scripts/bench/pages";
import { ratio, round } from "@/scripts/bench/stats";

// The browser phase: what one view of a dashboard page costs the web server when Chromium opens it, counting
// everything the page fetches by itself once it is there (the router's prefetches, the live feed's polls), beside the
// cost of fetching the same page's HTML alone (what the pages phase measures). Static files are left out: a browser
// has them cached after the first view.

export type BrowserViewResult = {
  name: string;
  path: string;
  views: number;
  // Requests to the server per view: the document, prefetches, API calls.
  requestsPerView: number;
  prefetchesPerView: number;
  webCpuMsPerView: number;
  // The same page's HTML fetched alone, and the view's web CPU over it.
  htmlWebCpuMs: number;
  ratioToHtml: number;
};

type ViewCase = { name: string; path: (patientId: string) => string };

const VIEW_CASES: ViewCase[] = [
  { name: "Patients", path: () => "/patients" },
  { name: "Patient record", path: (id) => `/patients/${id}` },
  { name: "Devices", path: () => "/devices" },
  { name: "Shipment exceptions", path: () => "/shipments?view=exceptions" },
  { name: "Readings feed", path: () => "/readings" },
  { name: "Alert worklist", path: () => "/alerts" },
];

// How long a view stays open after the network went quiet: Next schedules viewport prefetches after hydration.
const SETTLE_MS = 1_500;

export function chromiumPath(): string | null {
  const candidate = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return existsSync(candidate) ? candidate : null;
}

export async function runBrowserViews(
  settings: { baseUrl: string; databaseUrl: string; executablePath: string; views: number; cpu: ReturnType<typeof cpuSubjects> },
  log: (message: string) => void,
): Promise<BrowserViewResult[]> {
  const jar = await signIn(settings.baseUrl);
  const patientId = (await activePatients(settings.databaseUrl))[0] ?? "";
  const browser = await chromium.launch({ executablePath: settings.executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await context.addCookies([...jar].map(([name, value]) => ({ name, value, url: settings.baseUrl })));
    const page = await context.newPage();
    const results: BrowserViewResult[] = [];
    for (const viewCase of VIEW_CASES) {
      const url = settings.baseUrl + viewCase.path(patientId);
      const requests: Request[] = [];
      const record = (request: Request) => {
        if (!new URL(request.url()).pathname.startsWith("/_next/static")) requests.push(request);
      };
      const view = async () => {
        await page.goto(url);
        await page.waitForLoadState("networkidle");
        await page.waitForTimeout(SETTLE_MS);
      };
      await view(); // warm-up: static files into the browser's cache
      page.on("request", record);
      const browsing = await measureCpu(settings.cpu, async () => {
        for (let i = 0; i < settings.views; i++) await view();
      });
      page.off("request", record);
      const fetching = await measureCpu(settings.cpu, async () => {
        for (let i = 0; i < settings.views; i++) await fetchPage(settings.baseUrl, viewCase.path(patientId), jar);
      });
      const result: BrowserViewResult = {
        name: viewCase.name,
        path: viewCase.path(patientId),
        views: settings.views,
        requestsPerView: round(requests.length / settings.views, 1),
        prefetchesPerView: round(requests.filter((request) => request.headers()["next-router-prefetch"]).length / settings.views, 1),
        webCpuMsPerView: round(browsing.webCpuMs / settings.views, 1),
        htmlWebCpuMs: round(fetching.webCpuMs / settings.views, 1),
        ratioToHtml: ratio(browsing.webCpuMs, fetching.webCpuMs),
      };
      log(
        `  ${result.name}: ${result.requestsPerView} requests per view (${result.prefetchesPerView} prefetches), web CPU ${result.webCpuMsPerView} ms per view, ` +
          `${result.htmlWebCpuMs} ms for the HTML alone (${result.ratioToHtml}×)`,
      );
      results.push(result);
    }
    return results;
  } finally {
    await browser.close();
  }
}
