"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

// An action's outcome as the page shows it; `at` orders the outcomes of controls that share one status line.
export type SimulationResult = { ok: boolean; text: string; at: number };

// Runs a Simulation page action: one at a time, outcome toasted and kept on screen, page data refreshed afterwards.
export function useSimulationAction<I, O>(run: (input: I) => Promise<O>, describe: (output: O) => string) {
  const router = useRouter();
  const [lastResult, setLastResult] = useState<SimulationResult | null>(null);
  const mutation = useMutation({
    mutationFn: run,
    onSuccess: (output) => {
      const text = describe(output);
      setLastResult({ ok: true, text, at: Date.now() });
      toast.success(text);
      router.refresh();
    },
    onError: (error) => {
      setLastResult({ ok: false, text: error.message, at: Date.now() });
      toast.error(error.message);
    },
  });
  return { ...mutation, lastResult };
}
