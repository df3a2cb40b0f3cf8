// CSV for spreadsheets, safe against formula injection (OWASP "CSV Injection"): a cell that a spreadsheet would
// read as a formula (leading =, +, -, @, tab or carriage return) is prefixed with a single quote, and every cell
// with a quote, comma or line break is quoted.
const FORMULA_START = /^[=+\-@\t\r]/;

// One cell, escaped.
export function csvCell(value: string | number | bigint | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  const raw = value instanceof Date ? value.toISOString() : String(value);
  const text = typeof value === "string" && FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// One CSV line (CRLF, as RFC 4180 asks).
export function csvRow(values: Parameters<typeof csvCell>[0][]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
