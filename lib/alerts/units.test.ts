import { describe, expect, it } from "vitest";

import { canonicalUnit, convertValue, isSameUnit, MG_DL_PER_MMOL_L, unitSpellings } from "@/lib/alerts/units";

describe("units", () => {
  it("compares units case-insensitively (the rules doc writes mg/dl)", () => {
    expect(isSameUnit("mg/dl", "mg/dL")).toBe(true);
    expect(isSameUnit("MMOL/L", "mmol/L")).toBe(true);
    expect(canonicalUnit(" lbs ")).toBe("lb");
    expect(isSameUnit("mg/dL", "mmol/L")).toBe(false);
  });

  it("converts glucose with 1 mmol/L = 18.016 mg/dL, both ways", () => {
    expect(convertValue(10, "mmol/L", "mg/dl")).toBeCloseTo(180.16, 10);
    expect(convertValue(300, "mg/dL", "mmol/l")).toBeCloseTo(300 / MG_DL_PER_MMOL_L, 10);
    expect(convertValue(123, "mg/dl", "mg/dL")).toBe(123);
  });

  it("converts weight and temperature, and refuses unrelated units", () => {
    expect(convertValue(220.462, "lbs", "kg")).toBeCloseTo(100, 2);
    expect(convertValue(100, "kg", "lb")).toBeCloseTo(220.462, 2);
    expect(convertValue(98.6, "°F", "C")).toBeCloseTo(37, 10);
    expect(convertValue(37, "°C", "°F")).toBeCloseTo(98.6, 10);
    expect(convertValue(5, "mmHg", "kg")).toBeNull();
  });

  it("lists every spelling of a unit for matching stored readings", () => {
    expect(unitSpellings("mg/dl")).toEqual(expect.arrayContaining(["mg/dl", "mg/dL"]));
    expect(unitSpellings("kg")).toEqual(expect.arrayContaining(["kg", "kgs"]));
  });
});
