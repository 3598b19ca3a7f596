/**
 * Properties of the key-driver statistics (fast-check, seeded): LMG sums to R² and is invariant to
 * the order of the drivers and to affine rescaling of any column; relative weights sum to R²; the
 * co-moment accumulator merged from parts equals the whole and the fast column kernel; exact LMG equals
 * the brute-force Shapley value over all p! orderings; sampled Shapley sums to R² and lands near the
 * exact values; correlations are bounded and symmetric; results never contain NaN.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldState, mergeStates } from "../../src/core/accumulator.js";
import { seededRandom } from "../../src/core/random.js";
import { coMomentAccumulator, coMomentsFromColumns } from "../../src/drivers/co-moments.js";
import { correlation } from "../../src/drivers/correlation.js";
import { keyDrivers, keyDriversFromState } from "../../src/drivers/key-drivers.js";

/** Seeded data: p drivers sharing a common factor, outcome a noisy combination. */
function dataset(seed: number, n: number, p: number): { y: number[]; drivers: Record<string, number[]> } {
  const rnd = seededRandom(seed);
  const f = Array.from({ length: n }, () => rnd());
  const drivers: Record<string, number[]> = {};
  const w = Array.from({ length: p }, () => rnd() * 2 - 0.5);
  const y = Array.from({ length: n }, () => rnd() * 2);
  for (let j = 0; j < p; j++) {
    const x = Array.from({ length: n }, (_, i) => Math.round((f[i]! + rnd()) * 40) / 10);
    x.forEach((v, i) => {
      y[i] = y[i]! + w[j]! * v;
    });
    drivers[`d${j}`] = x;
  }
  return { y, drivers };
}

const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const arb = fc.record({
  seed: fc.integer(),
  n: fc.integer({ min: 12, max: 80 }),
  p: fc.integer({ min: 1, max: 6 }),
});

function hasNaN(x: unknown): boolean {
  if (typeof x === "number") return !Number.isFinite(x);
  if (Array.isArray(x)) return x.some(hasNaN);
  if (x && typeof x === "object") return Object.values(x).some(hasNaN);
  return false;
}

