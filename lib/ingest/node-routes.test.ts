import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { settleForwardedFor } from "@/lib/client-address";
import { db } from "@/lib/db";
import { ingestRouteFor, serveIngestRoute } from "@/lib/ingest/node-routes";
import { tenoviRow } from "@/lib/ingest/payload-fixtures";
import { BODY_LIMITS } from "@/lib/ingest/raw-body";
import { RECEIVER_AUTH_FAILURE_LIMIT } from "@/lib/ingest/receivers";
import { tenoviConfig } from "@/lib/vendors/config";

const { webhookAuthHeader, webhookAuthKey } = tenoviConfig();

// The web process's dispatch (scripts/web-process.ts, no trusted proxy) with a stand-in for Next that names itself.
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((request, response) => {
    settleForwardedFor(request, 0);
    const route = ingestRouteFor(request);
    if (route) void serveIngestRoute(route, request, response);
    else response.writeHead(404, { "X-Answered-By": "next" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

// A raw node:http request, so the test sees exactly what goes over the socket (fetch would hide Connection headers).
function send(options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: "127.0.0.1", port, method: options.method ?? "POST", path: options.path, headers: options.headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

describe("ingest routes served ahead of Next's router", () => {
  it("stores a Tenovi webhook and answers 200 with the route security headers, uncompressed and uncached", async () => {
    const row = tenoviRow();
    const answer = await send({
      path: "/api/ingest/tenovi",
      headers: { [webhookAuthHeader]: webhookAuthKey, "Content-Type": "application/json", "Accept-Encoding": "gzip" },
      body: JSON.stringify(row),
    });
    expect(answer.status).toBe(200);
    const { eventId } = JSON.parse(answer.body) as { eventId: string };
    const stored = await db.ingestEvent.findUniqueOrThrow({ where: { id: BigInt(eventId) } });
    expect(stored).toMatchObject({ source: "tenovi_webhook", status: "received", payload: row });
    expect(answer.headers).toMatchObject({
      "content-type": "application/json",
      "cache-control": "no-store, no-transform",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "content-security-policy": expect.stringContaining("default-src 'none'"),
    });
    expect(answer.headers["content-encoding"]).toBeUndefined();
  });

  it("answers 413 for a declared body over the limit without reading it, then closes the connection", async () => {
    const answer = await send({
      path: "/api/ingest/tenovi",
      headers: { [webhookAuthHeader]: webhookAuthKey, "Content-Type": "application/json", "Content-Length": String(BODY_LIMITS.tenoviWebhook + 1) },
    });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe("close");
  });

  it("stops reading an undeclared (chunked) body once it passes the limit, answers 413 and closes the connection", async () => {
    const answer = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/ingest/tenovi",
          headers: { [webhookAuthHeader]: webhookAuthKey, "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
        },
        (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, connection: response.headers.connection });
        },
      );
      // Errors after the answer (the server closing mid-upload) do not matter here.
      outgoing.on("error", (error) => (outgoing.writableFinished ? undefined : reject(error)));
      const chunk = "x".repeat(64 * 1024);
      const writeMore = () => {
        while (!outgoing.destroyed && outgoing.write(chunk));
        if (!outgoing.destroyed) outgoing.once("drain", writeMore);
      };
      writeMore();
    });
    expect(answer).toEqual({ status: 413, connection: "close" });
    // Nothing of it was stored (a body that is not JSON would be kept as raw text).
    expect(await db.ingestEvent.count({ where: { rawBody: { startsWith: "x".repeat(1024) } } })).toBe(0);
  });

  it("answers the Validic token endpoint (400 for a malformed token request)", async () => {
    const answer = await send({ path: "/api/ingest/validic/token", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "grant_type=password" });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.any(String) });
  });

  it("leaves every other request, other methods on ingest paths included, to Next", async () => {
    for (const [method, path] of [["GET", "/api/ingest/tenovi"], ["POST", "/api/ingest/tenovi/"], ["POST", "/api/health"], ["GET", "/patients"]] as const) {
      const answer = await send({ method, path });
      expect(answer.headers["x-answered-by"], `${method} ${path}`).toBe("next");
    }
  });

  // Last: it uses up 127.0.0.1's failure budget.
  it("keys the failed-authentication budget on the socket's address: a forged X-Forwarded-For buys no fresh budget", async () => {
    const unauthenticated = (headers: Record<string, string> = {}) =>
      send({ path: "/api/ingest/tenovi?x=1", headers: { "Content-Type": "application/json", ...headers }, body: "{}" });
    for (let attempt = 0; attempt < RECEIVER_AUTH_FAILURE_LIMIT.limit; attempt++) expect((await unauthenticated({ "X-Forwarded-For": `192.0.2.${attempt}` })).status).toBe(401);
    const refused = await unauthenticated({ "X-Forwarded-For": "192.0.2.200" });
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
  });
});
