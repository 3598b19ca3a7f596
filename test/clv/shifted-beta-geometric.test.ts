import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitShiftedBetaGeometric, shiftedBetaGeometricModel } from "../../src/clv/shifted-beta-geometric.js";
import { InsufficientDataError, InvalidInputError } from "../../src/core/errors.js";
import { describeShared } from "../helpers/shared.js";
import { clvRef, expectRel } from "./cdnow.js";

// Reference: ../shared/reference/clv.json "sbg" (clv_reference.py), data of Fader & Hardie (2007) Table 1.
// Tolerances (clv.json): params 1e-4 relative to the reference optimum, LL 1e-7 relative, closed forms at
// given params 1e-9 relative, predictions at the library's own fit 1e-3 relative, published values to print.
describeShared("fitShiftedBetaGeometric on Fader & Hardie (2007) regular and high-end cohorts", () => {
  for (const seg of ["regular", "high_end"] as const) {
    const ref = clvRef.sbg[seg];
    const cal = (ref.alive_t0_to_t12 as number[]).slice(0, 8);
    const fit = fitShiftedBetaGeometric(cal);

    it(`${seg}: alpha, beta at 1e-4 of the reference optimum, LL at 1e-7, published to 3 decimals`, () => {
      expectRel(fit.params.alpha, ref.fit.params.alpha, 1e-4, 0, "alpha");
      expectRel(fit.params.beta, ref.fit.params.beta, 1e-4, 0, "beta");
      expectRel(fit.logLikelihood, ref.fit.loglik, 1e-7, 0, "LL");
      expect(Math.abs(fit.params.alpha - ref.published.alpha)).toBeLessThanOrEqual(0.0005);
      expect(Math.abs(fit.params.beta - ref.published.beta)).toBeLessThanOrEqual(0.0005);
      expect(fit.n).toBe(1000);
      expect(fit.periods).toBe(7);
      expect(fit.standardErrors!.alpha).toBeGreaterThan(0);
    });

    it(`${seg}: survival and retention for t = 1..12 (closed forms 1e-9 at given params; 1e-3 at own fit)`, () => {
      const mRef = shiftedBetaGeometricModel(ref.fit.params);
      const mPub = shiftedBetaGeometricModel(ref.published);
      for (const row of ref.by_year) {
        expectRel(mRef.survival(row.t), row.survival, 1e-9, 0, `S(${row.t})`);
        expectRel(mRef.retentionRate(row.t), row.retention, 1e-9, 0, `r(${row.t})`);
        expectRel(mPub.survival(row.t), row.survival_at_published_params, 1e-9, 0, `pub S(${row.t})`);
        expectRel(mPub.retentionRate(row.t), row.retention_at_published_params, 1e-9, 0, `pub r(${row.t})`);
        expectRel(fit.survival(row.t), row.survival, 1e-3, 0, `fit S(${row.t})`);
        expectRel(fit.retentionRate(row.t), row.retention, 1e-3, 0, `fit r(${row.t})`);
      }
    });

    it(`${seg}: DERL (n = 1, 5, 8) and DEL at d = 0.10; LL at the published parameters`, () => {
      const mRef = shiftedBetaGeometricModel(ref.fit.params);
      const mPub = shiftedBetaGeometricModel(ref.published);
      for (const d of ref.derl) {
        expectRel(
          mRef.discountedExpectedResidualLifetime(d.d, d.renewals_made),
          d.derl,
          1e-9,
          0,
          `DERL n=${d.n}`,
        );
        expectRel(mRef.discountedExpectedResidualLifetime(d.d, d.renewals_made), d.check_direct_sum, 1e-9);
        expectRel(
          mPub.discountedExpectedResidualLifetime(d.d, d.renewals_made),
          d.derl_at_published_params,
          1e-9,
        );
        expectRel(fit.discountedExpectedResidualLifetime(d.d, d.renewals_made), d.derl, 1e-3);
      }
      expectRel(mRef.discountedExpectedLifetime(0.1), ref.del_d_0_10, 1e-9, 0, "DEL");
      expectRel(mRef.discountedExpectedLifetime(0.1), ref.del_check_1_plus_derl1_over_1_1, 1e-9);
      expectRel(mPub.countsLogLikelihood(cal), ref.loglik_at_published_params, 1e-9, 0, "LL at published");
    });

    it(`${seg}: fitting t = 1..8 gives the reference's comparison fit`, () => {
      const f8 = fitShiftedBetaGeometric((ref.alive_t0_to_t12 as number[]).slice(0, 9));
      expectRel(f8.params.alpha, ref.fit_on_t_1_to_8_for_comparison.alpha, 1e-4);
      expectRel(f8.params.beta, ref.fit_on_t_1_to_8_for_comparison.beta, 1e-4);
    });

    it(`${seg}: churned counts with the cohort size give the same fit`, () => {
      const churned = cal.slice(1).map((v, i) => cal[i]! - v);
      const f = fitShiftedBetaGeometric({ churned, initial: 1000 });
      expectRel(f.params.alpha, fit.params.alpha, 1e-9);
      const g = fitShiftedBetaGeometric({ alive: cal });
      expectRel(g.params.beta, fit.params.beta, 1e-9);
    });
  }
});

