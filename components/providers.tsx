"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod";

import { Toaster } from "@/components/ui/toaster";
import { getQueryClient } from "@/lib/query-client";

// zod probes for eval (new Function) to speed up parsing; under the CSP that probe is a blocked script and a
// reported violation. Parse without it in the browser.
z.config({ jitless: true });

// Client-side providers for the whole app: TanStack Query and toasts.
export function Providers({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={getQueryClient()}>
      {children}
      <Toaster />
    </QueryClientProvider>
  );
}
