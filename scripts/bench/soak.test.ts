import { describe, expect, it } from "vitest";

import { isFlat, type RssTrack } from "@/scripts/bench/soak";

const track = (firstHalfPeakRssMiB: number, secondHalfPeakRssMiB: number): RssTrack => ({
  samples: [],
  startRssMiB: 240,
  endRssMiB: 300,
  peakRssMiB: Math.max(firstHalfPeakRssMiB, secondHalfPeakRssMiB),
  firstHalfPeakRssMiB,
  secondHalfPeakRssMiB,
  secondHalfSlopeMiBPerMinute: 21,
});

describe("the soak's flat-memory check", () => {
  it("calls a sawtooth under the same ceiling flat, whatever its slope, and a ceiling that rises more than 5% a leak", () => {
    expect(isFlat(track(441.3, 435.9))).toBe(true);
    expect(isFlat(track(400, 420))).toBe(true);
    expect(isFlat(track(400, 421))).toBe(false);
  });
});
