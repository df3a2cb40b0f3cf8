import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { z } from "zod";

import { extractVendorMessage, parseRetryAfter, VendorHttpClient, VendorHttpError, type VendorClientOptions } from "@/lib/vendors/base-client";

// What the test server saw, per request, in arrival order.
type Hit = { method: string; url: string; headers: IncomingMessage["headers"]; body: string; at: number };
type Handler = (req: IncomingMessage, res: ServerResponse, hitNumber: number) => void;

let server: Server;
let baseUrl: string;
let hits: Hit[] = [];
let handler: Handler = (_req, res) => sendJson(res, 200, {});

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

// Answers hit N (1-based) with responses[N-1], repeating the last one.
function sequence(...responses: Array<(res: ServerResponse, req: IncomingMessage) => void>): Handler {
  return (req, res, n) => {
    const respond = responses[Math.min(n, responses.length) - 1];
    if (respond) respond(res, req);
  };
}

// A fresh server per test: the client's connection pool never reuses a socket a previous test closed.
beforeEach(async () => {
  hits = [];
  handler = (_req, res) => sendJson(res, 200, {});
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hits.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      handler(req, res, hits.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterEach(async () => {
  // Drops sockets the "never answers" handlers left open.
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function client(options: Partial<VendorClientOptions> = {}) {
  return new VendorHttpClient({ vendor: "tenovi", baseUrl, baseDelayMs: 1, maxDelayMs: 5, ...options });
}

const okSchema = z.object({ ok: z.boolean() });

async function failure(promise: Promise<unknown>): Promise<VendorHttpError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof VendorHttpError)) throw new Error(`expected a VendorHttpError, got ${String(error)}`);
  return error;
}

describe("VendorHttpClient: response validation", () => {
  it("turns a schema mismatch into a non-retryable VendorHttpError that says the vendor API may have changed", async () => {
    handler = (_req, res) => sendJson(res, 200, { ok: "yes" });
    const error = await failure(client().request({ operation: "list devices", method: "GET", path: "/devices/", response: okSchema, idempotent: true }));
    expect(error.isRetryable).toBe(false);
    expect(error.httpStatus).toBe(200);
    expect(error.code).toBe("VENDOR_UNAVAILABLE");
    expect(error.message).toMatch(/Tenovi sent an answer Pulseboard does not understand \(list devices\)/);
    expect(error.message).toMatch(/API may have changed/);
    expect(error.vendorMessage).toMatch(/^ok: /);
    expect(error.operation).toBe("list devices");
    expect(error.method).toBe("GET");
    expect(hits).toHaveLength(1);
  });

  it("rejects an HTML page served with 200 the same way", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<html>maintenance</html>");
    };
    const error = await failure(client().request({ operation: "list devices", method: "GET", path: "/devices/", response: okSchema, idempotent: true }));
    expect(error.isRetryable).toBe(false);
    expect(hits).toHaveLength(1);
  });

  it("returns the parsed value on success and sends JSON and form bodies with their content types", async () => {
    handler = (_req, res) => sendJson(res, 200, { ok: true, extra: 1 });
    const http = client();
    await expect(http.request({ operation: "a", method: "POST", path: "/json", json: { a: 1 }, response: okSchema })).resolves.toEqual({ ok: true });
    await http.request({ operation: "b", method: "POST", path: "form", form: { grant_type: "client_credentials", x: "a b&c" }, response: okSchema });
    expect(hits[0]?.headers["content-type"]).toBe("application/json");
    expect(hits[0]?.body).toBe('{"a":1}');
    expect(hits[1]?.url).toBe("/api/form");
    expect(hits[1]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(new URLSearchParams(hits[1]?.body)).toEqual(new URLSearchParams({ grant_type: "client_credentials", x: "a b&c" }));
  });

  it("builds query strings (arrays repeated, null and undefined skipped) and accepts absolute URLs for pagination links", async () => {
    handler = (_req, res) => sendJson(res, 200, { ok: true });
    const http = client();
    await http.request({ operation: "q", method: "GET", path: "/q/", query: { page: 2, ids: ["a", "b"], skip: undefined, none: null }, response: okSchema });
    await http.request({ operation: "next", method: "GET", path: `${baseUrl}/q/?page=3`, response: okSchema });
    expect(hits.map((h) => h.url)).toEqual(["/api/q/?page=2&ids=a&ids=b", "/api/q/?page=3"]);
  });
});

describe("VendorHttpClient: timeouts", () => {
  it("gives up on a server that never answers with a retryable error saying so", async () => {
    handler = () => undefined;
    const error = await failure(client().request({ operation: "get device", method: "GET", path: "/slow/", response: okSchema, timeoutMs: 50 }));
    expect(error.isRetryable).toBe(true);
    expect(error.httpStatus).toBeNull();
    expect(error.message).toBe("Tenovi did not answer in time (get device). Nothing was confirmed; try again.");
    expect(hits).toHaveLength(1);
  });

  it("retries a timed-out idempotent call up to maxAttempts", async () => {
    handler = () => undefined;
    const error = await failure(client({ timeoutMs: 50, maxAttempts: 2 }).request({ operation: "get device", method: "GET", path: "/slow/", response: okSchema, idempotent: true }));
    expect(error.isRetryable).toBe(true);
    expect(hits).toHaveLength(2);
  });

  it("times out a body that stalls after the headers as a VendorHttpError too", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('{"ok":');
    };
    const error = await failure(client().request({ operation: "get device", method: "GET", path: "/stall/", response: okSchema, timeoutMs: 100 }));
    expect(error.isRetryable).toBe(true);
    expect(error.message).toMatch(/did not answer in time/);
  });
});

