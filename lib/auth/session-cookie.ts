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

// Tokens that opened, by cookie name and token text, with the secret they opened under and their expiry. A browser
// sends the same token on every request until the proxy renews it (at most once a minute), and opening it (key
// derivation, key thumbprint, decryption) cost about a millisecond of CPU twice per page: in the proxy and in the
// page. Only tokens that opened are kept, so a forged or tampered one is judged afresh every time; the oldest entry
// goes first when the map is full.
const OPENED_TOKENS_LIMIT = 1_000;
// jose's leeway on `exp`, as next-auth's decode passes it.
const EXPIRY_TOLERANCE_MS = 15_000;
const openedTokens = new Map<string, { secret: string; claims: SessionClaims & { exp?: number } }>();

function rememberOpened(key: string, secret: string, claims: SessionClaims & { exp?: number }): void {
  if (openedTokens.size >= OPENED_TOKENS_LIMIT) {
    const oldest = openedTokens.keys().next();
    if (!oldest.done) openedTokens.delete(oldest.value);
  }
  openedTokens.set(key, { secret, claims });
}

function isExpired(claims: { exp?: number }, now: number): boolean {
  return typeof claims.exp === "number" && now - EXPIRY_TOLERANCE_MS >= claims.exp * 1000;
}

// The request's session cookie, opened: its name and the claims sealed in it; or null: no cookie, no secret, or a
// token that does not open with the secret (forged, tampered, sealed for another name) or has expired.
export async function openSessionCookie(source: CookieSource, secret: string | undefined): Promise<{ name: string; claims: SessionClaims } | null> {
  if (!secret) return null;
  const name = SESSION_COOKIE_NAMES.find((candidate) => cookieValue(source, candidate) !== undefined);
  const token = name ? cookieValue(source, name) : undefined;
  if (!name || !token) return null;
  const key = `${name} ${token}`;
  const known = openedTokens.get(key);
  if (known && known.secret === secret) {
    if (!isExpired(known.claims, Date.now())) return { name, claims: known.claims };
    openedTokens.delete(key);
    return null;
  }
  const claims = await decode<SessionClaims>({ token, secret, salt: name }).catch(() => null);
  if (!claims) return null;
  rememberOpened(key, secret, claims);
  return { name, claims };
}

// What judging a request's session cookie takes: its cookies, the secret, the session limits and the time.
type CookieJudgement = [source: CookieSource, secret: string | undefined, limits: SessionLimits, now?: number];

// The claims as sealed in the cookie and as the jwt callback would have them now (renewed, if due), or null: no usable
// cookie (openSessionCookie), or a session past its idle or absolute limit (nextSessionClaims).
async function judgeSessionCookie(...[source, secret, limits, now = Date.now()]: CookieJudgement): Promise<{ sealed: SessionClaims; current: SessionClaims } | null> {
  const sealed = (await openSessionCookie(source, secret))?.claims ?? null;
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
