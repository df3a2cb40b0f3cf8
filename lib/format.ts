// Dates and times for staff, in a fixed locale so every screen reads the same.
export function formatDateTime(date: Date | null | undefined, timeZone?: string): string {
  if (!date) return "—";
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
}

export function formatDate(date: Date | null | undefined, timeZone?: string): string {
  if (!date) return "—";
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone }).format(date);
}

// "3 days ago", "in 2 hours": how long since something happened.
export function formatRelative(date: Date | null | undefined, now = new Date()): string {
  if (!date) return "never";
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [["day", 86_400], ["hour", 3_600], ["minute", 60]];
  const format = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

export const VENDOR_LABELS: Record<string, string> = { tenovi: "Tenovi", validic: "Validic", smartz: "Smartz" };
