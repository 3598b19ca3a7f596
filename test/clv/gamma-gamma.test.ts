import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitGammaGamma, gammaGammaModel } from "../../src/clv/gamma-gamma.js";
import { rfmSummary } from "../../src/clv/rfm-summary.js";
import { InsufficientDataError, InvalidInputError } from "../../src/core/errors.js";
import { seededRandom } from "../../src/core/random.js";
import { sampleGamma } from "../../src/clv/simulate-bg-nbd.js";
import { describeShared } from "../helpers/shared.js";
import { cdnowSummary, cdnowTransactions, clvRef, expectRel } from "./cdnow.js";

// Reference: ../shared/reference/clv.json "gamma_gamma" (clv_reference.py). Tolerances from its
// "tolerances" block: params 1e-4 relative to the reference optimum, LL 1e-7 relative, closed forms at
// given params 1e-9 relative, predictions at the library's own fit 1e-3; published values (p=6.25,
// q=3.74, v=15.44) at 1e-3 relative when fitting the CSV (its zbar is rounded to cents, which moves v to
// 15.4477 — see gamma_gamma.discrepancy_note), and to printed precision when fitting unrounded zbar.
describeShared("fitGammaGamma on the 946 CDNOW repeat buyers", () => {
  const ref = clvRef.gamma_gamma;
  const summary = cdnowSummary();
  const fit = fitGammaGamma(summary);

  it("p, q, v at 1e-4 of the reference optimum; LL at 1e-7; n = 946", () => {
    for (const k of ["p", "q", "v"] as const) expectRel(fit.params[k], ref.fit.params[k], 1e-4, 0, k);
    expectRel(fit.logLikelihood, ref.fit.loglik, 1e-7, 0, "LL");
    expect(fit.n).toBe(ref.n_customers);
    expect(fit.excluded.noRepeatPurchase).toBe(2357 - 946);
    expect(fit.standardErrors!.p).toBeGreaterThan(0);
  });

  it("published values: p, q to their printed precision (±0.005); v at 1e-3 relative (the CSV exception)", () => {
    // clv.json asks for 1e-3 relative on the CSV, but its own optimum has q 1.2e-3 away from the printed
    // 3.74 (gamma_gamma.fit_relative_diff_from_published.q), so q can only be held to its printed
    // precision; v (15.4477 vs 15.44) is the value the cent rounding moves and gets the 1e-3 exception.
    expect(Math.abs(fit.params.p - ref.published.p)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(fit.params.q - ref.published.q)).toBeLessThanOrEqual(0.005);
    expectRel(fit.params.p, ref.published.p, 1e-3, 0, "p");
    expectRel(fit.params.v, ref.published.v, 1e-3, 0, "v");
    expect(ref.fit_relative_diff_from_published.q).toBeGreaterThan(1e-3);
  });

  it("on unrounded zbar from CDNOW_sample.txt: the reference's exact fit (1e-4) and the published values to print", () => {
    const rows = rfmSummary(cdnowTransactions(), { calibrationEnd: "1997-09-30", timeUnit: "week" });
    const f = fitGammaGamma(rows);
    const e = ref.fit_on_exact_summary_from_transactions;
    for (const k of ["p", "q", "v"] as const) {
      expectRel(f.params[k], e.params[k], 1e-4, 0, k);
      expect(Math.abs(f.params[k] - ref.published[k]), k).toBeLessThanOrEqual(0.005);
    }
    expectRel(f.logLikelihood, e.loglik, 1e-7);
    // Hardie's spreadsheet values for customers 1–10 (printed to cents) need unrounded zbar and that fit
    const byId = new Map(rows.map((r) => [r.customerId, r]));
    for (const c of ref.hardie_spreadsheet_first_10_customers.values) {
      const r = byId.get(c.id)!;
      const v = f.conditionalExpectedValue(r)!;
      expectRel(v, c.unrounded_zbar_at_unrounded_fit, 1e-3, 0, `customer ${c.id}`);
      expect(Math.abs(v - c.published), `customer ${c.id} vs ${c.published}`).toBeLessThanOrEqual(
        0.005 + 1e-9,
      );
    }
  });

  it("conditional expected values for the listed customers (1e-9 at given params, 1e-3 at own fit)", () => {
    const mRef = gammaGammaModel(ref.fit.params);
    const mPub = gammaGammaModel(ref.published);
    for (const c of clvRef.cdnow_customers) {
      const cust = { frequency: c.x, monetaryValue: c.zbar };
      expectRel(
        mRef.conditionalExpectedValue(cust)!,
        c.at_fitted_params.expected_average_transaction_value,
        1e-9,
        0,
        `customer ${c.id}`,
      );
      expectRel(
        mPub.conditionalExpectedValue(cust)!,
        c.at_published_params.expected_average_transaction_value,
        1e-9,
        0,
        `customer ${c.id} pub`,
      );
      expectRel(
        fit.conditionalExpectedValue(cust)!,
        c.at_fitted_params.expected_average_transaction_value,
        1e-3,
      );
    }
    for (const c of ref.hardie_spreadsheet_first_10_customers.values) {
      expectRel(
        mRef.conditionalExpectedValue({ frequency: c.x, monetaryValue: c.zbar })!,
        c.at_fitted_params,
        1e-9,
      );
    }
    expectRel(mRef.populationMeanValue!, ref.population_mean_spend_at_fitted, 1e-9);
  });

  it("LL at the published parameters (sum of customer terms, 1e-9)", () => {
    const m = gammaGammaModel(ref.published);
    let ll = 0;
    for (const c of summary) if (c.frequency > 0) ll += m.customerLogLikelihood(c);
    expectRel(ll, ref.loglik_at_published_params, 1e-9);
  });

  it("reports the frequency–spend correlation (small on CDNOW: no warning)", () => {
    expect(fit.frequencyValueCorrelation).not.toBeNull();
    expect(Math.abs(fit.frequencyValueCorrelation!)).toBeLessThan(0.3);
    expect(fit.warnings.filter((w) => w.code === "assumption_violated")).toEqual([]);
  });
});

