import { useCallback, useRef } from "react";

// Lets one submission run at a time. A double click can fire twice before React re-renders the button as
// disabled; the second call is dropped here, synchronously, until the first one settles.
export function useSingleFlight(): (start: (done: () => void) => void) => void {
  const inFlight = useRef(false);
  return useCallback((start: (done: () => void) => void) => {
    if (inFlight.current) return;
    inFlight.current = true;
    start(() => {
      inFlight.current = false;
    });
  }, []);
}
