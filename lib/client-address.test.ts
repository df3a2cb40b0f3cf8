import { describe, expect, it } from "vitest";

import { clientAddress } from "@/lib/client-address";

describe("client address", () => {
  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(clientAddress(undefined, "203.0.113.9", 0)).toBe("203.0.113.9");
    expect(clientAddress("198.51.100.1, 198.51.100.2", "203.0.113.9", 0)).toBe("203.0.113.9");
  });

  it("is the entry the trusted proxies appended, never one the client sent ahead of them", () => {
    // Client sent a forged entry; the one proxy appended the client's real address; the socket is the proxy.
    expect(clientAddress("10.6.6.6, 192.0.2.44", "10.0.0.2", 1)).toBe("192.0.2.44");
    expect(clientAddress(["10.6.6.6", "192.0.2.44, 10.0.0.3"], "10.0.0.2", 2)).toBe("192.0.2.44");
  });

  it("falls back to the leftmost address when fewer hops arrived than are trusted", () => {
    expect(clientAddress(undefined, "10.0.0.2", 1)).toBe("10.0.0.2");
    expect(clientAddress("192.0.2.44", undefined, 3)).toBe("192.0.2.44");
  });
});