describe("VendorHttpClient: retries", () => {
  it.each([408, 429, 500, 502, 503, 504])("retries an idempotent call after HTTP %i and succeeds", async (status) => {
    handler = sequence(
      (res) => sendJson(res, status, { detail: "try later" }),
      (res) => sendJson(res, 200, { ok: true }),
    );
    await expect(client().request({ operation: "get", method: "GET", path: "/r/", response: okSchema, idempotent: true })).resolves.toEqual({ ok: true });
    expect(hits).toHaveLength(2);
  });

  it("stops after maxAttempts and reports the last failure as retryable", async () => {
    handler = (_req, res) => sendJson(res, 503, { detail: "down" });
    const error = await failure(client().request({ operation: "get", method: "GET", path: "/r/", response: okSchema, idempotent: true }));
    expect(hits).toHaveLength(3);
    expect(error.httpStatus).toBe(503);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toBe("Tenovi had a problem (get, HTTP 503). Nothing was changed; try again shortly.");
  });

  it("honours a configured maxAttempts", async () => {
    handler = (_req, res) => sendJson(res, 500, {});
    await failure(client({ maxAttempts: 5 }).request({ operation: "get", method: "GET", path: "/r/", response: okSchema, idempotent: true }));
    expect(hits).toHaveLength(5);
  });

  it("retries an idempotent call after a dropped connection", async () => {
    handler = sequence(
      (_res, req) => req.socket.destroy(),
      (res) => sendJson(res, 200, { ok: true }),
    );
    await expect(client().request({ operation: "get", method: "GET", path: "/r/", response: okSchema, idempotent: true })).resolves.toEqual({ ok: true });
    expect(hits).toHaveLength(2);
  });

  it("reports an unreachable host as a retryable network error after bounded attempts", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const http = new VendorHttpClient({ vendor: "validic", baseUrl: `http://127.0.0.1:${port}`, baseDelayMs: 1, maxDelayMs: 2 });
    const error = await failure(http.request({ operation: "get user", method: "GET", path: "/users/1", response: okSchema, idempotent: true }));
    expect(error.httpStatus).toBeNull();
    expect(error.isRetryable).toBe(true);
    expect(error.message).toBe("Validic could not be reached (get user). Check the connection and try again.");
  });

  it("never retries a POST that is not marked idempotent, whatever the failure", async () => {
    handler = (_req, res) => sendJson(res, 503, {});
    const error = await failure(client().request({ operation: "activate device", method: "POST", path: "/hwi/", json: {}, response: okSchema }));
    expect(error.isRetryable).toBe(true);
    expect(hits).toHaveLength(1);

    hits = [];
    handler = (_req, res) => res.socket?.destroy();
    await failure(client().request({ operation: "activate device", method: "POST", path: "/hwi/", json: {}, response: okSchema }));
    expect(hits).toHaveLength(1);
  });

  it("does not retry a GET unless it is marked idempotent", async () => {
    handler = (_req, res) => sendJson(res, 500, {});
    await failure(client().request({ operation: "get", method: "GET", path: "/r/", response: okSchema }));
    expect(hits).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 409, 422])("does not retry HTTP %i", async (status) => {
    handler = (_req, res) => sendJson(res, status, { detail: "no" });
    const error = await failure(client().request({ operation: "get", method: "GET", path: "/r/", response: okSchema, idempotent: true }));
    expect(hits).toHaveLength(1);
    expect(error.isRetryable).toBe(false);
    expect(error.httpStatus).toBe(status);
  });

  it("maps statuses to app error codes", async () => {
    const codes: Record<number, string> = { 400: "INVALID_INPUT", 401: "VENDOR_UNAVAILABLE", 404: "NOT_FOUND", 409: "CONFLICT", 422: "INVALID_INPUT", 500: "VENDOR_UNAVAILABLE" };
    for (const [status, code] of Object.entries(codes)) {
      handler = (_req, res) => sendJson(res, Number(status), {});
      const error = await failure(client().request({ operation: "get", method: "GET", path: "/r/", response: okSchema }));
      expect(error.code).toBe(code);
    }
  });

  it("resolves auth headers per attempt, so a renewed credential is used on the retry", async () => {
    let version = 0;
    handler = sequence(
      (res) => sendJson(res, 503, {}),
      (res) => sendJson(res, 200, { ok: true }),
    );
    await client({ headers: () => ({ Authorization: `Bearer v${++version}` }) }).request({ operation: "get", method: "GET", path: "/r/", response: okSchema, idempotent: true });
    expect(hits.map((h) => h.headers.authorization)).toEqual(["Bearer v1", "Bearer v2"]);
  });
});

