import { expect, test } from "@playwright/test";

import { findLeaks, MIN_VALUE_LENGTH, phoneVariants, type SensitiveValue } from "../phi-scan";

// The scanner on logs made up here, so it is known to find what it must (and only that) before it clears a real run.
const VALUES: SensitiveValue[] = [
  { kind: "patient name", value: "Maria Ortega" },
  { kind: "MRN", value: "MRN-100042" },
  { kind: "patient email", value: "maria.ortega@example.org", isCaseInsensitive: true },
  { kind: "AUTH_SECRET", value: "s3cr3t-value-that-is-long-enough" },
  ...phoneVariants("5551234567").map((value) => ({ kind: "phone", value })),
  { kind: "patient last name", value: "Ann" },
];

test("finds a patient's name, MRN, email and phone, and a secret, with line numbers, masked", () => {
  const log = [
    '{"level":"info","message":"sync done","count":3}',
    '{"level":"error","message":"enrol failed for Maria Ortega (MRN-100042)"}',
    '[WebServer] token=s3cr3t-value-that-is-long-enough',
    '{"message":"mail to MARIA.ORTEGA@example.org","to":"+1 (555) 123-4567 / 15551234567"}',
    // As Playwright hands server output on: a dimmed prefix, so the value follows a colour code.
    "\u001b[2m[WebServer] \u001b[22mMRN-100042 synced",
  ].join("\n");
  const leaks = findLeaks(log, VALUES);
  expect(leaks.map((l) => [l.kind, l.line])).toEqual([
    ["patient name", 2],
    ["MRN", 2],
    ["MRN", 5],
    ["patient email", 4],
    ["AUTH_SECRET", 3],
    ["phone", 4],
  ]);
  for (const leak of leaks) expect(leak.excerpt).toContain("[LEAKED]");
  expect(leaks.map((l) => l.excerpt).join("\n")).not.toContain("Maria Ortega");
});

test("a clean log, a value inside a longer word, and values too short to be specific are not leaks", () => {
  const log = '{"level":"info","message":"Announce: device reading stored","patientId":"cm123","mrnCount":1}\nMRN-1000421 is another record';
  expect(findLeaks(log, VALUES)).toEqual([]);
  expect(MIN_VALUE_LENGTH).toBeGreaterThan("Ann".length);
});
