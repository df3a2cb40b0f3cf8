import http from "node:http";

import { expect, test } from "@playwright/test";

import { BASE_URL } from "../../playwright.config";

type Answer = { status: number; reusedSocket: boolean };

function get(agent: http.Agent, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(path, BASE_URL), { agent }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, reusedSocket: request.reusedSocket }));
    });
    request.on("error", reject);
  });
}

// Node closes an idle keep-alive connection after 5 s by default; a proxy or vendor client reusing it just then gets
// a failed request. The web process keeps idle connections longer than proxies keep theirs (scripts/web-process.ts).
test("an idle keep-alive connection is still open after Node's default 5 s", async () => {
  test.setTimeout(30_000);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    expect(await get(agent, "/api/health")).toEqual({ status: 200, reusedSocket: false });
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    expect(await get(agent, "/api/health")).toEqual({ status: 200, reusedSocket: true });
  } finally {
    agent.destroy();
  }
});
