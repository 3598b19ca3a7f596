import { describe, expect, it } from "vitest";
import { ConvergenceError } from "../../src/core/errors.js";
import { bgNbdModel } from "../../src/clv/index.js";

describe("BG/NBD at a concentrated dropout distribution (a, b ≫ 1)", () => {
  it("throws ConvergenceError quickly instead of returning NaN or looping", () => {
    const m = bgNbdModel({ r: 0.5, alpha: 5, a: 1e10, b: 1e11 });
    const t0 = performance.now();
    expect(() => m.expectedPurchases(39)).toThrow(ConvergenceError);
    expect(() => m.conditionalExpectedPurchases(39, { frequency: 3, recency: 20, T: 40 })).toThrow(
      ConvergenceError,
    );
    expect(performance.now() - t0).toBeLessThan(2000);
    // P(alive) has a closed form and stays finite
    expect(Number.isFinite(m.probabilityAlive({ frequency: 3, recency: 20, T: 40 }))).toBe(true);
  });
});
