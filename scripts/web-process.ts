// One production web process: Next's request handler on a node:http server, with the vendors' ingest POSTs answered
// before Next's router (lib/ingest/node-routes.ts). scripts/web-cluster.ts runs one per WEB_CONCURRENCY.
//   -p, --port <n>       port (default $PORT, else 3000)
//   -H, --hostname <h>   address to listen on (default: every interface, as `next start`)
// SIGINT/SIGTERM: stop accepting, finish the requests in flight (at most STOP_GRACE_MS), then exit.
import { createServer } from "node:http";
import { parseArgs } from "node:util";

const STOP_GRACE_MS = 10_000;
// Idle keep-alive connections are kept longer than the 60 s proxies and load balancers keep theirs (Node's default
// is 5 s): the side that closes an idle connection races a request sent on it just then, and that request fails.
// Headers must be allowed to take longer still, or a reused connection can be cut while its headers arrive.
const KEEP_ALIVE_MS = 65_000;
const HEADERS_TIMEOUT_MS = 66_000;

const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname;

// Next reads NODE_ENV when it loads; the app's modules (lib/env.ts) read the environment Next loads from .env files.
Object.assign(process.env, { NODE_ENV: "production", PORT: String(port) });
const { default: next } = await import("next");
const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
await app.prepare();
const handleWithNext = app.getRequestHandler();
const { ingestRouteFor, serveIngestRoute } = await import("@/lib/ingest/node-routes");
const { settleForwardedFor } = await import("@/lib/client-address");
const { env } = await import("@/lib/env");

const server = createServer((request, response) => {
  settleForwardedFor(request, env.TRUSTED_PROXY_HOPS);
  const ingestRoute = ingestRouteFor(request);
  const handled = ingestRoute ? serveIngestRoute(ingestRoute, request, response) : handleWithNext(request, response);
  handled.catch((error: unknown) => {
    console.error(`[web] request to ${request.url?.split("?", 1)[0]} failed:`, error instanceof Error ? error.name : typeof error);
    if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
  });
});
server.keepAliveTimeout = KEEP_ALIVE_MS;
server.headersTimeout = HEADERS_TIMEOUT_MS;
server.listen(port, hostname, () => console.log(`[web] ready on http://${hostname ?? "localhost"}:${port} (pid ${process.pid})`));

function stop() {
  server.close(() => void app.close().finally(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
}
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
