import type { IncomingMessage } from "node:http";

// The address a request came from: the socket's peer, or, behind `trustedHops` proxies that each append the address
// they received from to X-Forwarded-For, the entry that many hops from its right end. Entries further left came
// from the client itself and prove nothing, so a client cannot choose its own address (and with it a fresh
// failed-sign-in or failed-webhook budget) by sending the header.
export function clientAddress(forwardedFor: string | string[] | undefined, socketAddress: string | undefined, trustedHops: number): string {
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, socketAddress ?? "unknown"];
  return chain[Math.max(0, chain.length - 1 - trustedHops)] ?? "unknown";
}

// Replaces a request's X-Forwarded-For with the one address clientAddress trusts, before anything reads it: Next
// keeps a header it finds (it only adds the socket's address when there is none), and the receivers, sign-in and
// server actions read the first entry.
export function settleForwardedFor(request: IncomingMessage, trustedHops: number): void {
  request.headers["x-forwarded-for"] = clientAddress(request.headers["x-forwarded-for"], request.socket.remoteAddress, trustedHops);
}
