import { randomUUID } from "node:crypto";
import { request as playwrightRequest, test, expect } from "@playwright/test";

import { ACTION_BODY_LIMIT_BYTES } from "../../lib/action-body";
import { BASE_URL } from "../../playwright.config";
import { withE2eDatabase } from "../database";
import { storageStateFor } from "../fixtures";
import { SESSION_COOKIE, type StorageState } from "../sessions";
import { callAction, discoverServerActions, pageUrl } from "../server-actions";

// Action bodies Next must never parse: larger than the limit, of unknown length, or not JSON at all. The proxy
// (lib/action-body.ts) answers them with a 4xx before the action runs; Next alone would answer 500.

const createStaff = discoverServerActions().find((a) => a.exportName === "createStaffAction");

async function staffByEmail(email: string) {
  const result = await withE2eDatabase((c) => c.query(`SELECT id FROM "User" WHERE email = $1`, [email]));
  return result.rows;
}

async function auditByRequest(requestId: string) {
  const result = await withE2eDatabase((c) => c.query(`SELECT id FROM "AuditEvent" WHERE "requestId" = $1`, [requestId]));
  return result.rows;
}

// A valid create-staff input, padded past the limit with a field the schema ignores.
function staffInput(padding: number) {
  const email = `e2e-limit-${randomUUID()}@example.org`;
  return { email, input: { name: "Body Limit", email, role: "clinician", password: `pw-${randomUUID()}`, padding: "x".repeat(padding) } };
}

test("an action body over the limit is refused with 413 before the action runs", async () => {
  expect(createStaff?.id).toBeTruthy();
  const requestId = `limit-${randomUUID()}`;
  const request = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: storageStateFor("admin"), extraHTTPHeaders: { "x-request-id": requestId } });
  const url = pageUrl(createStaff?.page ?? "/admin", "");
  try {
    const { email, input } = staffInput(ACTION_BODY_LIMIT_BYTES + 1024);
    const response = await callAction(request, url, createStaff?.id ?? "", [input]);
    expect(response.status).toBe(413);
    expect(await staffByEmail(email)).toEqual([]);
    expect(await auditByRequest(requestId)).toEqual([]);
    // Just under the limit the same call goes through (the padding field is not part of the schema).
    const small = staffInput(ACTION_BODY_LIMIT_BYTES - 2048);
    const accepted = await callAction(request, url, createStaff?.id ?? "", [small.input]);
    expect(accepted.status).toBe(200);
    expect(accepted.result?.data).toBeTruthy();
    expect(await staffByEmail(small.email)).toHaveLength(1);
  } finally {
    await request.dispose();
  }
});

test("a huge body (8 MB) is refused with 413 and the server stays up", async () => {
  const request = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: storageStateFor("admin") });
  try {
    const response = await callAction(request, pageUrl(createStaff?.page ?? "/admin", ""), createStaff?.id ?? "", `["${"A".repeat(8 * 1024 * 1024)}"]`);
    expect(response.status).toBe(413);
    expect((await request.get("/api/health")).status()).toBe(200);
  } finally {
    await request.dispose();
  }
});

test("a body that is not JSON, holds a dangling part reference, or is streamed without a length is refused with a 4xx, not a 500", async () => {
  const request = await playwrightRequest.newContext({ baseURL: BASE_URL, storageState: storageStateFor("admin") });
  const url = pageUrl(createStaff?.page ?? "/admin", "");
  try {
    // "$1", "$Q0": references to parts of a multipart body, which a text body does not have (React escapes "$" as "$$").
    for (const body of ["[{", "not json", "", "\u0000\u0001", '["$1"]', '[{"name":"$Q0"}]', '[{"a":[[["$@2"]]]}]']) {
      const response = await callAction(request, url, createStaff?.id ?? "", body);
      expect.soft(response.status, JSON.stringify(body)).toBe(400);
    }
    // The same values escaped as React escapes them are ordinary strings, and reach validation.
    const escaped = await callAction(request, url, createStaff?.id ?? "", [{ name: "$1", email: "$Q0" }]);
    expect(escaped.status).toBe(200);
    expect(escaped.result?.validationErrors).toBeTruthy();
  } finally {
    await request.dispose();
  }
  // A streamed body has no Content-Length (fetch sends it chunked); the limit cannot be checked up front.
  const state = JSON.parse((await import("node:fs")).readFileSync(storageStateFor("admin"), "utf8")) as StorageState;
  const cookie = state.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? "";
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(JSON.stringify([{}])));
      controller.close();
    },
  });
  const response = await fetch(new URL(url, BASE_URL), {
    method: "POST",
    headers: { "Next-Action": createStaff?.id ?? "", "Content-Type": "text/plain;charset=UTF-8", Cookie: `${SESSION_COOKIE}=${cookie}` },
    body: stream,
    duplex: "half",
    redirect: "manual",
  } as RequestInit & { duplex: "half" });
  expect(response.status).toBe(411);
});
