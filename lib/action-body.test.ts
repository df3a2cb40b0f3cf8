import { describe, expect, it } from "vitest";

import { ACTION_BODY_LIMIT_BYTES, actionBodyRefusal } from "@/lib/action-body";

function actionPost(body: string, headers: Record<string, string> = {}) {
  return new Request("http://localhost/admin", {
    method: "POST",
    headers: { "next-action": "7f00", "content-type": "text/plain;charset=UTF-8", "content-length": String(Buffer.byteLength(body)), ...headers },
    body,
  });
}

describe("actionBodyRefusal", () => {
  it("lets React's encoding of ordinary arguments through, escaped $ strings, dates and bigints included", async () => {
    for (const body of ['[{"name":"Ada","note":"$$1"}]', "[]", '["$undefined","$D2026-01-01T00:00:00.000Z","$n12"]']) {
      expect(await actionBodyRefusal(actionPost(body)), body).toBeNull();
    }
  });

  it("refuses a body over the limit (413) and one without a length (411)", async () => {
    expect(await actionBodyRefusal(actionPost("[]", { "content-length": String(ACTION_BODY_LIMIT_BYTES + 1) }))).toBe(413);
    const request = actionPost("[]");
    request.headers.delete("content-length");
    expect(await actionBodyRefusal(request)).toBe(411);
  });

  it("refuses malformed JSON and references to parts a text body does not have (400)", async () => {
    for (const body of ["[{", "", '["$1"]', '[{"a":"$Q0"}]', '[[["$@2"]]]']) {
      expect(await actionBodyRefusal(actionPost(body)), body).toBe(400);
    }
  });

  it("leaves multipart form bodies to Next", async () => {
    expect(await actionBodyRefusal(actionPost("not json", { "content-type": "multipart/form-data; boundary=x" }))).toBeNull();
  });
});
