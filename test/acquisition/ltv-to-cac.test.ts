import { describe, expect, it } from "vitest";
import { ltvToCacRatio } from "../../src/acquisition/ltv-to-cac.js";
import type { CxMetricsError } from "../../src/core/errors.js";

describe("ltvToCacRatio", () => {
  it("plain ratio and the simple SaaS LTV (hand-computed)", () => {
    expect(ltvToCacRatio({ ltv: 3000, cac: "1000" }).ratio).toBe(3);
    // LTV = 100 × 0.8 / 0.02 = 4000; ratio 4; payback 1000 / 80 = 12.5 months
    const r = ltvToCacRatio({ averageMrr: "100", grossMargin: 0.8, monthlyChurnRate: 0.02, cac: 1000 });
    expect(r.ltv!.toString()).toBe("4000");
    expect(r.ratio).toBe(4);
    expect(r.paybackMonths).toBe(12.5);
    expect(r.reason).toBeNull();
  });

  it("exact decimals: the ratio is the float of the exact quotient", () => {
    expect(ltvToCacRatio({ ltv: "0.3", cac: "0.1" }).ratio).toBe(3); // 0.3/0.1 in float64 is 2.9999999999999996
  });

  it("zero denominators give null with a reason", () => {
    expect(ltvToCacRatio({ ltv: 10, cac: 0 })).toMatchObject({ ratio: null, reason: "zero_cac" });
    expect(ltvToCacRatio({ averageMrr: 100, grossMargin: 0.8, monthlyChurnRate: 0, cac: 10 })).toMatchObject({
      ltv: null,
      ratio: null,
      reason: "zero_churn",
      paybackMonths: 0.125,
    });
    expect(ltvToCacRatio({ averageMrr: 0, grossMargin: 0.8, monthlyChurnRate: 0.1, cac: 10 })).toMatchObject({
      ratio: 0,
      paybackMonths: null,
      reason: "zero_margin_mrr",
    });
  });

  it("bad input", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as CxMetricsError).code;
      }
      return "no error";
    };
    expect(code(() => ltvToCacRatio({ ltv: -1, cac: 1 }))).toBe("out_of_range");
    expect(code(() => ltvToCacRatio({ ltv: "abc", cac: 1 }))).toBe("invalid_type");
    expect(code(() => ltvToCacRatio({ ltv: 1, cac: Number.NaN }))).toBe("non_finite_value");
    expect(
      code(() => ltvToCacRatio({ averageMrr: 1, grossMargin: 1.2, monthlyChurnRate: 0.1, cac: 1 })),
    ).toBe("out_of_range");
    expect(
      code(() =>
        ltvToCacRatio({
          averageMrr: 1,
          grossMargin: 0.5,
          monthlyChurnRate: Number.POSITIVE_INFINITY,
          cac: 1,
        }),
      ),
    ).toBe("non_finite_value");
    expect(code(() => ltvToCacRatio(null as unknown as { ltv: 1; cac: 1 }))).toBe("invalid_type");
  });
});
