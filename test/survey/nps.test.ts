/**
 * NPS and eNPS: hand-computed values, every input form (Uint8Array SWAR path at every alignment,
 * other typed arrays, plain arrays, iterables, accessors), edge cases, bootstrap reproducibility
 * and every error code. Reference values from survey.json are in reference.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold, foldState } from "../../src/core/accumulator.js";
import { CxMetricsError, InvalidInputError } from "../../src/core/errors.js";
import { enps, enpsAccumulator } from "../../src/survey/enps.js";
import { nps, npsAccumulator } from "../../src/survey/nps.js";

function codeOf(f: () => unknown): { code: string; index: number | null } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    const err = e as InvalidInputError;
    return { code: err.code, index: err.issues[0]?.index ?? null };
  }
  throw new Error("expected a throw");
}

describe("nps", () => {
  it("hand-computed: 2 promoters, 1 passive, 1 detractor → 25 points", () => {
    // p = 1/2, d = 1/4: Var = 0.75 − 0.0625 = 0.6875, SE = 100·√(0.6875/4)
    const r = nps([10, 9, 8, 3]);
    expect(r.score).toBe(25);
    expect([r.n, r.promoters, r.passives, r.detractors]).toEqual([4, 2, 1, 1]);
    expect(r.shares).toEqual({ promoters: 0.5, passives: 0.25, detractors: 0.25 });
    expect(r.variance).toBe(0.6875);
    expect(Math.abs(r.standardError! - 100 * Math.sqrt(0.6875 / 4))).toBeLessThanOrEqual(1e-12);
    expect(r.ci!.method).toBe("wald");
    expect(Math.abs(r.ci!.upper - (25 + 1.959963984540054 * r.standardError!))).toBeLessThanOrEqual(1e-9);
    expect(r.warnings.map((w) => w.code)).toEqual(["small_sample"]);
    expect(r.adjusted).toBeNull();
  });

  it("adjusted Wald adds ¾ promoter, 1½ passive, ¾ detractor (Rocks 2016)", () => {
    const r = nps([10, 10, 10], { ci: "adjustedWald" });
    expect(r.score).toBe(100);
    expect(r.adjusted).toMatchObject({ n: 6, promoters: 3.75, passives: 1.5, detractors: 0.75 });
    expect(Math.abs(r.adjusted!.score - 50)).toBeLessThanOrEqual(1e-12);
    // not degenerate (unlike Wald at p = 1), centred on the adjusted score, not clipped
    expect(r.ci!.upper - r.ci!.lower).toBeGreaterThan(0);
    expect(Math.abs((r.ci!.lower + r.ci!.upper) / 2 - 50)).toBeLessThanOrEqual(1e-9);
  });

  it("all promoters with Wald: degenerate interval and a zero_variance warning", () => {
    const r = nps([9, 10, 9]);
    expect(r.ci).toMatchObject({ lower: 100, upper: 100 });
    expect(r.warnings.map((w) => w.code)).toContain("zero_variance");
  });

  it("empty input → n 0, null score, null ci, never NaN", () => {
    for (const input of [[], new Uint8Array(0), new Float64Array(0), new Set<number>()]) {
      const r = nps(input);
      expect(r).toMatchObject({
        score: null,
        n: 0,
        shares: null,
        standardError: null,
        variance: null,
        ci: null,
      });
      expect(r.warnings).toEqual([]);
    }
    expect(nps([null, undefined], { missing: "omit" })).toMatchObject({
      n: 0,
      score: null,
      excluded: { missing: 2 },
    });
  });

  it("missing: omit skips null/undefined and counts them", () => {
    const r = nps([10, null, 3, undefined, 9], { missing: "omit" });
    expect([r.n, r.score, r.excluded.missing]).toEqual([3, (100 * 1) / 3, 2]);
    const rows = [{ s: 10 }, { s: null }, { s: 0 }];
    expect(nps(rows, (x) => x.s, { missing: "omit" })).toMatchObject({
      n: 2,
      score: 0,
      excluded: { missing: 1 },
    });
  });

  it("every input form gives the same counts", () => {
    const values = Array.from({ length: 1037 }, (_, i) => (i * 7 + (i >> 3)) % 11);
    const expected = nps(values);
    const buf = new Uint8Array(values.length + 8);
    for (let off = 0; off < 8; off++) {
      const view = buf.subarray(off, off + values.length);
      view.set(values);
      expect(nps(view)).toEqual(expected);
    }
    expect(nps(Float64Array.from(values))).toEqual(expected);
    expect(nps(Float32Array.from(values))).toEqual(expected);
    expect(nps(Int16Array.from(values))).toEqual(expected);
    expect(nps(new Set(values).size > 0 ? values[Symbol.iterator]() : [])).toEqual(expected);
    expect(
      nps(
        values.map((v) => ({ v })),
        (r) => r.v,
      ),
    ).toEqual(expected);
    expect(nps(new Set(values.map((v, i) => ({ v, i }))), (r) => r.v)).toEqual(expected);
    expect(fold(values, npsAccumulator())).toEqual(expected);
  });

  it("Uint8Array path agrees with a naive count on random bytes 0–10 (long arrays, all offsets)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ min: 0, max: 10, maxLength: 3000 }),
        fc.integer({ min: 0, max: 3 }),
        (arr, off) => {
          const buf = new Uint8Array(arr.length + off);
          buf.set(arr, off);
          const r = nps(buf.subarray(off));
          let p = 0;
          let d = 0;
          for (const x of arr) {
            if (x >= 9) p++;
            else if (x <= 6) d++;
          }
          return r.promoters === p && r.detractors === d && r.passives === arr.length - p - d;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("Uint8Array path names the index of the first bad byte (inside a SWAR block and in the tail)", () => {
    for (const [len, bad, value] of [
      [5000, 4321, 11],
      [5000, 4999, 200],
      [5000, 0, 128],
      [3, 2, 11],
      [1024, 1023, 255],
    ] as const) {
      const a = new Uint8Array(len).fill(10);
      a[bad] = value;
      expect(codeOf(() => nps(a))).toEqual({ code: "out_of_range", index: bad });
    }
  });

  it("does not mutate its input", () => {
    const values = [10, 3, 8];
    const frozen = Object.freeze([...values]);
    nps(frozen);
    const u8 = Uint8Array.from(values);
    nps(u8);
    expect([...u8]).toEqual(values);
  });

  it("bootstrap: seeded, reproducible, percentile, contains the score for moderate n", () => {
    const values = Array.from({ length: 400 }, (_, i) => (i * 37) % 11);
    const a = nps(values, { ci: "bootstrap", seed: 7 });
    const b = nps(values, { ci: "bootstrap", seed: 7 });
    const c = nps(values, { ci: "bootstrap", seed: 8, resamples: 500 });
    expect(a.ci).toEqual(b.ci);
    expect(a.ci).not.toEqual(c.ci);
    expect(a.ci!.method).toBe("bootstrap");
    expect(a.ci!.lower).toBeLessThan(a.score!);
    expect(a.ci!.upper).toBeGreaterThan(a.score!);
    // close to the Wald interval at this n (within 2 points)
    const w = nps(values);
    expect(Math.abs(a.ci!.lower - w.ci!.lower)).toBeLessThan(2);
    expect(Math.abs(a.ci!.upper - w.ci!.upper)).toBeLessThan(2);
    // default seed is fixed: calls without a seed agree
    expect(nps(values, { ci: "bootstrap" }).ci).toEqual(nps(values, { ci: "bootstrap", seed: 1 }).ci);
  });

  it("level changes the interval width", () => {
    const values = Array.from({ length: 100 }, (_, i) => i % 11);
    const w90 = nps(values, { level: 0.9 }).ci!;
    const w99 = nps(values, { level: 0.99 }).ci!;
    expect(w90.upper - w90.lower).toBeLessThan(w99.upper - w99.lower);
    expect(w90.level).toBe(0.9);
  });

  it("bad values: each error code, naming the index", () => {
    expect(codeOf(() => nps([10, 11]))).toEqual({ code: "out_of_range", index: 1 });
    expect(codeOf(() => nps([10, -1]))).toEqual({ code: "out_of_range", index: 1 });
    expect(codeOf(() => nps([8.5]))).toEqual({ code: "not_an_integer", index: 0 });
    expect(codeOf(() => nps([1, Number.NaN]))).toEqual({ code: "non_finite_value", index: 1 });
    expect(codeOf(() => nps(Float64Array.of(1, 2, Number.POSITIVE_INFINITY)))).toEqual({
      code: "non_finite_value",
      index: 2,
    });
    expect(codeOf(() => nps(Float64Array.of(1, 2.5)))).toEqual({ code: "not_an_integer", index: 1 });
    expect(codeOf(() => nps(Int8Array.of(1, -3)))).toEqual({ code: "out_of_range", index: 1 });
    expect(codeOf(() => nps([1, "9" as unknown as number]))).toEqual({ code: "invalid_type", index: 1 });
    expect(codeOf(() => nps([1, true as unknown as number]))).toEqual({ code: "invalid_type", index: 1 });
    expect(codeOf(() => nps([1, null]))).toEqual({ code: "missing_value", index: 1 });
    expect(codeOf(() => nps([undefined]))).toEqual({ code: "missing_value", index: 0 });
    expect(codeOf(() => nps([{ s: 1 }, { s: 12 }], (r) => r.s))).toEqual({ code: "out_of_range", index: 1 });
    expect(codeOf(() => nps(new Set([1, 2, 13])))).toEqual({ code: "out_of_range", index: 2 });
    expect(() => nps([11])).toThrow(/nps: index 0: value is 11; expected an integer from 0 to 10/);
    expect(() => enps([11])).toThrow(/^enps: /);
  });

  it("bad options → invalid_option", () => {
    const bad: unknown[] = [
      { ci: "exact" },
      { level: 1 },
      { level: 0 },
      { level: Number.NaN },
      { missing: "skip" },
      { seed: Number.NaN },
      { resamples: 10 },
      { resamples: 100.5 },
    ];
    for (const o of bad) {
      expect(codeOf(() => nps([1, 2], o as never)).code).toBe("invalid_option");
      expect(codeOf(() => npsAccumulator(o as never)).code).toBe("invalid_option");
    }
    expect(codeOf(() => nps(5 as never)).code).toBe("invalid_option");
    expect(codeOf(() => nps(5 as never, (x: number) => x)).code).toBe("invalid_option");
    expect(() => nps([1], { ci: "exact" as never })).toThrow(CxMetricsError);
  });

  it("accumulator: merge of states equals the fold of the whole", () => {
    const acc = npsAccumulator({ ci: "adjustedWald" });
    const s = acc.merge(foldState([10, 9, 1], acc), foldState([7, 0], acc));
    expect(acc.result(s)).toEqual(fold([10, 9, 1, 7, 0], acc));
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe("enps", () => {
  it("is the NPS computation with its own name", () => {
    const values = [10, 10, 7, 2, 5];
    expect(enps(values)).toEqual(nps(values));
    expect(enps(values, { ci: "adjustedWald" })).toEqual(nps(values, { ci: "adjustedWald" }));
    expect(enps(values).score).toBe(0);
    expect(fold(values, enpsAccumulator())).toEqual(nps(values));
    expect(
      enps(
        values.map((v) => ({ v })),
        (r) => r.v,
      ),
    ).toEqual(nps(values));
  });
});
