import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { imeiProblem, imeiSchema, isValidImei, luhnCheckDigit } from "@/lib/vendors/validic/imei";

describe("IMEI validation (15 digits, Luhn check digit)", () => {
  it.each([
    ["490154203237518", true, "valid GSMA example"],
    ["356938035643809", true, "valid"],
    ["000000000000000", true, "all zeros is Luhn-valid"],
    ["490154203237517", false, "wrong check digit"],
    ["490154203273518", false, "two digits transposed"],
    ["123453782873223", false, "vendor-docs sample IMEI fails Luhn"],
    ["111111111111111", false, "vendor-docs disconnect_all sample"],
    ["49015420323751", false, "14 digits"],
    ["4901542032375180", false, "16 digits"],
    ["49015420323751A", false, "letter"],
    ["4901-5420323751", false, "hyphen"],
    [" 490154203237518", false, "leading space"],
    ["", false, "empty"],
  ])("%s → %s (%s)", (value, expected) => {
    expect(isValidImei(value)).toBe(expected);
    expect(imeiSchema.safeParse(value).success).toBe(expected);
  });

  it("explains the problem in words staff can act on", () => {
    expect(imeiProblem("49015420323751")).toMatch(/exactly 15 digits; this one has 14/);
    expect(imeiProblem("49015420323751A")).toMatch(/digits only/);
    expect(imeiProblem("490154203237517")).toMatch(/check digit/);
    expect(imeiSchema.safeParse("490154203237517").error?.issues[0]?.message).toMatch(/check digit/);
  });

  it("accepts every 14-digit body completed with its check digit, and rejects every other last digit", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{14}$/), fc.integer({ min: 1, max: 9 }), (body, shift) => {
        const check = luhnCheckDigit(body);
        expect(isValidImei(`${body}${check}`)).toBe(true);
        expect(isValidImei(`${body}${(check + shift) % 10}`)).toBe(false);
      }),
    );
  });
});
