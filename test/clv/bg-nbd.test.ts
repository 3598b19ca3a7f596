import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bgNbdExpectedPurchases, bgNbdModel, fitBgNbd } from "../../src/clv/bg-nbd.js";
import { rfmSummary } from "../../src/clv/rfm-summary.js";
import { simulateBgNbd } from "../../src/clv/simulate-bg-nbd.js";
import { ConvergenceError, InsufficientDataError, InvalidInputError } from "../../src/core/errors.js";
import { describeShared } from "../helpers/shared.js";
import { type Json, cdnowPlainSummary, cdnowSummary, cdnowTransactions, clvRef, expectRel } from "./cdnow.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(join(here, "..", "fixtures", "clv", name), "utf8"));

// Tolerances from clv.json "tolerances": fitted params 1e-4 relative to the reference optimum; LL at the
// optimum 1e-7 relative; closed forms at given params 1e-9 relative (or 1e-15 absolute below 1e-6);
// predictions at the library's fitted params 1e-3 relative; published values to their printed precision.
const PARAM_REL = 1e-4;
const LL_REL = 1e-7;
const CLOSED_REL = 1e-9;
const TINY_ABS = 1e-15;
const PRED_REL = 1e-3;

describeShared("fitBgNbd on CDNOW (Fader, Hardie & Lee 2005; reference clv.json)", () => {
  const ref = clvRef.bgnbd;
  const summary = cdnowSummary();
  const fit = fitBgNbd(summary);

  it("reaches the reference optimum: r, alpha, a, b at 1e-4 relative, LL at 1e-7 relative", () => {
    for (const k of ["r", "alpha", "a", "b"] as const)
      expectRel(fit.params[k], ref.fit.params[k], PARAM_REL, 0, k);
    expectRel(fit.logLikelihood, ref.fit.loglik, LL_REL, 0, "LL");
    expect(fit.converged).toBe(true);
    expect(fit.n).toBe(2357);
    expect(fit.distinct).toBeLessThan(2357);
  });

  it("rounds to the published values (r=0.243, alpha=4.414, a=0.793, b=2.426; LL −9582.4)", () => {
    for (const k of ["r", "alpha", "a", "b"] as const) {
      expect(Math.abs(fit.params[k] - ref.published[k]), k).toBeLessThanOrEqual(0.0005);
    }
    expect(Math.abs(fit.logLikelihood - ref.published.loglik)).toBeLessThanOrEqual(0.05);
  });

  it("gives the same fit from cdnow_customers_summary.csv (identical x, t_x, T)", () => {
    const f2 = fitBgNbd(cdnowPlainSummary());
    for (const k of ["r", "alpha", "a", "b"] as const)
      expectRel(f2.params[k], ref.fit.params[k], PARAM_REL, 0, k);
  });

  it("reports finite positive standard errors", () => {
    const se = fit.standardErrors!;
    for (const k of ["r", "alpha", "a", "b"] as const) {
      expect(se[k]).toBeGreaterThan(0);
      expect(se[k]).toBeLessThan(fit.params[k]);
    }
  });

  it("E[X(39)], E[X(78)] at the reference and published parameters (1e-9) and at the library fit (1e-3)", () => {
    for (const [label, p] of [
      ["at_fitted_params", ref.fit.params],
      ["at_published_params", ref.published],
    ] as const) {
      const m = bgNbdModel({ r: p.r, alpha: p.alpha, a: p.a, b: p.b });
      for (const t of ["39", "78"])
        expectRel(
          m.expectedPurchases(Number(t)),
          ref.expected_repeat_purchases_new_customer[label][t],
          CLOSED_REL,
          0,
          `${label} E[X(${t})]`,
        );
    }
    for (const t of ["39", "78"]) {
      expectRel(
        fit.expectedPurchases(Number(t)),
        ref.expected_repeat_purchases_new_customer.at_fitted_params[t],
        PRED_REL,
        0,
        `fit E[X(${t})]`,
      );
      // and the independent checks (quadrature, mpmath) of the same closed form
      expectRel(
        bgNbdModel(ref.fit.params).expectedPurchases(Number(t)),
        ref.check_expected_repeat_purchases[t].mpmath_40_digits,
        CLOSED_REL,
      );
      expectRel(
        bgNbdModel(ref.fit.params).expectedPurchases(Number(t)),
        ref.check_expected_repeat_purchases[t].quadrature,
        CLOSED_REL,
      );
    }
  });

  it("per-customer LL, P(alive) and E[Y(39)|x, t_x, T] for the listed customers", () => {
    const ggKeys = ["loglik_bgnbd", "p_alive", "expected_purchases_next_39_weeks"] as const;
    for (const c of clvRef.cdnow_customers) {
      const cust = { frequency: c.x, recency: c.t_x, T: c.T };
      for (const [label, p] of [
        ["at_fitted_params", ref.fit.params],
        ["at_published_params", ref.published],
      ] as const) {
        const m = bgNbdModel({ r: p.r, alpha: p.alpha, a: p.a, b: p.b });
        const got = {
          loglik_bgnbd: m.customerLogLikelihood(cust),
          p_alive: m.probabilityAlive(cust),
          expected_purchases_next_39_weeks: m.conditionalExpectedPurchases(39, cust),
        };
        for (const k of ggKeys)
          expectRel(got[k], c[label][k], CLOSED_REL, TINY_ABS, `customer ${c.id} ${label} ${k}`);
      }
      // predictions at the library's own fit
      expectRel(
        fit.probabilityAlive(cust),
        c.at_fitted_params.p_alive,
        PRED_REL,
        TINY_ABS,
        `customer ${c.id} fit P(alive)`,
      );
      expectRel(
        fit.conditionalExpectedPurchases(39, cust),
        c.at_fitted_params.expected_purchases_next_39_weeks,
        PRED_REL,
        TINY_ABS,
        `customer ${c.id} fit E[Y]`,
      );
    }
  });

  it("customer 1 matches the paper's spreadsheet at printed precision (LL −9.46, P(alive) 0.73, 1.226)", () => {
    const m = bgNbdModel(ref.published);
    const c1 = { frequency: 2, recency: 30.43, T: 38.86 };
    const s = ref.paper_spreadsheet_values_customer_1;
    expect(Math.abs(m.customerLogLikelihood(c1) - s.loglik)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(m.probabilityAlive(c1) - s.p_alive)).toBeLessThanOrEqual(0.005);
    expect(
      Math.abs(m.conditionalExpectedPurchases(39, c1) - s.expected_purchases_next_39_weeks),
    ).toBeLessThanOrEqual(0.0005);
  });

  it("LL at the published parameters equals the reference (sum of per-customer terms, 1e-9)", () => {
    const m = bgNbdModel(ref.published);
    let ll = 0;
    for (const c of summary) ll += m.customerLogLikelihood(c);
    expectRel(ll, ref.loglik_at_published_params, CLOSED_REL);
  });

  it("fits the exact summary rebuilt from CDNOW_sample.txt like the reference (1e-4)", () => {
    const rows = rfmSummary(cdnowTransactions(), { calibrationEnd: "1997-09-30", timeUnit: "week" });
    const f = fitBgNbd(rows);
    const e = ref.fit_on_exact_summary_from_transactions;
    for (const k of ["r", "alpha", "a", "b"] as const) expectRel(f.params[k], e.params[k], PARAM_REL, 0, k);
    expectRel(f.logLikelihood, e.loglik, LL_REL);
  });

  it("accepts columns and gives the same fit as rows", () => {
    const cols = {
      frequency: Float64Array.from(summary, (r) => r.frequency),
      recency: Float64Array.from(summary, (r) => r.recency),
      T: Float64Array.from(summary, (r) => r.T),
    };
    const f = fitBgNbd(cols);
    for (const k of ["r", "alpha", "a", "b"] as const) expect(f.params[k]).toBe(fit.params[k]);
  });

  it("is invariant to customer order (collapsing identical triples)", () => {
    const reversed = [...summary].reverse();
    const f = fitBgNbd(reversed);
    for (const k of ["r", "alpha", "a", "b"] as const) expectRel(f.params[k], fit.params[k], 1e-9, 0, k);
  });
});

