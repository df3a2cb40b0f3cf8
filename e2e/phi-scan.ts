// Finds PHI and secrets in captured server output. Pure functions, so the scanner itself is tested on a log that
// does contain a value (e2e/log-scan/scanner.spec.ts): a scan that cannot fail proves nothing.

// One value that must never appear in a log line, and what it is (for the report; the value itself is not reported).
export type SensitiveValue = { kind: string; value: string; isCaseInsensitive?: boolean };

// Where a value was found: the kind, the 1-based line number and the line with the value masked.
export type Leak = { kind: string; line: number; excerpt: string };

// Shorter values (a two-letter first name, a state code) would match ordinary words; longer ones are specific enough.
export const MIN_VALUE_LENGTH = 4;
const MASK = "[LEAKED]";

const isWordCharacter = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}_]/u.test(char);

// Terminal colours (Playwright prefixes each server line with a dimmed "[WebServer] "): removed before scanning, or
// the "m" ending a colour code would count as a letter next to a value at the start of a line.
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g;

// Every occurrence of each value in the log, as a whole word (so "Ann" never matches "Announce").
export function findLeaks(rawLog: string, values: SensitiveValue[]): Leak[] {
  const log = rawLog.replace(ANSI_COLOUR, "");
  const lowered = log.toLowerCase();
  const lineStarts = lineStartOffsets(log);
  const specific = uniqueValues(values);
  const leaks: Leak[] = [];
  for (const { kind, value, isCaseInsensitive } of specific) {
    const haystack = isCaseInsensitive ? lowered : log;
    const needle = isCaseInsensitive ? value.toLowerCase() : value;
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
      if (isWordCharacter(haystack[at - 1]) || isWordCharacter(haystack[at + needle.length])) continue;
      const line = lineIndex(lineStarts, at);
      const text = log.slice(lineStarts[line], (lineStarts[line + 1] ?? log.length + 1) - 1);
      const column = at - (lineStarts[line] ?? 0);
      const excerpt = text.slice(Math.max(0, column - 80), column + needle.length + 80);
      leaks.push({ kind, line: line + 1, excerpt: maskAll(excerpt, specific) });
    }
  }
  return leaks;
}

// The excerpt with every sensitive value in it masked, so a report of one leak does not print another.
function maskAll(text: string, values: SensitiveValue[]): string {
  return values.reduce((masked, { value, isCaseInsensitive }) => {
    if (!isCaseInsensitive) return masked.split(value).join(MASK);
    const pattern = new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
    return masked.replace(pattern, MASK);
  }, text);
}

// Trims, drops values too short to be specific, and keeps one entry per value.
function uniqueValues(values: SensitiveValue[]): SensitiveValue[] {
  const seen = new Map<string, SensitiveValue>();
  for (const entry of values) {
    const value = entry.value.trim();
    if (value.length < MIN_VALUE_LENGTH) continue;
    const key = entry.isCaseInsensitive ? value.toLowerCase() : value;
    if (!seen.has(key)) seen.set(key, { ...entry, value });
  }
  return [...seen.values()];
}

function lineStartOffsets(log: string): number[] {
  const starts = [0];
  for (let at = log.indexOf("\n"); at !== -1; at = log.indexOf("\n", at + 1)) starts.push(at + 1);
  return starts;
}

// The index of the line holding `offset` (binary search over the line starts).
function lineIndex(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

// The forms a phone number takes in text: as stored, and its digits alone (with and without a leading 1).
export function phoneVariants(phone: string): string[] {
  const digits = phone.replace(/\D/g, "");
  const variants = [phone];
  if (digits.length >= 10) variants.push(digits, digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : `1${digits}`);
  return variants;
}
