import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clvFormula } from "../../src/clv/clv-formula.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { Decimal } from "../../src/core/money.js";

// Hand-computed closed forms (exact rational arithmetic): m = 100, r = 0.8, d = 0.1, 1 + d − r = 0.3.
describe("clvFormula variants (Gupta & Lehmann 2003; Berger & Nasr 1998)", () => {
  const base = { margin: 100, retentionRate: 0.8, discountRate: 0.1 };
  it("marginMultiple m·r/(1+d−r) = 80/0.3", () => {
    const r = clvFormula(base);
    expect(r.variant).toBe("marginMultiple");
    expect(r.formula).toBe("m·r/(1+d−r)");
    expect(r.value.equals(new Decimal(80).div(0.3))).toBe(true);
    expect(r.value.toString()).toBe("266.66666666666666667");
    expect(r.multiple.toFixed(6)).toBe("2.666667");
  });
  it("initialMargin m·(1+d)/(1+d−r) = 110/0.3 = m + marginMultiple", () => {
    const r = clvFormula({ ...base, variant: "initialMargin" });
    expect(r.value.equals(new Decimal(110).div(0.3))).toBe(true);
    expect(r.value.minus(100).minus(clvFormula(base).value).abs().lessThan("1e-15")).toBe(true);
  });
  it("firstPeriodCertain m/(1+d−r) = 100/0.3", () => {
    expect(
      clvFormula({ ...base, variant: "firstPeriodCertain" }).value.equals(new Decimal(100).div(0.3)),
    ).toBe(true);
  });
  it("finiteHorizon Σ_{t=1..N} m (r/(1+d))^t: N = 1, 2 by hand; → marginMultiple as N grows", () => {
    expect(clvFormula({ ...base, variant: "finiteHorizon", periods: 0 }).value.toNumber()).toBe(0);
    const one = clvFormula({ ...base, variant: "finiteHorizon", periods: 1 }).value;
    expect(one.minus(new Decimal(80).div(1.1)).abs().lessThan("1e-15")).toBe(true);
    const two = clvFormula({ ...base, variant: "finiteHorizon", periods: 2 }).value;
    expect(
      two
        .minus(new Decimal(80).div(1.1).plus(new Decimal(64).div(1.21)))
        .abs()
        .lessThan("1e-15"),
    ).toBe(true);
    const far = clvFormula({ ...base, variant: "finiteHorizon", periods: 2000 }).value;
    expect(far.minus(clvFormula(base).value).abs().lessThan("1e-12")).toBe(true);
  });
  it("exact decimals from strings; acquisition cost subtracted", () => {
    const r = clvFormula({ margin: "19.99", retentionRate: "0.5", discountRate: "0", acquisitionCost: "5" });
    // 19.99 · 0.5 / 0.5 − 5 = 14.99
    expect(r.value.toString()).toBe("14.99");
  });
  it("r = 1 with d > 0 is finite: m/d (marginMultiple)", () => {
    expect(clvFormula({ margin: 10, retentionRate: 1, discountRate: 0.1 }).value.toNumber()).toBe(100);
  });
  it("value increases with retention and decreases with discounting (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.98, noNaN: true }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.constantFrom(
          "marginMultiple",
          "initialMargin",
          "firstPeriodCertain",
        ) as fc.Arbitrary<"marginMultiple">,
        (r, d, variant) => {
          const v = clvFormula({ margin: 100, retentionRate: r, discountRate: d, variant }).value;
          expect(
            clvFormula({
              margin: 100,
              retentionRate: r + 0.01,
              discountRate: d,
              variant,
            }).value.greaterThanOrEqualTo(v),
          ).toBe(true);
          expect(
            clvFormula({
              margin: 100,
              retentionRate: r,
              discountRate: d + 0.01,
              variant,
            }).value.lessThanOrEqualTo(v),
          ).toBe(true);
          expect(v.isNegative()).toBe(false);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("clvFormula bad input", () => {
  it("rejects out-of-range rates, r = 1 with d = 0, unknown variants, bad periods and money", () => {
    const base = { margin: 100, retentionRate: 0.8, discountRate: 0.1 };
    expect(() => clvFormula({ ...base, retentionRate: 1.2 })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => clvFormula({ ...base, retentionRate: -0.1 })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => clvFormula({ ...base, discountRate: -0.1 })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => clvFormula({ ...base, discountRate: Number.NaN })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => clvFormula({ margin: 1, retentionRate: 1, discountRate: 0 })).toThrow(/infinite/);
    expect(() => clvFormula({ ...base, variant: "simple" as never })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => clvFormula({ ...base, variant: "finiteHorizon" })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => clvFormula({ ...base, variant: "finiteHorizon", periods: 1.5 })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => clvFormula({ ...base, periods: 3 })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => clvFormula({ ...base, margin: "ten" })).toThrow(InvalidInputError);
    expect(() => clvFormula({ ...base, margin: Number.POSITIVE_INFINITY })).toThrow(
      expect.objectContaining({ code: "non_finite_value" }),
    );
  });
});