describe("bgNbdExpectedPurchases (Euler-transformed 2F1 series) vs mpmath", () => {
  // test/fixtures/clv/expected_purchases.json, generated by test/fixtures/clv/generate.py (mpmath, 40 digits)
  const cases = fixture("expected_purchases.json").cases as {
    name: string;
    t: number;
    r: number;
    alpha: number;
    a: number;
    b: number;
    expected: number;
  }[];
  it.each(cases.map((c) => [`${c.name} t=${c.t}`, c] as const))("%s", (_, c) => {
    expectRel(bgNbdExpectedPurchases(c.t, c.r, c.alpha, c.a, c.b), c.expected, 1e-11);
  });
  it("is 0 at t = 0 and increasing in t", () => {
    const m = bgNbdModel({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 });
    expect(m.expectedPurchases(0)).toBe(0);
    let prev = 0;
    for (const t of [0.001, 0.1, 1, 10, 100, 1000]) {
      const v = m.expectedPurchases(t);
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
  });
});

describe("BG/NBD properties", () => {
  it("P(alive) in (0, 1], 1 when x = 0; conditional expectation ≥ 0 (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.record({
          r: fc.double({ min: 0.05, max: 5, noNaN: true }),
          alpha: fc.double({ min: 0.1, max: 50, noNaN: true }),
          a: fc.double({ min: 0.05, max: 5, noNaN: true }),
          b: fc.double({ min: 0.05, max: 10, noNaN: true }),
        }),
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        (p, x, frac, T) => {
          const m = bgNbdModel(p);
          const c = { frequency: x, recency: x === 0 ? 0 : frac * T, T };
          const pa = m.probabilityAlive(c);
          expect(pa).toBeGreaterThanOrEqual(0);
          expect(pa).toBeLessThanOrEqual(1);
          if (x === 0) expect(pa).toBe(1);
          const e = m.conditionalExpectedPurchases(10, c);
          expect(Number.isFinite(e) && e >= 0).toBe(true);
          expect(Number.isFinite(m.customerLogLikelihood(c))).toBe(true);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("recovers simulated parameters within 3 standard errors (seeded; 12 data sets of 4000 customers)", () => {
    // Each run is a full fit, so fewer runs than the usual 200.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(
          { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
          { r: 1.2, alpha: 10, a: 1.5, b: 4 },
          { r: 0.5, alpha: 2, a: 0.4, b: 1.5 },
        ),
        (seed, truth) => {
          const sim = simulateBgNbd(truth, { customers: 4000, T: [26, 52], seed });
          const f = fitBgNbd(sim);
          const se = f.standardErrors!;
          for (const k of ["r", "alpha", "a", "b"] as const) {
            expect(
              Math.abs(f.params[k] - truth[k]),
              `${k}: ${f.params[k]} vs ${truth[k]} (se ${se[k]})`,
            ).toBeLessThanOrEqual(3 * se[k]);
          }
        },
      ),
      { seed: 42, numRuns: 12 },
    );
  });

  it("fitting the same data with weights collapsed gives the same optimum as repeated rows", () => {
    const base = [
      { frequency: 0, recency: 0, T: 30 },
      { frequency: 2, recency: 10, T: 30 },
      { frequency: 5, recency: 28, T: 30 },
      { frequency: 1, recency: 3, T: 20 },
      { frequency: 0, recency: 0, T: 20 },
      { frequency: 3, recency: 15, T: 25 },
    ];
    const many = Array.from({ length: 50 }, () => base).flat();
    const f = fitBgNbd(many);
    expect(f.distinct).toBe(6);
    expect(f.n).toBe(300);
    for (const k of ["r", "alpha", "a", "b"] as const) expect(Number.isFinite(f.params[k])).toBe(true);
  });
});

