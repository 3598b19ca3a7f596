/**
 * t-digest (merging variant, k1 scale function) against exact quantiles on seeded random data.
 *
 * Stated tolerance: the rank error |F_n(x̂_p) − p| (distance from p to the rank interval of the
 * estimate among the exact sorted values) is at most tdigestRankErrorBound(p, δ, n) =
 * 2π√(p(1−p))/δ + 1/n, for a digest built in one stream and for digests merged from 10 parts;
 * for δ = 100 also at most 0.005 everywhere (the observed maximum is ≈ 2e-3).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "../../src/core/accumulator.js";
import { seededRandom } from "../../src/core/random.js";
import { quantiles } from "../../src/service/quantile.js";
import {
  tdigest,
  tdigestAccumulator,
  tdigestAdd,
  tdigestCdf,
  tdigestInit,
  tdigestMerge,
  tdigestQuantile,
  tdigestRankErrorBound,
} from "../../src/service/tdigest.js";

function lognormal(n: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  return Float64Array.from({ length: n }, () =>
    Math.exp(1.5 * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())),
  );
}

function rankError(sorted: Float64Array, x: number, p: number): number {
  const n = sorted.length;
  const bound = (strict: boolean) => {
    let a = 0;
    let b = n;
    while (a < b) {
      const m = (a + b) >> 1;
      if (strict ? sorted[m]! < x : sorted[m]! <= x) a = m + 1;
      else b = m;
    }
    return a / n;
  };
  const lo = bound(true);
  const hi = bound(false);
  return p < lo ? lo - p : p > hi ? p - hi : 0;
}

const PS = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];
const N = 100_000;
const data = lognormal(N, 7);
const sorted = data.slice().sort();

describe("t-digest accuracy against exact quantiles (seeded log-normal, n = 100 000)", () => {
  for (const delta of [50, 100, 200]) {
    it(`δ = ${delta}: one stream and 10 merged parts within the stated rank-error bound`, () => {
      const whole = tdigest(data, { compression: delta });
      let merged = tdigestInit(delta);
      for (let k = 0; k < 10; k++)
        merged = tdigestMerge(
          merged,
          tdigest(data.subarray((k * N) / 10, ((k + 1) * N) / 10), { compression: delta }),
        );
      expect(merged.count).toBe(N);
      expect(whole.means.length).toBeLessThanOrEqual(delta);
      for (const p of PS) {
        const bound = tdigestRankErrorBound(p, delta, N);
        expect(rankError(sorted, tdigestQuantile(whole, p)!, p)).toBeLessThanOrEqual(bound);
        expect(rankError(sorted, tdigestQuantile(merged, p)!, p)).toBeLessThanOrEqual(bound);
        if (delta === 100)
          expect(rankError(sorted, tdigestQuantile(whole, p)!, p)).toBeLessThanOrEqual(0.005);
      }
    });
  }

  it("sorted (adversarial-order) input stays within the bound", () => {
    const d = tdigest(sorted, { compression: 100 });
    for (const p of PS)
      expect(rankError(sorted, tdigestQuantile(d, p)!, p)).toBeLessThanOrEqual(
        tdigestRankErrorBound(p, 100, N),
      );
  });

  it("min and max are exact; p = 0 and 1 give them; the CDF inverts the quantile within the bound", () => {
    const d = tdigest(data);
    expect(tdigestQuantile(d, 0)).toBe(sorted[0]);
    expect(tdigestQuantile(d, 1)).toBe(sorted[N - 1]);
    for (const p of [0.1, 0.5, 0.9]) {
      const x = quantiles(sorted, [p])[0]!;
      expect(Math.abs(tdigestCdf(d, x)! - p)).toBeLessThanOrEqual(tdigestRankErrorBound(p, 100, N));
    }
    expect(tdigestCdf(d, -1)).toBe(0);
    expect(tdigestCdf(d, sorted[N - 1]! + 1)).toBe(1);
  });
});

describe("t-digest properties", () => {
  const values = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 3000 });

  it("quantiles are monotone in p and within [min, max]", () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 20, max: 200 }), (xs, delta) => {
        const d = tdigest(xs, { compression: delta });
        let prev = Number.NEGATIVE_INFINITY;
        for (let p = 0; p <= 1.0000001; p += 0.01) {
          const q = tdigestQuantile(d, Math.min(p, 1))!;
          expect(q).toBeGreaterThanOrEqual(prev);
          prev = q;
        }
        expect(tdigestQuantile(d, 0)).toBe(Math.min(...xs));
        expect(tdigestQuantile(d, 1)).toBe(Math.max(...xs));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("merge of parts = digest of the concatenation, within the bound (accumulator, any split, any order)", () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const acc = tdigestAccumulator(50);
        const sa = fold(a, acc).state;
        const sb = fold(b, acc).state;
        const ab = acc.result(acc.merge(structuredClone(sa), sb)).state;
        const ba = acc.result(acc.merge(structuredClone(sb), sa)).state;
        const all = Float64Array.from([...a, ...b]).sort();
        const n = all.length;
        expect(ab.count).toBe(n);
        for (const p of [0.05, 0.25, 0.5, 0.75, 0.95]) {
          const bound = tdigestRankErrorBound(p, 50, n);
          expect(rankError(all, tdigestQuantile(ab, p)!, p)).toBeLessThanOrEqual(bound);
          expect(rankError(all, tdigestQuantile(ba, p)!, p)).toBeLessThanOrEqual(bound);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("small inputs (all singletons) are exact at the data points", () => {
    const d = tdigestInit();
    for (const x of [5, 1, 3]) tdigestAdd(d, x);
    expect(tdigestQuantile(d, 0.5)).toBe(3);
    expect(tdigestQuantile(d, 0)).toBe(1);
    expect(tdigestQuantile(d, 1)).toBe(5);
  });

  it("states are plain JSON; merge with an empty digest is the identity", () => {
    const d = tdigest(lognormal(5000, 1));
    const back = JSON.parse(JSON.stringify(d));
    expect(tdigestQuantile(back, 0.9)).toBe(tdigestQuantile(d, 0.9));
    expect(tdigestQuantile(tdigestMerge(tdigestInit(), d), 0.9)).toBe(tdigestQuantile(d, 0.9));
    expect(tdigestMerge(structuredClone(d), tdigestInit())).toEqual(d);
  });
});

describe("t-digest bad input", () => {
  it("empty digest gives null", () => {
    expect(tdigestQuantile(tdigestInit(), 0.5)).toBeNull();
    expect(tdigestCdf(tdigestInit(), 0)).toBeNull();
    expect(fold([], tdigestAccumulator()).min).toBeNull();
  });
  it("non-finite values name the index; bad compression and p are invalid_option", () => {
    expect(() => tdigest([1, Number.POSITIVE_INFINITY])).toThrow(
      expect.objectContaining({ code: "non_finite_value", issues: [expect.objectContaining({ index: 1 })] }),
    );
    expect(() => fold([1, null as unknown as number], tdigestAccumulator())).toThrow(
      expect.objectContaining({ code: "missing_value" }),
    );
    expect(() => tdigestInit(5)).toThrow(expect.objectContaining({ code: "invalid_option" }));
    expect(() => tdigestQuantile(tdigestInit(), 2)).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
  });
});
