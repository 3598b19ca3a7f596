/**
 * Properties (fast-check, seeded): merge of parts equals the whole for every survey accumulator,
 * order invariance, bounds, intervals contain the estimate, and the fast paths agree with the
 * accumulator fold.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Accumulator, fold, foldState } from "../../src/core/accumulator.js";
import { ces, cesAccumulator } from "../../src/survey/ces.js";
import { csat, csatAccumulator } from "../../src/survey/csat.js";
import { npsDifference } from "../../src/survey/nps-difference.js";
import { nps, npsAccumulator } from "../../src/survey/nps.js";

const RUNS = { seed: 42, numRuns: 200 };
const npsScores = fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 300 });
const csatScores = fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 300 });
const cesScores = fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 300 });

function mergeParts<S, O>(acc: Accumulator<number, S, O>, values: number[], cuts: number[]): O {
  const points = [...new Set(cuts.map((c) => Math.min(c, values.length)))].sort((a, b) => a - b);
  let state = acc.init();
  let from = 0;
  for (const p of [...points, values.length]) {
    state = acc.merge(state, foldState(values.slice(from, p), acc));
    from = p;
  }
  return acc.result(state);
}

const cases: [string, () => Accumulator<number, unknown, unknown>, fc.Arbitrary<number[]>][] = [
  ["npsAccumulator (wald)", () => npsAccumulator() as never, npsScores],
  ["npsAccumulator (adjustedWald)", () => npsAccumulator({ ci: "adjustedWald" }) as never, npsScores],
  ["csatAccumulator", () => csatAccumulator() as never, csatScores],
  ["cesAccumulator", () => cesAccumulator() as never, cesScores],
];

describe.each(cases)("%s", (_name, make, scores) => {
  it("merge of parts equals the whole (any split, merge(init(), s) = s)", () => {
    fc.assert(
      fc.property(scores, fc.array(fc.nat(300), { maxLength: 4 }), (values, cuts) => {
        const acc = make();
        expect(mergeParts(acc, values, cuts)).toEqual(fold(values, acc));
        const s = foldState(values, acc);
        expect(acc.result(acc.merge(acc.init(), structuredClone(s)))).toEqual(acc.result(s));
      }),
      RUNS,
    );
  });

  it("order invariance", () => {
    fc.assert(
      fc.property(scores, fc.integer(), (values, seed) => {
        const acc = make();
        const shuffled = [...values];
        let x = seed | 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          x = (Math.imul(x, 1103515245) + 12345) | 0;
          const j = (x >>> 0) % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(fold(shuffled, acc)).toEqual(fold(values, acc));
      }),
      RUNS,
    );
  });
});

describe("bounds and intervals", () => {
  it("NPS in [−100, 100], shares sum to 1, Wald and adjusted-Wald intervals contain their centre", () => {
    fc.assert(
      fc.property(npsScores, fc.double({ min: 0.5, max: 0.999, noNaN: true }), (values, level) => {
        const r = nps(values, { level });
        if (values.length === 0) return r.score === null && r.ci === null;
        const s = r.score!;
        const sh = r.shares!;
        const adj = nps(values, { ci: "adjustedWald", level });
        return (
          s >= -100 &&
          s <= 100 &&
          Math.abs(sh.promoters + sh.passives + sh.detractors - 1) < 1e-12 &&
          r.ci!.lower <= s &&
          s <= r.ci!.upper &&
          adj.ci!.lower <= adj.adjusted!.score &&
          adj.adjusted!.score <= adj.ci!.upper &&
          adj.adjusted!.score >= -100 &&
          adj.adjusted!.score <= 100
        );
      }),
      RUNS,
    );
  });

  it("CSAT in [0, 100]; Wilson interval within [0, 100] and contains the score", () => {
    fc.assert(
      fc.property(csatScores, (values) => {
        const r = csat(values);
        if (values.length === 0) return r.score === null && r.ci === null;
        return (
          r.score! >= 0 &&
          r.score! <= 100 &&
          r.ci!.lower >= 0 &&
          r.ci!.upper <= 100 &&
          r.ci!.lower <= r.score! + 1e-9 &&
          r.score! <= r.ci!.upper + 1e-9
        );
      }),
      RUNS,
    );
  });

  it("CES mean within the scale; t interval contains the mean; share easy in [0, 1]", () => {
    fc.assert(
      fc.property(cesScores, (values) => {
        const r = ces(values);
        if (values.length === 0) return r.mean === null;
        const inside = r.ci === null || (r.ci.lower <= r.mean! && r.mean! <= r.ci.upper);
        return r.mean! >= 1 && r.mean! <= 7 && inside && r.shareEasy! >= 0 && r.shareEasy! <= 1;
      }),
      RUNS,
    );
  });

  it("bootstrap interval lies within [−100, 100] and is reproducible", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 60 }),
        fc.integer(),
        (values, seed) => {
          const a = nps(values, { ci: "bootstrap", seed, resamples: 200 });
          const b = nps(values, { ci: "bootstrap", seed, resamples: 200 });
          expect(a.ci).toEqual(b.ci);
          return a.ci!.lower >= -100 && a.ci!.upper <= 100 && a.ci!.lower <= a.ci!.upper;
        },
      ),
      { seed: 42, numRuns: 50 },
    );
  });

  it("npsDifference is antisymmetric and its interval contains the difference", () => {
    fc.assert(
      fc.property(npsScores, npsScores, (a, b) => {
        const ab = npsDifference(a, b);
        const ba = npsDifference(b, a);
        if (a.length === 0 || b.length === 0) return ab.difference === null;
        return (
          ab.difference === -ba.difference! &&
          ab.ci!.lower <= ab.difference! &&
          ab.difference! <= ab.ci!.upper &&
          (ab.pValue === null || (ab.pValue >= 0 && ab.pValue <= 1))
        );
      }),
      RUNS,
    );
  });

  it("fast paths (Uint8Array, Float64Array, plain array) agree with the accumulator fold", () => {
    fc.assert(
      fc.property(npsScores, (values) => {
        const acc = npsAccumulator();
        const expected = fold(values, acc);
        expect(nps(Uint8Array.from(values))).toEqual(expected);
        expect(nps(Float64Array.from(values))).toEqual(expected);
        expect(nps(values)).toEqual(expected);
      }),
      RUNS,
    );
  });
});
