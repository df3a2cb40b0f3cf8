"use client";

import { Toaster as Sonner } from "sonner";

// Outcome toasts (sonner), announced to screen readers through its live region.
export function Toaster() {
  return <Sonner position="bottom-right" richColors closeButton />;
}
