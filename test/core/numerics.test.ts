import { describe, expect, it } from "vitest";
import { fold } from "../../src/core/accumulator.js";
import { Decimal, toDecimal } from "../../src/core/money.js";
import { momentsAccumulator } from "../../src/core/moments.js";
import { seededRandom } from "../../src/core/random.js";
import { NeumaierSum, fsum } from "../../src/core/sum.js";
import { InvalidInputError } from "../../src/core/errors.js";

describe("compensated sums", () => {
  it("recovers what naive summation loses", () => {
    // Exact answer by construction: 1e100 + 1 - 1e100 = 1.
    const s = new NeumaierSum();
    s.add(1e100).add(1).add(-1e100);
    expect(s.value).toBe(1);
    expect(fsum([0.1, 0.2, 0.3])).toBe(0.6);
    // 10^6 copies of 0.1: math.fsum in Python gives 100000.0 exactly.
    expect(fsum(new Float64Array(1e6).fill(0.1))).toBe(100000);
  });
});

describe("Welford moments", () => {
  it("matches the textbook values and survives a large offset", () => {
    // numpy: np.var([2,4,4,4,5,5,7,9], ddof=1) = 4.571428571428571
    const m = fold([2, 4, 4, 4, 5, 5, 7, 9], momentsAccumulator());
    expect(m.mean).toBe(5);
    expect(Math.abs(m.variance! - 4.571428571428571)).toBeLessThanOrEqual(1e-15);
    const shifted = fold(
      [2, 4, 4, 4, 5, 5, 7, 9].map((x) => x + 1e9),
      momentsAccumulator(),
    );
    expect(Math.abs(shifted.variance! - 4.571428571428571)).toBeLessThanOrEqual(1e-6);
    expect(fold([], momentsAccumulator())).toEqual({
      n: 0,
      mean: null,
      variance: null,
      sd: null,
      min: null,
      max: null,
    });
  });
});

describe("money", () => {
  it("is exact", () => {
    expect(toDecimal(0.1).plus(toDecimal("0.2")).equals(new Decimal("0.3"))).toBe(true);
    expect(toDecimal(" 19.99 ").toString()).toBe("19.99");
  });
  it("rejects non-amounts with index and path", () => {
    expect(() => toDecimal("12,50", { index: 3, path: ["amount"] })).toThrow(InvalidInputError);
    try {
      toDecimal(Number.NaN, { index: 7, path: ["amount"] });
    } catch (e) {
      expect((e as InvalidInputError).issues[0]).toMatchObject({
        index: 7,
        path: ["amount"],
        code: "non_finite_value",
      });
    }
  });
});

describe("seeded random", () => {
  it("is reproducible and uniform-ish", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});
