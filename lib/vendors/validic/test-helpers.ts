import { randomInt, randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { luhnCheckDigit } from "@/lib/vendors/validic/imei";

// Test-only helpers shared by the Validic test files.

// A Luhn-valid IMEI nobody else in the test run uses.
export function newImei(): string {
  const body = String(randomInt(10 ** 13, 10 ** 14));
  return `${body}${luhnCheckDigit(body)}`;
}

// A uid unique to this test run, like Pulseboard's patient-based uids.
export function newUid(): string {
  return `pb-test-${randomUUID()}`;
}

// Starts a server on an ephemeral local port and returns its base URL.
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

// Stops a server started with listen.
export async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

// A request as the client put it on the wire.
export type SentRequest = { url: URL; method: string; headers: Headers; body: string | null };

// The real fetch, with a record of every request made through it (what the client actually put on the wire).
export function recordingFetch(): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    sent.push({
      url: new URL(input instanceof Request ? input.url : String(input)),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: typeof init?.body === "string" ? init.body : null,
    });
    return fetch(input, init);
  };
  return { fetch: wrapped, sent };
}
