import { expect, test, type APIResponse } from "@playwright/test";

import { BASE_URL } from "../../playwright.config";
import { storageStateFor } from "../fixtures";

const STATIC_HEADERS = {
  "strict-transport-security": /max-age=\d{8,}; includeSubDomains/,
  "x-content-type-options": /^nosniff$/,
  "referrer-policy": /^strict-origin-when-cross-origin$/,
  "permissions-policy": /camera=\(\), microphone=\(\), geolocation=\(\)/,
  "x-frame-options": /^DENY$/,
};

function directives(response: APIResponse): Map<string, string> {
  const csp = response.headers()["content-security-policy"] ?? "";
  return new Map(csp.split(";").map((d) => d.trim()).filter(Boolean).map((d) => [d.split(" ")[0] ?? "", d.slice(d.indexOf(" ") + 1)]));
}

function expectStaticHeaders(response: APIResponse) {
  for (const [name, pattern] of Object.entries(STATIC_HEADERS)) expect.soft(response.headers()[name], name).toMatch(pattern);
  expect.soft(response.headers()["x-powered-by"]).toBeUndefined();
}

test("a page carries a nonce CSP without unsafe-inline scripts, and the static security headers", async ({ request }) => {
  const response = await request.get("/sign-in");
  expect(response.status()).toBe(200);
  expectStaticHeaders(response);
  const csp = directives(response);
  const scriptSrc = csp.get("script-src") ?? "";
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(scriptSrc).not.toContain("unsafe-eval");
  expect(csp.get("frame-ancestors")).toBe("'none'");
  expect(csp.get("object-src")).toBe("'none'");
  expect(csp.get("base-uri")).toBe("'self'");
  expect(csp.get("form-action")).toBe("'self'");
  // Every script the page ships carries this response's nonce.
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  const scripts = [...(await response.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect.soft(tag).toContain(`nonce="${nonce}"`);
});

test("each page response gets a fresh nonce", async ({ request }) => {
  const [a, b] = [await request.get("/sign-in"), await request.get("/sign-in")];
  expect(directives(a).get("script-src")).not.toBe(directives(b).get("script-src"));
});

test("signed-in pages, 403s and redirects carry the headers too", async ({ playwright }) => {
  const coordinator = await playwright.request.newContext({ storageState: storageStateFor("coordinator") });
  for (const [path, status] of [["/patients", 200], ["/admin", 403]] as const) {
    const response = await coordinator.get(path);
    expect(response.status(), path).toBe(status);
    expectStaticHeaders(response);
    expect(directives(response).get("script-src"), path).toContain("'nonce-");
  }
  await coordinator.dispose();
  const anonymous = await playwright.request.newContext();
  const redirect = await anonymous.get("/patients", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expectStaticHeaders(redirect);
  expect(directives(redirect).get("frame-ancestors")).toBe("'none'");
  await anonymous.dispose();
});

test("route handlers answer with a CSP that allows nothing to load or run", async ({ request }) => {
  const response = await request.get("/api/health");
  expectStaticHeaders(response);
  expect(directives(response).get("default-src")).toBe("'none'");
  expect(directives(response).get("frame-ancestors")).toBe("'none'");
});

test("a server action posted from another origin is stopped before any action runs", async ({ playwright }) => {
  // Next compares Origin with the host for every action POST. Control: from our own origin an unknown action id
  // reaches the action lookup ("Server Action unavailable"); from another origin the request never gets that far.
  const context = await playwright.request.newContext({ storageState: storageStateFor("admin") });
  const post = (origin: string) =>
    context.post("/admin", { headers: { "Next-Action": "0".repeat(42), Origin: origin, "Content-Type": "text/plain;charset=UTF-8" }, data: "[]", maxRedirects: 0 });
  const sameOrigin = await post(new URL(BASE_URL).origin);
  expect(await sameOrigin.text()).toContain("Server Action unavailable");
  const crossOrigin = await post("https://evil.example");
  expect(crossOrigin.status()).toBeGreaterThanOrEqual(400);
  expect(await crossOrigin.text()).not.toContain("Server Action unavailable");
  await context.dispose();
});