describe("VendorHttpClient: Retry-After", () => {
  it("waits at least the Retry-After seconds before the next attempt", async () => {
    handler = sequence(
      (res) => sendJson(res, 429, { detail: "slow down" }, { "Retry-After": "1" }),
      (res) => sendJson(res, 200, { ok: true }),
    );
    await client().request({ operation: "get", method: "GET", path: "/r/", response: okSchema, idempotent: true });
    expect(hits).toHaveLength(2);
    const [first, second] = hits;
    // Without Retry-After the backoff here is at most 5 ms.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("parses seconds and HTTP dates, and ignores garbage", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0")).toBe(0);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(parseRetryAfter(inTenSeconds)).toBeGreaterThan(8_000);
    expect(parseRetryAfter(inTenSeconds)).toBeLessThanOrEqual(10_000);
    expect(parseRetryAfter(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
  });
});

describe("VendorHttpClient: vendor messages", () => {
  it.each([
    ["DRF detail", { detail: "Invalid hwi_device_id." }, "Invalid hwi_device_id."],
    ["DRF field errors", { email: ["Enter a valid email address."], name: ["This field is required."] }, "email: Enter a valid email address.; name: This field is required."],
    ["message", { message: "User not found" }, "User not found"],
    ["APIM", { statusCode: 401, message: "Access denied due to invalid subscription key." }, "Access denied due to invalid subscription key."],
    ["OAuth with description", { error: "invalid_client", error_description: "Client authentication failed." }, "Client authentication failed."],
    ["OAuth code only", { error: "invalid_grant" }, "invalid_grant"],
  ])("extracts %s bodies", (_label, body, expected) => {
    expect(extractVendorMessage(JSON.stringify(body))).toBe(expected);
  });

  it.each([["HTML", "<html>oops</html>"], ["empty", ""], ["a JSON array", "[1,2]"], ["an unknown shape", '{"code":12}']])(
    "finds no message in %s",
    (_label, text) => {
      expect(extractVendorMessage(text)).toBeNull();
    },
  );

  it("caps a long vendor message", () => {
    expect(extractVendorMessage(JSON.stringify({ detail: "x".repeat(1000) }))?.length).toBe(300);
  });

  it("puts the vendor's words into vendorMessage and the staff-facing message of a 4xx", async () => {
    handler = (_req, res) => sendJson(res, 400, { hwi_device_id: ["This field is required."] });
    const error = await failure(client().request({ operation: "activate device", method: "POST", path: "/hwi/", json: {}, response: okSchema }));
    expect(error.vendorMessage).toBe("hwi_device_id: This field is required.");
    expect(error.message).toBe("Tenovi rejected the request (activate device): hwi_device_id: This field is required.");
  });

  it("tells staff to check the API key on 401", async () => {
    handler = (_req, res) => sendJson(res, 401, { detail: "Invalid token." });
    const error = await failure(client().request({ operation: "list devices", method: "GET", path: "/r/", response: okSchema }));
    expect(error.vendorMessage).toBe("Invalid token.");
    expect(error.message).toMatch(/Tenovi refused Pulseboard's credentials \(list devices\)\. An admin should check the Tenovi API key: Invalid token\./);
  });
});

describe("VendorHttpClient: secrets", () => {
  const configured = "sk-live-abcdef123456";
  const querySecret = "querysecret123";
  const apiKey = "tenovikey999";
  const bearer = "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl";
  const leaks = [configured, querySecret, apiKey, bearer];

  function expectNoSecrets(text: string) {
    for (const secret of leaks) expect(text).not.toContain(secret);
  }

  it("keeps configured secrets, ?token= values and Api-Key/Bearer strings out of the message, url, vendorMessage and logs", async () => {
    handler = (_req, res) =>
      sendJson(res, 401, {
        detail: `Key ${configured} rejected. Got Authorization: Api-Key ${apiKey} and Authorization: Bearer ${bearer} for ?token=${querySecret}`,
      });
    const logged: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    try {
      const http = client({ secrets: () => [configured], headers: () => ({ Authorization: `Api-Key ${apiKey}` }) });
      const error = await failure(http.request({ operation: "get", method: "GET", path: `/r/${configured}/`, query: { token: querySecret }, response: okSchema }));
      expect(hits[0]?.url).toBe(`/api/r/${configured}/?token=${querySecret}`);
      expect(error.vendorMessage).toContain("[redacted]");
      expectNoSecrets(error.message);
      expectNoSecrets(error.url);
      expectNoSecrets(error.vendorMessage ?? "");
      expectNoSecrets(logged.join(""));
      expect(logged.join("")).toContain("vendor call failed");
    } finally {
      spy.mockRestore();
    }
  });

  it("redacts the url of timeouts and network errors too", async () => {
    handler = () => undefined;
    const error = await failure(client({ secrets: () => [configured] }).request({ operation: "get", method: "GET", path: "/r/", query: { token: querySecret, key: configured }, response: okSchema, timeoutMs: 50 }));
    expectNoSecrets(error.url);
    expect(error.url).toContain("token=[redacted]");
  });

  it("ignores configured secrets too short to redact safely", () => {
    const http = client({ secrets: () => ["", "ab", "longer-secret"] });
    expect(http.redact("ab longer-secret")).toBe("ab [redacted]");
  });
});

describe("VendorHttpClient: redirects and accepted statuses", () => {
  it("does not follow a redirect and tells staff to check trailing slashes and the base URL", async () => {
    handler = (req, res) => {
      res.writeHead(301, { Location: `${req.url ?? ""}/` });
      res.end();
    };
    const error = await failure(client().request({ operation: "list devices", method: "GET", path: "/hwi/hwi-devices", response: okSchema, idempotent: true }));
    expect(hits).toHaveLength(1);
    expect(error.httpStatus).toBe(301);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(/trailing slash/);
    expect(error.message).toMatch(/base URL/);
  });

  it("returns null for an accepted status instead of throwing", async () => {
    handler = (_req, res) => sendJson(res, 404, { detail: "Not found." });
    const result = await client().request({ operation: "get user", method: "GET", path: "/users/x", response: okSchema, acceptStatuses: [404] });
    expectTypeOf(result).toEqualTypeOf<{ ok: boolean } | null>();
    expect(result).toBeNull();
    expect(hits).toHaveLength(1);
  });

  it("still throws for a status that is not accepted", async () => {
    handler = (_req, res) => sendJson(res, 404, { detail: "Not found." });
    const error = await failure(client().request({ operation: "get user", method: "GET", path: "/users/x", response: okSchema }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("Tenovi rejected the request (get user): Not found.");
  });
});
