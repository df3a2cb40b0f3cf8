import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { logger } from "@/lib/logger";
import {
  failureResponse,
  json,
  matchPath,
  recordSimulatorRequest,
  takeFailure,
  type SimContext,
  type VendorSimulator,
} from "@/lib/vendors/simulator-kit";

const MAX_BODY_BYTES = 1_000_000;

// How a simulator server behaves beyond its simulators.
export type SimulatorServerOptions = {
  // Whether the vendor-wide failure switch applies (default true). Tests that rehearse no outage turn it off, so an
  // outage armed by another test file cannot reach them.
  useFailureSwitch?: boolean;
};

// Serves every vendor simulator on one port, each under its own prefix (/tenovi, /validic, …).
export function createSimulatorServer(simulators: VendorSimulator[], options: SimulatorServerOptions = {}): Server {
  const useFailureSwitch = options.useFailureSwitch ?? true;
  return createServer((req, res) => {
    void handle(simulators, req, res, useFailureSwitch).catch((error: unknown) => {
      logger.error("simulator crashed on a request", { path: req.url?.split("?")[0], error: String(error) });
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ message: "Simulator error" }));
    });
  });
}

async function handle(simulators: VendorSimulator[], req: IncomingMessage, res: ServerResponse, useFailureSwitch: boolean) {
  const url = new URL(req.url ?? "/", "http://simulator.local");
  const simulator = simulators.find((s) => url.pathname === s.prefix || url.pathname.startsWith(`${s.prefix}/`));
  if (!simulator) return send(res, json(404, { message: "No simulator at this path" }));
  const bodyText = await readBody(req);
  const request = new Request(url, {
    method: req.method,
    headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(", ") : v] as [string, string]])),
    body: req.method === "GET" || req.method === "HEAD" ? undefined : bodyText,
  });
  const relativePath = url.pathname.slice(simulator.prefix.length) || "/";
  const failure = useFailureSwitch ? await takeFailure(simulator.vendor) : null;
  const response = failure ? await failureResponse(failure) : await route(simulator, { request, url, params: {}, bodyText }, relativePath);
  await recordSimulatorRequest(simulator.vendor, req.method ?? "GET", url.pathname, response.status, parseJson(bodyText));
  await send(res, response);
}

async function route(simulator: VendorSimulator, ctx: SimContext, relativePath: string): Promise<Response> {
  for (const candidate of simulator.routes) {
    const params = matchPath(candidate.path, relativePath);
    if (params && candidate.method === ctx.request.method) return candidate.handler({ ...ctx, params });
  }
  const fallback = await simulator.fallback?.(ctx);
  if (fallback) return fallback;
  const pathExists = simulator.routes.some((r) => matchPath(r.path, relativePath));
  return pathExists ? json(405, { detail: `Method "${ctx.request.method}" not allowed.` }) : json(404, { detail: "Not found." });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("Request body too large for the simulator");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { unparsed: text.slice(0, 200) };
  }
}

async function send(res: ServerResponse, response: Response) {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

// Runs each simulator's background tick on an interval; returns a function that stops it.
export function startSimulatorTicks(simulators: VendorSimulator[], intervalMs: number): () => void {
  let isRunning = false;
  const timer = setInterval(() => {
    if (isRunning) return;
    isRunning = true;
    void Promise.allSettled(simulators.map((s) => s.tick?.(new Date())))
      .then((results) =>
        results.forEach((r, i) => {
          if (r.status === "rejected") logger.warn("simulator tick failed", { vendor: simulators[i]?.vendor, error: String(r.reason) });
        }),
      )
      .finally(() => (isRunning = false));
  }, intervalMs);
  return () => clearInterval(timer);
}