describe("sBG properties", () => {
  it("survival decreasing, retention increasing in t, DEL = 1 + DERL(0)/(1+d) (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (alpha, beta, d) => {
          const m = shiftedBetaGeometricModel({ alpha, beta });
          let prevS = 1;
          let prevR = 0;
          for (let t = 1; t <= 10; t++) {
            const s = m.survival(t);
            const r = m.retentionRate(t);
            expect(s).toBeLessThanOrEqual(prevS);
            expect(r).toBeGreaterThanOrEqual(prevR);
            expectRel(s, prevS * r, 1e-12);
            expectRel(m.churnProbability(t), prevS - s, 1e-9, 1e-15);
            prevS = s;
            prevR = r;
          }
          expectRel(
            m.discountedExpectedLifetime(d),
            1 + m.discountedExpectedResidualLifetime(d, 0) / (1 + d),
            1e-12,
          );
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("sBG bad input", () => {
  it("throws InsufficientDataError for too few periods, no churn, everyone churned at once", () => {
    expect(() => fitShiftedBetaGeometric([1000, 600])).toThrow(InsufficientDataError);
    expect(() => fitShiftedBetaGeometric([])).toThrow(expect.objectContaining({ code: "empty_input" }));
    expect(() => fitShiftedBetaGeometric([100, 100, 100])).toThrow(/no customer churned/);
    expect(() => fitShiftedBetaGeometric([100, 0, 0])).toThrow(InsufficientDataError);
  });
  it("rejects increasing, negative and non-finite counts and bad options", () => {
    expect(() => fitShiftedBetaGeometric([100, 80, 90])).toThrow(
      expect.objectContaining({ code: "out_of_range" }),
    );
    expect(() => fitShiftedBetaGeometric([100, -1, 0])).toThrow(InvalidInputError);
    expect(() => fitShiftedBetaGeometric([100, Number.NaN, 0])).toThrow(
      expect.objectContaining({ code: "non_finite_value" }),
    );
    expect(() => fitShiftedBetaGeometric([100, null as never, 0])).toThrow(
      expect.objectContaining({ code: "missing_value" }),
    );
    expect(() => fitShiftedBetaGeometric({ churned: [60, 50], initial: 100 })).toThrow(
      /more customers churned/,
    );
    const m = shiftedBetaGeometricModel({ alpha: 1, beta: 1 });
    expect(() => m.survival(1.5)).toThrow(expect.objectContaining({ code: "not_an_integer" }));
    expect(() => m.retentionRate(0)).toThrow(expect.objectContaining({ code: "out_of_range" }));
    expect(() => m.discountedExpectedResidualLifetime(0)).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => shiftedBetaGeometricModel({ alpha: -1, beta: 1 })).toThrow(InvalidInputError);
  });
});
