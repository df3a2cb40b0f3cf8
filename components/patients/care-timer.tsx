"use client";

import { useEffect, useState, useSyncExternalStore } from "react";

import { LogCareTimeDialog } from "@/components/patients/log-care-time-dialog";
import { Button } from "@/components/ui/button";

// Tells this tab's timers that one was started or stopped (the storage event reaches only other tabs).
const TIMER_CHANGED = "pulseboard:care-timer";

function subscribe(onChange: () => void): () => void {
  window.addEventListener(TIMER_CHANGED, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(TIMER_CHANGED, onChange);
    window.removeEventListener("storage", onChange);
  };
}

// A stopwatch for the time spent on a patient's care, logged through the usual dialog with its minutes filled in.
// It keeps running across reloads and pages of this browser tab (sessionStorage), one per patient.
export function CareTimer({ patientId, today }: { patientId: string; today: string }) {
  const storageKey = `pulseboard.careTimer.${patientId}`;
  const saved = useSyncExternalStore(
    subscribe,
    () => sessionStorage.getItem(storageKey),
    () => null,
  );
  const startedAt = saved ? Number(saved) : null;
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (startedAt === null) return;
    const tick = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(tick);
  }, [startedAt]);

  function save(value: string | null) {
    if (value === null) sessionStorage.removeItem(storageKey);
    else sessionStorage.setItem(storageKey, value);
    window.dispatchEvent(new Event(TIMER_CHANGED));
  }
  function start() {
    const at = Date.now();
    setNow(at);
    save(String(at));
  }
  function reset() {
    save(null);
  }

  if (startedAt === null) {
    return (
      <Button variant="ghost" size="sm" onClick={start}>
        Start timer
      </Button>
    );
  }
  const elapsed = Math.max(0, now - startedAt);
  return (
    <div className="flex items-center gap-2">
      <span role="timer" aria-label="Care time running" className="font-mono text-sm tabular-nums">
        {clock(elapsed)}
      </span>
      {/* Whole minutes spent, at least one: partial minutes are not billable time. */}
      <LogCareTimeDialog
        patientId={patientId}
        today={today}
        minutes={Math.max(1, Math.floor(elapsed / 60_000))}
        onLogged={reset}
        trigger={<Button size="sm">Stop and log</Button>}
      />
      <Button variant="ghost" size="sm" onClick={reset}>
        Discard
      </Button>
    </div>
  );
}

// "12:05", or "1:02:05" past an hour.
function clock(ms: number): string {
  const seconds = Math.floor(ms / 1_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(seconds / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds % 60)}` : `${minutes}:${pad(seconds % 60)}`;
}
