import { describe, expect, it } from "vitest";

import { redactSecrets } from "@/lib/logger";

describe("redactSecrets", () => {
  it.each([
    ["a token in a query string", "GET /users?token=sim-validic-org-token&page=2", "sim-validic-org-token"],
    ["a bearer token", "Authorization: Bearer eyJhbGciOi.abc.def", "eyJhbGciOi.abc.def"],
    ["a Basic credential", '{"auth":"Basic c2ltLXRlbm92aTp3ZWJob29r"}', "c2ltLXRlbm92aTp3ZWJob29r"],
    ["a JSON password", '{"password":"hunter2-secret"}', "hunter2-secret"],
    ["a subscription key header", "x-sub-key: sim-smartz-subscription-key", "sim-smartz-subscription-key"],
    ["an authorization header as a JSON field", '{"authorization":"Token abc123secret"}', "abc123secret"],
    ["the session cookie", "cookie: authjs.session-token=eyJhbGciOiJkaXIi.sealed; other=1", "eyJhbGciOiJkaXIi.sealed"],
    ["a database password", "connect postgresql://pulseboard:pulseboard-local@127.0.0.1:55432/postgres failed", "pulseboard-local"],
  ])("removes %s", (_label, text, secret) => {
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain("[redacted]");
  });

  it("leaves ordinary text alone", () => {
    const text = '{"message":"job finished","job":"ingest.sweep","ms":12,"url":"http://127.0.0.1:4110/tenovi/clients/demo"}';
    expect(redactSecrets(text)).toBe(text);
  });
});
