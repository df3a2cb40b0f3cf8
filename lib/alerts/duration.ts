import { AppError } from "@/lib/errors";

// An ISO 8601 duration split into its calendar part (years, months) and its fixed-length part (milliseconds).
export type IsoDuration = { years: number; months: number; milliseconds: number };

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const DURATION_PATTERN = new RegExp(`^P(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`);

// The longest sliding window a rule may use; longer windows are almost always a typo (P70D for P7D).
export const MAX_WINDOW_MS = 366 * DAY;

function amount(text: string | undefined): number {
  return text === undefined ? 0 : Number(text.replace(",", "."));
}

// Parses "P7D", "PT604800S", "P1W", "PT12H", "P1DT12H", "P1M"…; null when the text is not an ISO 8601 duration
// or is zero. ASSUMPTION: a day is 24 hours (Validic's own example turns P7D into PT604800S); years and months are
// calendar steps and must be whole.
export function parseIsoDuration(text: string): IsoDuration | null {
  const normalized = text.trim().toUpperCase();
  // The pattern's parts are all optional, so "P" and a dangling "T" need their own check.
  const match = DURATION_PATTERN.exec(normalized);
  if (!match || normalized === "P" || normalized.endsWith("T")) return null;
  const [, y, mo, w, d, h, mi, s] = match;
  const years = amount(y);
  const months = amount(mo);
  if (!Number.isInteger(years) || !Number.isInteger(months)) return null;
  const milliseconds = Math.round(amount(w) * WEEK + amount(d) * DAY + amount(h) * HOUR + amount(mi) * MINUTE + amount(s) * SECOND);
  if (years === 0 && months === 0 && milliseconds === 0) return null;
  return { years, months, milliseconds };
}

// Like parseIsoDuration, but a bad window is a typed error (for rules already stored).
export function requireIsoDuration(text: string): IsoDuration {
  const duration = parseIsoDuration(text);
  if (!duration) throw new AppError("INVALID_INPUT", `"${text}" is not an ISO 8601 duration such as P7D or PT12H.`);
  return duration;
}

// The start of a sliding window that ends at `end`: calendar months and years first (clamped to the month's
// last day, so one month before 31 March is 29 February in a leap year), then the fixed part.
export function windowStart(end: Date, duration: IsoDuration): Date {
  const start = new Date(end.getTime());
  const totalMonths = duration.years * 12 + duration.months;
  if (totalMonths > 0) {
    const day = start.getUTCDate();
    start.setUTCDate(1);
    start.setUTCMonth(start.getUTCMonth() - totalMonths);
    const lastDay = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
    start.setUTCDate(Math.min(day, lastDay));
  }
  return new Date(start.getTime() - duration.milliseconds);
}

// The window's length measured back from `end` (calendar parts make it depend on where it ends).
export function windowLengthMs(duration: IsoDuration, end = new Date()): number {
  return end.getTime() - windowStart(end, duration).getTime();
}

// "7 days", "12 hours", "1 month and 2 days": a duration in words for alert messages and rule lists.
export function describeDuration(duration: IsoDuration): string {
  const parts: string[] = [];
  const add = (count: number, unit: string) => {
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? "" : "s"}`);
  };
  add(duration.years, "year");
  add(duration.months, "month");
  let rest = duration.milliseconds;
  for (const [size, unit] of [[DAY, "day"], [HOUR, "hour"], [MINUTE, "minute"], [SECOND, "second"]] as const) {
    add(Math.floor(rest / size), unit);
    rest %= size;
  }
  if (parts.length === 0) return "under a second";
  return parts.length === 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1) ?? ""}`;
}