describe("keyDrivers properties", () => {
  it("LMG and relative weights sum to R²; results have no NaN/Infinity", () => {
    fc.assert(
      fc.property(arb, ({ seed, n, p }) => {
        const { y, drivers } = dataset(seed, n, p);
        const kd = keyDrivers({ outcome: y, drivers });
        const lmg = kd.drivers.reduce((s, d) => s + d.lmg!, 0);
        const rw = kd.drivers.reduce((s, d) => s + d.relativeWeight.raw, 0);
        expect(Math.abs(lmg - kd.r2)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(rw - kd.r2)).toBeLessThanOrEqual(1e-12);
        expect(kd.r2).toBeGreaterThanOrEqual(0);
        expect(kd.r2).toBeLessThanOrEqual(1);
        for (const d of kd.drivers) {
          expect(d.lmg!).toBeGreaterThanOrEqual(-1e-15);
          expect(d.relativeWeight.raw).toBeGreaterThanOrEqual(0);
        }
        expect(hasNaN(kd)).toBe(false);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it("LMG is invariant to driver order and to rescaling/shifting any column", () => {
    fc.assert(
      fc.property(
        arb,
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.integer({ min: 0, max: 5 }),
        (a, scale, col) => {
          fc.pre(Math.abs(scale) > 1e-3);
          const { y, drivers } = dataset(a.seed, a.n, a.p);
          const base = keyDrivers({ outcome: y, drivers });
          const names = Object.keys(drivers);
          const reversed: Record<string, number[]> = {};
          for (const k of [...names].reverse()) reversed[k] = drivers[k]!;
          const rev = keyDrivers({ outcome: y, drivers: reversed });
          const target = names[col % names.length]!;
          const scaled = { ...drivers, [target]: drivers[target]!.map((v) => v * scale + 7) };
          const sc = keyDrivers({ outcome: y.map((v) => v * 3 - 1), drivers: scaled });
          for (const d of base.drivers) {
            const r = rev.drivers.find((x) => x.name === d.name)!;
            const s = sc.drivers.find((x) => x.name === d.name)!;
            expect(near(r.lmg!, d.lmg!, 1e-9)).toBe(true);
            expect(near(s.lmg!, d.lmg!, 1e-9)).toBe(true);
            expect(near(s.relativeWeight.raw, d.relativeWeight.raw, 1e-9)).toBe(true);
            expect(r.rank).toBe(d.rank);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("exact LMG equals the Shapley value averaged over all p! orderings (p ≤ 5)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 5 }), (seed, p) => {
        const { y, drivers } = dataset(seed, 40, p);
        const kd = keyDrivers({ outcome: y, drivers }, { subsets: true });
        const r2 = new Map<number, number>([[0, 0]]);
        const names = Object.keys(drivers);
        for (const s of kd.subsetR2!)
          r2.set(
            s.drivers.reduce((m, nm) => m | (1 << names.indexOf(nm)), 0),
            s.r2,
          );
        const shap = new Array<number>(p).fill(0);
        let count = 0;
        const perm = (rest: number[], mask: number): void => {
          if (rest.length === 0) {
            count++;
            return;
          }
          for (const j of rest) {
            const before = count;
            perm(
              rest.filter((x) => x !== j),
              mask | (1 << j),
            );
            shap[j] = shap[j]! + (count - before) * (r2.get(mask | (1 << j))! - r2.get(mask)!);
          }
        };
        perm(
          names.map((_, i) => i),
          0,
        );
        names.forEach((_, j) => {
          expect(Math.abs(shap[j]! / count - kd.drivers[j]!.lmg!)).toBeLessThan(1e-12);
        });
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it("sampled Shapley sums to R² and lies within 5 standard errors of the exact LMG", () => {
    fc.assert(
      fc.property(arb, fc.integer(), ({ seed, n, p }, s2) => {
        const { y, drivers } = dataset(seed, n, p);
        const exact = keyDrivers({ outcome: y, drivers }, { ranks: false });
        const sampled = keyDrivers(
          { outcome: y, drivers },
          { ranks: false, lmg: "sampled", samples: 400, seed: s2 },
        );
        expect(sampled.lmgMethod).toBe("sampled");
        expect(Math.abs(sampled.drivers.reduce((s, d) => s + d.lmg!, 0) - exact.r2)).toBeLessThan(1e-12);
        sampled.drivers.forEach((d, j) => {
          expect(Math.abs(d.lmg! - exact.drivers[j]!.lmg!)).toBeLessThanOrEqual(5 * d.lmgStdError! + 1e-12);
        });
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe("co-moment accumulator", () => {
  it("merged partial states equal the whole, and the column kernel", () => {
    fc.assert(
      fc.property(
        arb,
        fc.array(fc.integer({ min: 0, max: 80 }), { maxLength: 4 }),
        ({ seed, n, p }, cuts) => {
          const { y, drivers } = dataset(seed, n, p);
          const names = ["y", ...Object.keys(drivers)];
          const rows = y.map((v, i) => [v, ...Object.values(drivers).map((c) => c[i]!)]);
          const acc = coMomentAccumulator(names);
          const bounds = [0, ...cuts.map((c) => Math.min(c, n)).sort((a, b) => a - b), n];
          const parts = bounds.slice(1).map((b, i) => foldState(rows.slice(bounds[i]!, b), acc));
          const merged = mergeStates(acc, parts);
          const whole = coMomentsFromColumns({ y, ...drivers });
          expect(merged.n).toBe(whole.n);
          merged.mean.forEach((m, i) => {
            expect(near(m, whole.mean[i]!, 1e-12)).toBe(true);
          });
          const scale = Math.max(...whole.comoment.map(Math.abs));
          merged.comoment.forEach((c, i) => {
            expect(Math.abs(c - whole.comoment[i]!)).toBeLessThanOrEqual(1e-11 * scale);
          });
          const a = keyDriversFromState(merged, { outcome: "y" });
          const b = keyDrivers({ outcome: y, drivers, outcomeName: "y" }, { ranks: false });
          expect(Math.abs(a.r2 - b.r2)).toBeLessThan(1e-10);
          a.drivers.forEach((d, j) => {
            const e = b.drivers[j]!;
            expect(Math.abs(d.lmg! - e.lmg!)).toBeLessThan(1e-10);
            expect(Math.abs(d.relativeWeight.raw - e.relativeWeight.raw)).toBeLessThan(1e-10);
            expect(near(d.coefficient, e.coefficient, 1e-8)).toBe(true);
            expect(Math.abs(d.pearson.r - e.pearson.r)).toBeLessThan(1e-12);
            expect(d.spearman).toBeNull();
          });
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("merge with an empty state is the identity, and merge is commutative", () => {
    const acc = coMomentAccumulator(["a", "b"]);
    const s1 = foldState(
      [
        [1, 2],
        [2, 5],
        [4, 4],
      ],
      acc,
    );
    const s2 = foldState(
      [
        [3, 1],
        [0, 2],
      ],
      acc,
    );
    expect(acc.merge(acc.init(), acc.result(s1))).toEqual(acc.result(s1));
    const ab = acc.merge(acc.result(s1), s2);
    const ba = acc.merge(acc.result(s2), s1);
    ab.comoment.forEach((c, i) => {
      expect(Math.abs(c - ba.comoment[i]!)).toBeLessThan(1e-12);
    });
    expect(JSON.parse(JSON.stringify(ab))).toEqual(ab);
  });

  it("counts rows with a missing value (listwise)", () => {
    const acc = coMomentAccumulator(["a", "b"]);
    const s = foldState(
      [
        [1, 2],
        [null, 5],
        [4, undefined],
        [3, 3],
      ],
      acc,
    );
    expect(s.n).toBe(2);
    expect(s.excluded.missing).toBe(2);
  });
});

describe("correlation properties", () => {
  it("is bounded, symmetric, and p-values are in [0, 1]", () => {
    fc.assert(
      fc.property(arb, fc.constantFrom("pearson", "spearman", "kendall" as const), ({ seed, n }, method) => {
        const { y, drivers } = dataset(seed, n, 1);
        const x = drivers.d0!;
        const a = correlation(x, y, { method });
        const b = correlation(y, x, { method });
        expect(Math.abs(a.r)).toBeLessThanOrEqual(1);
        expect(Math.abs(a.r - b.r)).toBeLessThan(1e-14);
        expect(a.pValue).toBeGreaterThanOrEqual(0);
        expect(a.pValue).toBeLessThanOrEqual(1);
        expect(hasNaN(a)).toBe(false);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
