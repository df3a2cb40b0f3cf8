import { decode } from "next-auth/jwt";

import { nextSessionClaims, type SessionClaims, type SessionLimits } from "@/lib/auth/session-policy";

// Reading the session on the server (pages, actions, route handlers) straight from the request's cookie. next-auth's
// own `auth()` runs its whole HTTP pipeline for this (a synthetic /session request: CSRF token with a SHA-256
// digest, cookie parsing, callbacks, re-sealing the cookie and a Set-Cookie that a server component cannot send),
// on every page on top of the proxy's run. The proxy (proxy.ts, through next-auth) stays the one place that renews
// the cookie; here the token is only opened and judged by the same rules.

// next-auth's session cookie names: `__Secure-` over HTTPS, plain over HTTP. Each name is also the token's
// decryption salt, so a token opens only under the name it was sealed for.
export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

// What a cookie store must offer: the value of a cookie by name (Next's `cookies()` does).
export type CookieSource = { get: (name: string) => { value: string } | undefined };

// The cookie's value, reassembled when next-auth split a large token into `name.0`, `name.1`, ….
function cookieValue(source: CookieSource, name: string): string | undefined {
  const whole = source.get(name)?.value;
  if (whole) return whole;
  const chunks: string[] = [];
  for (let chunk = source.get(`${name}.0`); chunk; chunk = source.get(`${name}.${chunks.length}`)) chunks.push(chunk.value);
  return chunks.length > 0 ? chunks.join("") : undefined;
}

// The claims sealed in the request's session cookie, or null: no cookie, no secret, or a token that does not open
// with the secret (forged, tampered, sealed for another name) or has expired.
async function openSessionCookie(source: CookieSource, secret: string | undefined): Promise<SessionClaims | null> {
  if (!secret) return null;
  const name = SESSION_COOKIE_NAMES.find((candidate) => cookieValue(source, candidate) !== undefined);
  const token = name ? cookieValue(source, name) : undefined;
  if (!name || !token) return null;
  return decode<SessionClaims>({ token, secret, salt: name }).catch(() => null);
}

// What judging a request's session cookie takes: its cookies, the secret, the session limits and the time.
type CookieJudgement = [source: CookieSource, secret: string | undefined, limits: SessionLimits, now?: number];

// The claims as sealed in the cookie and as the jwt callback would have them now (renewed, if due), or null: no usable
// cookie (openSessionCookie), or a session past its idle or absolute limit (nextSessionClaims).
async function judgeSessionCookie(...[source, secret, limits, now = Date.now()]: CookieJudgement): Promise<{ sealed: SessionClaims; current: SessionClaims } | null> {
  const sealed = await openSessionCookie(source, secret);
  const current = sealed ? nextSessionClaims(sealed, undefined, now, limits) : null;
  return sealed && current ? { sealed, current } : null;
}

// The signed-in session's claims from the request's cookies, or null (judgeSessionCookie). The database re-check is
// the caller's.
export async function readSessionClaims(...judgement: CookieJudgement): Promise<SessionClaims | null> {
  return (await judgeSessionCookie(...judgement))?.current ?? null;
}

// The claims of a session cookie that next-auth would hand back unchanged (valid, within its limits, renewed less
// than SESSION_RENEW_AFTER_MS ago), or null when next-auth has work to do: renew the cookie, clear a broken or
// expired one, or find no session. The proxy skips next-auth's pipeline only for the former.
export async function unchangedSessionClaims(...judgement: CookieJudgement): Promise<SessionClaims | null> {
  const judged = await judgeSessionCookie(...judgement);
  return judged && judged.current === judged.sealed ? judged.sealed : null;
}
