import { describe, expect, it } from "vitest";
import { exponentialBackoff } from "@/lib/events/backoff";

describe("reconnect backoff", () => {
  it("doubles from the base, stays under the cap, and spreads retries between half and all of the step", () => {
    const low = exponentialBackoff({ baseMs: 100, capMs: 5_000, random: () => 0 });
    const high = exponentialBackoff({ baseMs: 100, capMs: 5_000, random: () => 0.999999 });
    expect([0, 1, 2, 3].map(low)).toEqual([50, 100, 200, 400]);
    expect([0, 1, 2, 3].map(high)).toEqual([100, 200, 400, 800]);
    expect(low(50)).toBe(2_500);
    expect(high(1_000)).toBe(5_000);
  });
});
