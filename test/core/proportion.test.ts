/**
 * Proportion intervals against statsmodels 0.13.5
 * `statsmodels.stats.proportion.proportion_confint(count, nobs, alpha=1 - level, method=…)`
 * (values in test/fixtures/core/distributions.json, made by test/fixtures/core/distributions.py).
 * Tolerance: 1e-12 relative, with a 1e-15 absolute floor for bounds at or near 0
 * (measured max relative difference 1.7e-14, Jeffreys lower bound at x = 0, n = 1e5, level 0.999).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { type ProportionCiMethod, proportionInterval } from "../../src/core/proportion.js";

interface Row {
  successes: number;
  n: number;
  level: number;
  method: ProportionCiMethod;
  lower: number;
  upper: number;
}
const rows = (
  JSON.parse(readFileSync(new URL("../fixtures/core/distributions.json", import.meta.url), "utf8")) as {
    proportion: Row[];
  }
).proportion;

const close = (got: number, expected: number): boolean =>
  Math.abs(got - expected) <= 1e-12 * Math.abs(expected) + 1e-15;

describe("matches statsmodels proportion_confint", () => {
  it(`agrees on ${rows.length} (count, nobs, level, method) cases`, () => {
    expect(rows.length).toBeGreaterThan(300);
    for (const r of rows) {
      const ci = proportionInterval(r.successes, r.n, { method: r.method, level: r.level });
      const label = `${r.method} ${r.successes}/${r.n} @${r.level}: got ${JSON.stringify(ci)}, statsmodels [${r.lower}, ${r.upper}]`;
      expect(ci, label).not.toBeNull();
      expect(close(ci!.lower, r.lower), label).toBe(true);
      expect(close(ci!.upper, r.upper), label).toBe(true);
      expect(ci!.level).toBe(r.level);
      expect(ci!.method).toBe(r.method);
    }
  });
  it("uses Wilson at 95% by default and pins the documented example", () => {
    // statsmodels: proportion_confint(5, 10, method="wilson") = (0.2365930905125675, 0.7634069094874325)
    const ci = proportionInterval(5, 10)!;
    expect(ci.method).toBe("wilson");
    expect(ci.level).toBe(0.95);
    expect(close(ci.lower, 0.2365930905125675)).toBe(true);
    expect(close(ci.upper, 0.7634069094874325)).toBe(true);
  });
  it("applies the boundary conventions", () => {
    expect(proportionInterval(0, 10, { method: "clopperPearson" })!.lower).toBe(0);
    expect(proportionInterval(10, 10, { method: "clopperPearson" })!.upper).toBe(1);
    expect(proportionInterval(0, 10, { method: "jeffreys" })!.lower).toBeGreaterThan(0); // no modification
    expect(proportionInterval(0, 10, { method: "wald" })).toMatchObject({ lower: 0, upper: 0 });
    expect(proportionInterval(1, 10, { method: "agrestiCoull" })!.lower).toBe(0); // clipped
  });
  it("returns null when n = 0", () => {
    expect(proportionInterval(0, 0)).toBeNull();
    expect(proportionInterval(0, 0, { method: "clopperPearson", level: 0.9 })).toBeNull();
  });
});

describe("properties", () => {
  const methods: ProportionCiMethod[] = ["wilson", "agrestiCoull", "clopperPearson", "jeffreys", "wald"];
  const input = fc
    .tuple(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([n, u]) => ({ n, x: Math.min(n, Math.floor(u * (n + 1))) }));
  it("bounds lie in [0, 1], are ordered, and contain p̂ where the method guarantees it", () => {
    fc.assert(
      fc.property(
        input,
        fc.constantFrom(...methods),
        fc.double({ min: 0.01, max: 0.999, noNaN: true }),
        ({ n, x }, method, level) => {
          const ci = proportionInterval(x, n, { method, level })!;
          expect(ci.lower).toBeGreaterThanOrEqual(0);
          expect(ci.upper).toBeLessThanOrEqual(1);
          expect(ci.lower).toBeLessThanOrEqual(ci.upper);
          const p = x / n;
          // Jeffreys is equal-tailed without boundary modification: at x = 0 (x = n) it excludes p̂.
          if (method !== "jeffreys" || (x > 0 && x < n)) {
            expect(ci.lower).toBeLessThanOrEqual(p + 1e-15);
            expect(ci.upper).toBeGreaterThanOrEqual(p - 1e-15);
          }
        },
      ),
      { seed: 99, numRuns: 500 },
    );
  });
  it("widens with the level", () => {
    fc.assert(
      fc.property(input, fc.constantFrom(...methods), ({ n, x }, method) => {
        const a = proportionInterval(x, n, { method, level: 0.9 })!;
        const b = proportionInterval(x, n, { method, level: 0.99 })!;
        expect(b.lower).toBeLessThanOrEqual(a.lower + 1e-15);
        expect(b.upper).toBeGreaterThanOrEqual(a.upper - 1e-15);
      }),
      { seed: 100, numRuns: 300 },
    );
  });
});

describe("invalid input", () => {
  const cases: [string, () => unknown, string][] = [
    ["successes > n", () => proportionInterval(11, 10), "out_of_range"],
    ["negative n", () => proportionInterval(0, -1), "out_of_range"],
    ["negative successes", () => proportionInterval(-1, 10), "out_of_range"],
    ["non-integer successes", () => proportionInterval(1.5, 10), "not_an_integer"],
    ["NaN n", () => proportionInterval(1, Number.NaN), "non_finite_value"],
    ["Infinity successes", () => proportionInterval(Number.POSITIVE_INFINITY, 10), "non_finite_value"],
    ["level 1", () => proportionInterval(1, 10, { level: 1 }), "invalid_option"],
    ["level 95", () => proportionInterval(1, 10, { level: 95 }), "invalid_option"],
    ["level NaN", () => proportionInterval(1, 10, { level: Number.NaN }), "invalid_option"],
    [
      "unknown method",
      () => proportionInterval(1, 10, { method: "exact" as ProportionCiMethod }),
      "invalid_option",
    ],
  ];
  for (const [name, f, code] of cases) {
    it(`${name} → ${code}`, () => {
      expect(f).toThrow(InvalidInputError);
      try {
        f();
      } catch (e) {
        expect((e as InvalidInputError).code).toBe(code);
      }
    });
  }
});
