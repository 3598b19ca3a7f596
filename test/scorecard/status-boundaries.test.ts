import { describe, expect, it } from "vitest";
import { resolveThresholds, statusOf } from "../../src/scorecard/index.js";

describe("computed amber boundaries are free of floating-point noise", () => {
  it("an actual exactly 10 % from the target is amber for every target from 0.01 to 2.00", () => {
    for (let k = 1; k <= 200; k++) {
      const target = k / 100;
      const lower = resolveThresholds({ direction: "lowerIsBetter", target } as never);
      expect(statusOf(lower, Number((target * 1.1).toPrecision(12))), `lowerIsBetter ${target}`).toBe(
        "amber",
      );
      const higher = resolveThresholds({ direction: "higherIsBetter", target } as never);
      expect(statusOf(higher, Number((target * 0.9).toPrecision(12))), `higherIsBetter ${target}`).toBe(
        "amber",
      );
    }
    const range = resolveThresholds({ direction: "inRange", target: { min: 0.3, max: 0.7 } } as never);
    expect(statusOf(range, 0.77)).toBe("amber");
  });
});
