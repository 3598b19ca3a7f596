/**
 * brandAwareness. Wilson score interval checked against the closed form (Wilson 1927):
 *   (p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.959963984540054;
 * for 236/400 R `prop.test(236, 400, correct = FALSE)$conf.int` gives 0.54120… – 0.63739… (same formula).
 * Tolerance 1e-12 absolute.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brandAwareness, brandAwarenessAccumulator } from "../../src/acquisition/brand-awareness.js";
import { fold, foldState, mergeStates } from "../../src/core/accumulator.js";
import type { CxMetricsError } from "../../src/core/errors.js";

function wilson(k: number, n: number, z = 1.959963984540054) {
  const p = k / n;
  const c = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [c - h, c + h];
}

describe("brandAwareness", () => {
  it("shares with Wilson intervals (closed form)", () => {
    const r = brandAwareness({ respondents: 400, unaided: 88, aided: 236, topOfMind: 40 });
    expect(r.n).toBe(400);
    expect(r.aided.share).toBe(0.59);
    expect(r.unaided.share).toBe(0.22);
    expect(r.topOfMind!.share).toBe(0.1);
    expect(r.recallToRecognition).toBe(88 / 236);
    for (const [s, k] of [
      [r.aided, 236],
      [r.unaided, 88],
      [r.topOfMind!, 40],
    ] as const) {
      const [lo, hi] = wilson(k, 400);
      expect(Math.abs(s.ci!.lower - lo!)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(s.ci!.upper - hi!)).toBeLessThanOrEqual(1e-12);
      expect(s.ci!.level).toBe(0.95);
    }
  });

  it("aided asked only of non-recallers is added to unaided", () => {
    const r = brandAwareness({ respondents: 100, unaided: 20, aided: 30 }, { aidedIncludesUnaided: false });
    expect(r.aided.count).toBe(50);
  });

  it("no respondents: null shares with a reason; small samples warn", () => {
    const r = brandAwareness({ respondents: 0, unaided: 0, aided: 0 });
    expect(r).toMatchObject({ n: 0, reason: "no_respondents", recallToRecognition: null, topOfMind: null });
    expect(r.aided).toEqual({ count: 0, share: null, ci: null });
    expect(brandAwareness({ respondents: 10, unaided: 1, aided: 2 }).warnings.map((w) => w.code)).toEqual([
      "small_sample",
    ]);
  });

  it("accumulator over responses: merge of parts equals the whole; unaided ≤ aided", () => {
    const resp = fc.record({ unaided: fc.boolean(), aided: fc.boolean(), topOfMind: fc.boolean() });
    fc.assert(
      fc.property(fc.array(resp, { maxLength: 50 }), fc.nat(), (xs, cut) => {
        const acc = brandAwarenessAccumulator();
        const k = xs.length === 0 ? 0 : cut % (xs.length + 1);
        const merged = acc.result(
          mergeStates(acc, [foldState(xs.slice(0, k), acc), foldState(xs.slice(k), acc)]),
        );
        const whole = fold(xs, acc);
        expect(merged).toEqual(whole);
        expect(whole.unaided.count).toBeLessThanOrEqual(whole.aided.count);
        if (whole.aided.ci) expect(whole.aided.ci.lower).toBeLessThanOrEqual(whole.aided.share!);
      }),
      { seed: 42, numRuns: 200 },
    );
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
    expect(code(() => brandAwareness({ respondents: 10, unaided: 5, aided: 4 }))).toBe("out_of_range");
    expect(code(() => brandAwareness({ respondents: 10, unaided: 5, aided: 11 }))).toBe("out_of_range");
    expect(code(() => brandAwareness({ respondents: 10, unaided: 5, aided: 6, topOfMind: 6 }))).toBe(
      "out_of_range",
    );
    expect(code(() => brandAwareness({ respondents: 10.5, unaided: 5, aided: 6 }))).toBe("not_an_integer");
    expect(code(() => brandAwareness({ respondents: Number.NaN, unaided: 5, aided: 6 }))).toBe(
      "non_finite_value",
    );
    expect(code(() => brandAwareness({ respondents: "10" as unknown as number, unaided: 5, aided: 6 }))).toBe(
      "invalid_type",
    );
    expect(code(() => brandAwareness({ respondents: 10, unaided: 5, aided: 6 }, { level: 2 }))).toBe(
      "invalid_option",
    );
    expect(
      code(() => brandAwareness({ respondents: 10, unaided: 5, aided: 6 }, { method: "bayes" as "wilson" })),
    ).toBe("invalid_option");
    expect(
      code(() => fold([{ unaided: 1 as unknown as boolean, aided: true }], brandAwarenessAccumulator())),
    ).toBe("invalid_type");
  });
});
