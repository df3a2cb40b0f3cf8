import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// Local HTTP servers for the Tenovi tests: a webhook receiver standing in for Pulseboard, and a server that never answers.

// Starts a server on an ephemeral port of 127.0.0.1 and gives its origin.
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// Stops a server, cutting open connections (a hanging request would otherwise keep it alive).
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

// One POST the receiver got.
export type ReceivedWebhook = { path: string; headers: IncomingHttpHeaders; body: unknown };

// A stand-in for Pulseboard's ingest route: records every POST and answers `status` (200 unless changed).
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const state = { status: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      received.push({ path: req.url ?? "/", headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined });
      res.writeHead(state.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: state.status < 300 }));
    });
  });
  const origin = await listen(server);
  return {
    url: `${origin}/api/ingest/tenovi`,
    received,
    // Makes the receiver answer this status from now on.
    answer: (status: number) => {
      state.status = status;
    },
    close: () => close(server),
  };
}

// A server that accepts requests and never answers (client timeouts); counts what arrived.
export async function startHangingServer() {
  const requests: { method: string; path: string }[] = [];
  const server = createServer((req) => {
    requests.push({ method: req.method ?? "GET", path: req.url ?? "/" });
  });
  const origin = await listen(server);
  return { origin, requests, close: () => close(server) };
}

// A small seeded PRNG (mulberry32) so simulated values are reproducible.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
