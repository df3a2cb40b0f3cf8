// Intl formatters are costly to build (tens of microseconds each, and a list page formats dozens of dates), so
// each style and time zone gets one, kept for the life of the process.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(withTime: boolean, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${withTime ? "datetime" : "date"}|${timeZone ?? ""}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", withTime ? { dateStyle: "medium", timeStyle: "short", timeZone } : { dateStyle: "medium", timeZone });
    dateFormats.set(key, format);
  }
  return format;
}
const relativeFormat = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });

// Dates and times for staff, in a fixed locale so every screen reads the same.
export function formatDateTime(date: Date | null | undefined, timeZone?: string): string {
  if (!date) return "—";
  return dateFormat(true, timeZone).format(date);
}

export function formatDate(date: Date | null | undefined, timeZone?: string): string {
  if (!date) return "—";
  return dateFormat(false, timeZone).format(date);
}

// "3 days ago", "in 2 hours": how long since something happened.
export function formatRelative(date: Date | null | undefined, now = new Date()): string {
  if (!date) return "never";
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [["day", 86_400], ["hour", 3_600], ["minute", 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

export const VENDOR_LABELS: Record<string, string> = { tenovi: "Tenovi", validic: "Validic", smartz: "Smartz" };
