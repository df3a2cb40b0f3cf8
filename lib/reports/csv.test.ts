import { describe, expect, it } from "vitest";

import { csvCell, toCsv } from "@/lib/reports/csv";

describe("CSV cells", () => {
  it.each([
    ["=1+2", "'=1+2"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["\rx", `"'\rx"`],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['say "hi"', '"say ""hi"""'],
    ["a,b", '"a,b"'],
    ["line\nbreak", '"line\nbreak"'],
    ["=a,b", `"'=a,b"`],
    ["plain", "plain"],
    ["", ""],
  ])("escapes %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("writes numbers, booleans and empty values as they are", () => {
    expect([csvCell(-3), csvCell(16), csvCell(1.5), csvCell(Number.NaN), csvCell(true), csvCell(false), csvCell(null), csvCell(undefined)]).toEqual(["-3", "16", "1.5", "", "yes", "no", "", ""]);
  });

  it("joins rows with CRLF after a byte-order mark", () => {
    expect(toCsv(["a", "b"], [[1, "x"]])).toBe("\uFEFFa,b\r\n1,x\r\n");
  });
});
