import { z } from "zod";

// Smart Meter devices are identified by the 15-digit IMEI printed on the back of the device or its packaging.
export const IMEI_LENGTH = 15;

// The Luhn check digit for a string of digits (the IMEI's 15th digit is this, computed over the first 14).
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // Walking from the right, the digit next to the (future) check digit is doubled first.
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

// Why a value is not a usable IMEI, in words staff can act on; null when it is valid.
export function imeiProblem(value: string): string | null {
  if (!/^\d+$/.test(value)) return "An IMEI contains digits only; check the number on the back of the device.";
  if (value.length !== IMEI_LENGTH) return `An IMEI has exactly ${IMEI_LENGTH} digits; this one has ${value.length}.`;
  if (luhnCheckDigit(value.slice(0, -1)) !== Number(value.slice(-1))) {
    return "This IMEI's check digit does not match; a digit was probably mistyped.";
  }
  return null;
}

// True when the value is exactly 15 digits with a valid Luhn check digit.
export function isValidImei(value: string): boolean {
  return imeiProblem(value) === null;
}

// A Smart Meter IMEI, for forms and server actions: 15 digits and a valid Luhn check digit.
export const imeiSchema = z.string().superRefine((value, ctx) => {
  const problem = imeiProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
