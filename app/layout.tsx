import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

import { Providers } from "@/components/providers";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pulseboard", template: "%s · Pulseboard" },
  description: "Clinic operations for remote patient monitoring",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Render every page per request, never at build time: Next can only stamp the CSP nonce from proxy.ts on the
  // scripts of a page it renders for that request.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
