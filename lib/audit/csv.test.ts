import { describe, expect, it } from "vitest";

import { csvCell, csvRow } from "@/lib/audit/csv";

describe("audit CSV", () => {
  it.each([
    ["=HYPERLINK(\"http://evil\",\"x\")", `"'=HYPERLINK(""http://evil"",""x"")"`],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\r=1", `"'\r=1"`],
  ])("neutralises a formula: %j → %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("quotes commas, quotes and line breaks, and leaves plain text alone", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("patient.view")).toBe("patient.view");
  });

  it("writes numbers, ids and dates as they are, and empty cells for missing values", () => {
    expect(csvRow([42n, -1, new Date("2026-11-22T08:00:00Z"), null, undefined, true])).toBe("42,-1,2026-11-22T08:00:00.000Z,,,true\r\n");
  });
});
