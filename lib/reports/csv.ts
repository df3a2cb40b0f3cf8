export type CsvCell = string | number | boolean | null | undefined;

// Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

// One cell, RFC 4180-quoted when needed; text that a spreadsheet would run as a formula is prefixed with "'".
// Numbers we computed are written as they are, so a negative count stays a number.
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// A whole CSV document with CRLF line ends and a byte-order mark, so spreadsheet apps read UTF-8 names correctly.
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
