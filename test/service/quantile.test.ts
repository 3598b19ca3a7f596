/**
 * Exact Hyndman–Fan quantiles, types 1–9. Expected values: fixtures/quantiles.json, made by
 * fixtures/quantiles.py with numpy 2.4 (`numpy.quantile(method=…)`, checked equal to R 4 `quantile(type=)`
 * on the "ties" sample). Tolerance 1e-12 relative (closed forms; allows the last-bit rounding of
 * the interpolation).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import {
  type QuantileMethod,
  QUANTILE_METHODS,
  quantileSorted,
  quantiles,
} from "../../src/service/quantile.js";

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "quantiles.json"), "utf8")) as {
  ps: number[];
  samples: Record<string, { values: number[]; types: Record<string, number[]> }>;
};

const near = (a: number | null, b: number, tol = 1e-12) => {
  expect(a).not.toBeNull();
  expect(Math.abs(a! - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
};

describe("quantiles: Hyndman–Fan types 1–9 against numpy", () => {
  for (const [name, s] of Object.entries(fixture.samples)) {
    for (const t of QUANTILE_METHODS) {
      it(`${name}, type ${t}`, () => {
        const sel = quantiles(s.values, fixture.ps, { method: t });
        const srt = quantiles(s.values, fixture.ps, { method: t, algorithm: "sort" });
        const sorted = [...s.values].sort((a, b) => a - b);
        fixture.ps.forEach((p, k) => {
          near(sel[k]!, s.types[String(t)]![k]!);
          expect(srt[k]).toBe(sel[k]);
          expect(quantileSorted(sorted, p, t)).toBe(sel[k]);
        });
      });
    }
  }
  it("type 7 is the default; the example", () => {
    expect(quantiles([7, 1, 3, 5], [0.5, 0.9])).toEqual([4, 6.4]);
  });
});

describe("quantiles: properties", () => {
  const arr = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 });
  const method = fc.constantFrom<QuantileMethod>(1, 2, 3, 4, 5, 6, 7, 8, 9);

  it("selection equals a full sort; monotone in p; within [min, max]; input untouched", () => {
    fc.assert(
      fc.property(
        arr,
        method,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (xs, t, ps) => {
          const copy = xs.slice();
          const sortedPs = [...ps].sort((a, b) => a - b);
          const a = quantiles(xs, sortedPs, { method: t });
          const b = quantiles(Float64Array.from(xs), sortedPs, { method: t, algorithm: "sort" });
          expect(xs).toEqual(copy);
          expect(a).toEqual(b);
          const lo = Math.min(...xs);
          const hi = Math.max(...xs);
          for (let k = 0; k < a.length; k++) {
            expect(a[k]!).toBeGreaterThanOrEqual(lo);
            expect(a[k]!).toBeLessThanOrEqual(hi);
            if (k > 0) expect(a[k]!).toBeGreaterThanOrEqual(a[k - 1]!);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("large inputs (Floyd–Rivest sampling path) agree with a sort", () => {
    let x = 12345;
    const xs = Float64Array.from({ length: 50_000 }, () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % 1000; // heavy ties
    });
    const ps = [0, 0.001, 0.25, 0.5, 0.9, 0.999, 1];
    for (const t of [1, 3, 7, 8] as const)
      expect(quantiles(xs, ps, { method: t })).toEqual(quantiles(xs, ps, { method: t, algorithm: "sort" }));
  });

  it("order invariance", () => {
    fc.assert(
      fc.property(arr, method, (xs, t) => {
        const rev = xs.slice().reverse();
        expect(quantiles(rev, [0.1, 0.5, 0.9], { method: t })).toEqual(
          quantiles(xs, [0.1, 0.5, 0.9], { method: t }),
        );
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("quantiles: bad input", () => {
  it("empty input gives nulls", () => {
    expect(quantiles([], [0.5, 0.9])).toEqual([null, null]);
    expect(quantileSorted([], 0.5)).toBeNull();
  });
  it("non-finite and mistyped values name the index", () => {
    expect(() => quantiles([1, Number.NaN], [0.5])).toThrow(
      expect.objectContaining({ code: "non_finite_value" }),
    );
    expect(() => quantiles([1, "2" as unknown as number], [0.5])).toThrow(
      expect.objectContaining({ code: "invalid_type", issues: [expect.objectContaining({ index: 1 })] }),
    );
  });
  it("probabilities outside [0, 1] and unknown methods are invalid_option", () => {
    expect(() => quantiles([1], [1.5])).toThrow(InvalidInputError);
    expect(() => quantiles([1], [0.5], { method: 10 as QuantileMethod })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => quantiles([1], "0.5" as unknown as number[])).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
  });
});