describe("Gamma-Gamma properties and assumption check", () => {
  it("expected value lies between the population mean and the customer's mean (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.double({ min: 1.5, max: 20, noNaN: true }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        (p, q, v, x, m) => {
          const g = gammaGammaModel({ p, q, v });
          const e = g.conditionalExpectedValue({ frequency: x, monetaryValue: m })!;
          const lo = Math.min(g.populationMeanValue!, m);
          const hi = Math.max(g.populationMeanValue!, m);
          expect(e).toBeGreaterThanOrEqual(lo * (1 - 1e-12));
          expect(e).toBeLessThanOrEqual(hi * (1 + 1e-12));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("recovers simulated parameters within 3 standard errors and warns when spend tracks frequency", () => {
    const rnd = seededRandom(9);
    const truth = { p: 6, q: 4, v: 15 };
    const rows = Array.from({ length: 3000 }, () => {
      const x = 1 + Math.floor(rnd() * 10);
      const nu = sampleGamma(rnd, truth.q) / truth.v;
      let s = 0;
      for (let k = 0; k < x; k++) s += sampleGamma(rnd, truth.p) / nu;
      return { frequency: x, recency: 1, T: 2, monetaryValue: s / x };
    });
    const f = fitGammaGamma(rows);
    for (const k of ["p", "q", "v"] as const)
      expect(Math.abs(f.params[k] - truth[k]), k).toBeLessThanOrEqual(3 * f.standardErrors![k]);
    const biased = rows.map((r) => ({ ...r, monetaryValue: r.monetaryValue * r.frequency }));
    const fb = fitGammaGamma(biased);
    expect(fb.warnings.some((w) => w.code === "assumption_violated")).toBe(true);
  });
});

describe("fitGammaGamma bad input", () => {
  it("needs repeat buyers with different spend", () => {
    expect(() => fitGammaGamma([])).toThrow(expect.objectContaining({ code: "empty_input" }));
    expect(() => fitGammaGamma([{ frequency: 0, recency: 0, T: 3, monetaryValue: 0 }])).toThrow(
      InsufficientDataError,
    );
    const same = Array.from({ length: 5 }, () => ({ frequency: 2, recency: 1, T: 3, monetaryValue: 10 }));
    expect(() => fitGammaGamma(same)).toThrow(InsufficientDataError);
  });
  it("rejects non-positive or missing spend of repeat buyers, naming the index", () => {
    try {
      fitGammaGamma([
        { frequency: 1, recency: 1, T: 3, monetaryValue: 10 },
        { frequency: 2, recency: 1, T: 3, monetaryValue: 0 },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).issues[0]).toMatchObject({
        index: 1,
        path: ["monetaryValue"],
        code: "out_of_range",
      });
    }
    expect(() => fitGammaGamma([{ frequency: 1, recency: 1, T: 3 }])).toThrow(
      expect.objectContaining({ code: "missing_value" }),
    );
    expect(() => gammaGammaModel({ p: 1, q: 0, v: 1 })).toThrow(InvalidInputError);
    expect(
      gammaGammaModel({ p: 1, q: 0.5, v: 1 }).conditionalExpectedValue({ frequency: 0, monetaryValue: 0 }),
    ).toBeNull();
  });
});
