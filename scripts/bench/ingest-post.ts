import http from "node:http";

import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";

// The bench's vendor side: deliveries posted over node:http with keep-alive connections. The sender shares the
// machine with the server under test, and fetch (undici) cost ~0.3 ms of CPU per request against ~0.03 ms here:
// at a thousand webhooks a second that was a third of a core taken from the server. An idle connection is closed
// after 30 s, before the server's keep-alive timeout (scripts/web-process.ts): a connection the server closes just
// as a request reuses it fails that request, which the load run counted as a network error.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 });

// What a receiver answered: its status and its JSON body ({} when the body was not JSON).
export type DeliveryAnswer = { status: number; body: { status?: string; error?: string; eventId?: string; processing?: string } };

// Posts one Validic push (bearer token) or Tenovi webhook (the simulator's webhook key) to the bench server. An
// aborted `signal` rejects with its reason.
export function postDelivery(baseUrl: string, vendor: "validic" | "tenovi", body: string, token: string, signal?: AbortSignal): Promise<DeliveryAnswer> {
  const url = new URL(`/api/ingest/${vendor}`, baseUrl);
  const authorization = vendor === "validic" ? `Bearer ${token}` : SIMULATOR_CREDENTIALS.tenovi.webhookAuthKey;
  const headers = { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)), Authorization: authorization };
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers, agent, signal }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: parseJson(text) }));
      response.on("error", reject);
    });
    request.on("error", (error) => reject(signal?.aborted ? signal.reason : error));
    request.end(body);
  });
}

function parseJson(text: string): DeliveryAnswer["body"] {
  try {
    return JSON.parse(text) as DeliveryAnswer["body"];
  } catch {
    return {};
  }
}