describe("fitBgNbd bad input", () => {
  it("throws InsufficientDataError for no customers, no repeat buyers, identical customers", () => {
    expect(() => fitBgNbd([])).toThrow(InsufficientDataError);
    try {
      fitBgNbd([]);
    } catch (e) {
      expect((e as InsufficientDataError).code).toBe("empty_input");
    }
    const none = Array.from({ length: 10 }, (_, i) => ({ frequency: 0, recency: 0, T: 10 + i }));
    expect(() => fitBgNbd(none)).toThrow(/repeat purchase/);
    try {
      fitBgNbd(none);
    } catch (e) {
      expect((e as InsufficientDataError).code).toBe("insufficient_data");
    }
    const same = Array.from({ length: 10 }, () => ({ frequency: 2, recency: 5, T: 10 }));
    expect(() => fitBgNbd(same)).toThrow(InsufficientDataError);
  });

  it("throws ConvergenceError (iterations, last gradient) when the iteration limit is hit", () => {
    try {
      fitBgNbd(cdnowLike(), { maxIterations: 2 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConvergenceError);
      const ce = e as ConvergenceError;
      expect(ce.code).toBe("did_not_converge");
      expect(ce.iterations).toBe(2);
      expect(ce.lastGradient).toHaveLength(4);
      expect(ce.lastGradient.every(Number.isFinite)).toBe(true);
    }
  });

  it("rejects bad summaries naming index and field", () => {
    const cases: [unknown, string, string][] = [
      [[{ frequency: 1.5, recency: 1, T: 2 }], "not_an_integer", "frequency"],
      [[{ frequency: -1, recency: 0, T: 2 }], "out_of_range", "frequency"],
      [[{ frequency: 1, recency: 3, T: 2 }], "out_of_range", "recency"],
      [[{ frequency: 0, recency: 1, T: 2 }], "out_of_range", "recency"],
      [[{ frequency: 1, recency: 1, T: Number.NaN }], "non_finite_value", "T"],
      [[{ frequency: "1", recency: 1, T: 2 }], "invalid_type", "frequency"],
      [[{ frequency: null, recency: 1, T: 2 }], "missing_value", "frequency"],
    ];
    for (const [input, code, path] of cases) {
      try {
        fitBgNbd(input as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidInputError);
        const ie = e as InvalidInputError;
        expect(ie.issues[0]!.code).toBe(code);
        expect(ie.issues[0]!.index).toBe(0);
        expect(ie.issues[0]!.path).toEqual([path]);
      }
    }
    expect(() => fitBgNbd({ frequency: [1, 2], recency: [1], T: [2, 3] })).toThrow(
      expect.objectContaining({ code: "length_mismatch" }),
    );
    expect(() => fitBgNbd(cdnowLike(), { start: { r: -1 } })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
  });

  it("model rejects bad parameters and t", () => {
    expect(() => bgNbdModel({ r: 0, alpha: 1, a: 1, b: 1 })).toThrow(InvalidInputError);
    const m = bgNbdModel({ r: 1, alpha: 1, a: 1, b: 1 });
    expect(() => m.expectedPurchases(-1)).toThrow(InvalidInputError);
    expect(() => m.expectedPurchases(Number.NaN)).toThrow(InvalidInputError);
  });

  it("does not mutate its input", () => {
    const rows = cdnowLike();
    const copy = JSON.parse(JSON.stringify(rows));
    fitBgNbd(rows);
    expect(rows).toEqual(copy);
  });
});

function cdnowLike() {
  const s = simulateBgNbd(
    { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
    { customers: 500, T: [27, 39], seed: 3, resolution: 1 / 7 },
  );
  return Array.from(s.frequency, (x, i) => ({ frequency: x, recency: s.recency[i]!, T: s.T[i]! }));
}
