// HTTP security headers (OWASP ASVS 5.0 §3.4). Pages get a per-request nonce CSP from proxy.ts; next.config.mjs
// adds the static headers to every response and a no-content CSP to route handlers.

// A header as next.config.mjs headers() takes it.
export type SecurityHeader = { key: string; value: string };

// Sent with every response, pages, route handlers and static files alike.
export const STATIC_SECURITY_HEADERS: SecurityHeader[] = [
  // Browsers ignore HSTS over plain HTTP, so a laptop on http://localhost is unaffected; behind TLS it pins HTTPS.
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // The dashboard uses none of these features; deny them so injected content cannot either.
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
  // For browsers without CSP frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

// Route handlers answer JSON or CSV, never a document: nothing in them may load or run.
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// A fresh, unguessable nonce for one page response.
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

// The CSP of a page. Scripts run only with this response's nonce (Next stamps it on its own scripts) or when loaded
// by such a script ('strict-dynamic'): no 'unsafe-inline' for scripts.
// Styles keep 'unsafe-inline': Radix (dialog, select, dropdown positioning), sonner (injects its stylesheet at run
// time) and recharts set inline styles that carry no nonce. Adding a nonce to style-src would make browsers ignore
// 'unsafe-inline' and break them; injected CSS cannot run script, so this is the accepted trade-off.
export function contentSecurityPolicy({ nonce, isDev, isHttps }: { nonce: string; isDev: boolean; isHttps: boolean }): string {
  const directives = [
    "default-src 'self'",
    // React's development build uses eval for its error overlays; production needs no eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Only behind TLS: on plain http://localhost it would send the browser to an HTTPS port that does not exist.
    ...(isHttps ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}
