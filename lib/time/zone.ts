// Calendar days and wall-clock times in a patient's IANA time zone, with Intl only (no tz database of our own).
const DAY_MS = 86_400_000;
const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(instant: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const values: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") values[part.type] = Number(part.value);
  }
  return { year: values.year ?? 1970, month: values.month ?? 1, day: values.day ?? 1, hour: values.hour ?? 0, minute: values.minute ?? 0, second: values.second ?? 0 };
}

// True when Intl knows the zone name (patient records store IANA names such as America/New_York).
export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// How far the zone's wall clock is ahead of UTC at that instant, in milliseconds (New York in winter: −5 h).
export function timeZoneOffsetMs(instant: Date, timeZone: string): number {
  const c = wallClock(instant, timeZone);
  const asUtc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

// The calendar day ("2026-03-08") an instant falls on in the zone.
export function localDay(instant: Date, timeZone: string): string {
  const c = wallClock(instant, timeZone);
  return `${String(c.year).padStart(4, "0")}-${String(c.month).padStart(2, "0")}-${String(c.day).padStart(2, "0")}`;
}

// The instant a local calendar day starts in the zone (23 or 25 hours before the next one on DST days).
export function startOfLocalDay(day: string, timeZone: string): Date {
  const [year = 1970, month = 1, date = 1] = day.split("-").map(Number);
  const guess = Date.UTC(year, month - 1, date);
  // Two passes: the offset at the guess can differ from the offset at the answer across a DST change.
  const first = guess - timeZoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess - timeZoneOffsetMs(new Date(first), timeZone));
}

// A calendar day moved by whole days ("2026-03-08" + 1 = "2026-03-09"), independent of any zone.
export function addDays(day: string, days: number): string {
  const [year = 1970, month = 1, date = 1] = day.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, date) + days * DAY_MS).toISOString().slice(0, 10);
}

// Whole days from one calendar day to another (may be negative).
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

// A source's UTC offset as staff read it: "UTC−05:00", "UTC+05:30", "UTC±00:00".
export function formatUtcOffset(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "offset unknown";
  if (seconds === 0) return "UTC±00:00";
  const sign = seconds < 0 ? "−" : "+";
  const minutes = Math.round(Math.abs(seconds) / 60);
  return `UTC${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

// Building an Intl formatter costs about a hundred times more than formatting with one (the vitals page formats
// hundreds of readings), so each zone's display formatters are built once and kept for the life of the process.
const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();
const zoneNameFormatters = new Map<string, Intl.DateTimeFormat>();
// dateStyle "medium" + timeStyle "short" spelled out, because those styles cannot be combined with timeZoneName:
// one format call gives "Mar 8, 2026, 11:30 PM EDT".
const ZONED_DATE_TIME: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" };

function cachedFormatter(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let formatter = cache.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { ...options, timeZone });
    cache.set(timeZone, formatter);
  }
  return formatter;
}

// Date and time on the patient's wall clock with the zone's abbreviation: "Mar 8, 2026, 11:30 PM EDT".
export function formatZonedDateTime(instant: Date, timeZone: string): string {
  return cachedFormatter(dateTimeFormatters, timeZone, ZONED_DATE_TIME).format(instant);
}

// The zone's short name at that instant ("EST", "EDT", or "GMT-7" where Intl has no abbreviation).
export function zoneAbbreviation(instant: Date, timeZone: string): string {
  const part = cachedFormatter(zoneNameFormatters, timeZone, { timeZoneName: "short" }).formatToParts(instant).find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}
