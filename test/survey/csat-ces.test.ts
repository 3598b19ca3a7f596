/**
 * CSAT and CES: hand-computed values, options, edge cases and every error code. Reference values
 * from survey.json (every proportion interval, t intervals) are in reference.test.ts.
 */
import { describe, expect, it } from "vitest";
import { fold, foldState } from "../../src/core/accumulator.js";
import { InvalidInputError } from "../../src/core/errors.js";
import { proportionInterval } from "../../src/core/proportion.js";
import { ces, cesAccumulator } from "../../src/survey/ces.js";
import { csat, csatAccumulator } from "../../src/survey/csat.js";

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

describe("csat", () => {
  it("top-two-box share in percent with a Wilson interval in percent", () => {
    const r = csat([5, 4, 4, 3, 1]);
    expect([r.score, r.share, r.n, r.satisfied, r.satisfiedMin]).toEqual([60, 0.6, 5, 3, 4]);
    const w = proportionInterval(3, 5)!;
    expect(r.ci).toEqual({ lower: 100 * w.lower, upper: 100 * w.upper, level: 0.95, method: "wilson" });
    expect(r.distribution).toEqual([1, 0, 1, 2, 1]);
    expect(r.mean.mean).toBe(3.4);
    // sd² = Σ(x − 3.4)²/4 = (2.56 + 0.16 + 0.36 + 0.36 + 5.76)/4 = 2.3
    expect(Math.abs(r.mean.sd! - Math.sqrt(2.3))).toBeLessThanOrEqual(1e-12);
    expect(r.mean.ci!.method).toBe("t");
    expect(r.warnings.map((w) => w.code)).toEqual(["small_sample"]);
  });

  it("custom scale and threshold; every interval method", () => {
    const values = [10, 9, 8, 7, 1, 10];
    const r = csat(values, {
      scale: { min: 1, max: 10 },
      satisfied: { min: 8 },
      ci: "clopperPearson",
      level: 0.9,
    });
    expect([r.satisfied, r.n]).toEqual([4, 6]);
    expect(r.ci!.method).toBe("clopperPearson");
    expect(r.ci!.level).toBe(0.9);
    for (const m of ["wilson", "agrestiCoull", "clopperPearson", "jeffreys", "wald"] as const) {
      const c = csat(values, { scale: { min: 1, max: 10 }, ci: m });
      expect(c.ci!.method).toBe(m);
      expect(c.ci!.lower).toBeLessThanOrEqual(c.score! + 1e-9);
    }
  });

  it("empty input → n 0, null scores, null intervals", () => {
    const r = csat([]);
    expect(r).toMatchObject({
      score: null,
      share: null,
      n: 0,
      ci: null,
      mean: { mean: null, sd: null, ci: null },
    });
    expect(csat([null], { missing: "omit" })).toMatchObject({ n: 0, score: null, excluded: { missing: 1 } });
  });

  it("n = 1: mean only", () => {
    expect(csat([5]).mean).toEqual({ mean: 5, sd: null, standardError: null, df: null, ci: null });
  });

  it("accessor and accumulator agree", () => {
    const rows = [{ c: 5 }, { c: null }, { c: 2 }];
    const acc = csatAccumulator({ missing: "omit" });
    expect(csat(rows, (r) => r.c, { missing: "omit" })).toEqual(fold([5, null, 2], acc));
    const s = acc.merge(foldState([5], acc), foldState([null, 2], acc));
    expect(acc.result(s)).toEqual(fold([5, null, 2], acc));
  });

  it("bad values and options", () => {
    expect(codeOf(() => csat([5, 6]))).toEqual({ code: "out_of_range", index: 1 });
    expect(codeOf(() => csat([0]))).toEqual({ code: "out_of_range", index: 0 });
    expect(codeOf(() => csat([4.5]))).toEqual({ code: "not_an_integer", index: 0 });
    expect(codeOf(() => csat([Number.NaN]))).toEqual({ code: "non_finite_value", index: 0 });
    expect(codeOf(() => csat(["5" as never]))).toEqual({ code: "invalid_type", index: 0 });
    expect(codeOf(() => csat([4, null]))).toEqual({ code: "missing_value", index: 1 });
    for (const o of [
      { scale: { min: 5, max: 1 } },
      { scale: { min: 1.5, max: 5 } },
      { scale: { min: 0, max: 1000 } },
      { scale: null },
      { satisfied: { min: 6 } },
      { satisfied: { min: 3.5 } },
      { ci: "exact" },
      { level: 2 },
      { missing: "drop" },
    ]) {
      expect(codeOf(() => csat([1], o as never)).code).toBe("invalid_option");
      expect(codeOf(() => csatAccumulator(o as never)).code).toBe("invalid_option");
    }
    expect(codeOf(() => csat(3 as never)).code).toBe("invalid_option");
  });

  it("merging states of different scales is refused", () => {
    const a = csatAccumulator();
    const b = csatAccumulator({ scale: { min: 1, max: 7 } });
    expect(codeOf(() => a.merge(a.init(), b.init())).code).toBe("invalid_option");
  });
});

describe("ces", () => {
  it("mean, sd, t interval and share easy (≥ 5 on 1–7)", () => {
    const r = ces([7, 6, 5, 2]);
    expect([r.score, r.mean, r.n, r.easy, r.easyMin, r.shareEasy]).toEqual([5, 5, 4, 3, 5, 0.75]);
    // sd² = (4 + 1 + 0 + 9)/3
    expect(Math.abs(r.sd! - Math.sqrt(14 / 3))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.standardError! - Math.sqrt(14 / 3) / 2)).toBeLessThanOrEqual(1e-12);
    // t(0.975, 3) = 3.182446305284263
    expect(Math.abs(r.ci!.upper - (5 + 3.182446305284263 * r.standardError!))).toBeLessThanOrEqual(1e-9);
    expect(r.shareEasyCi).toEqual(proportionInterval(3, 4));
    expect(r.distribution).toEqual([0, 1, 0, 0, 1, 1, 1]);
  });

  it("default easy threshold sits above the midpoint; custom scale", () => {
    expect(ces([4, 5], { scale: { min: 1, max: 5 } }).easyMin).toBe(4);
    expect(ces([4, 5], { scale: { min: 1, max: 5 }, easy: { min: 5 } }).easy).toBe(1);
  });

  it("empty and single inputs", () => {
    expect(ces([])).toMatchObject({
      score: null,
      mean: null,
      sd: null,
      ci: null,
      shareEasy: null,
      shareEasyCi: null,
      n: 0,
    });
    expect(ces([6])).toMatchObject({ score: 6, sd: null, standardError: null, ci: null, n: 1 });
  });

  it("accessor, omit and accumulator", () => {
    const rows = [{ e: 7 }, { e: undefined }, { e: 1 }];
    const r = ces(rows, (x) => x.e, { missing: "omit" });
    expect(r).toEqual(fold([7, undefined, 1], cesAccumulator({ missing: "omit" })));
    expect(r.excluded.missing).toBe(1);
  });

  it("bad values and options", () => {
    expect(codeOf(() => ces([8]))).toEqual({ code: "out_of_range", index: 0 });
    expect(codeOf(() => ces([1, 2.2]))).toEqual({ code: "not_an_integer", index: 1 });
    expect(codeOf(() => ces([Number.NEGATIVE_INFINITY]))).toEqual({ code: "non_finite_value", index: 0 });
    expect(codeOf(() => ces([{} as never]))).toEqual({ code: "invalid_type", index: 0 });
    expect(codeOf(() => ces([null]))).toEqual({ code: "missing_value", index: 0 });
    for (const o of [{ easy: { min: 8 } }, { scale: { min: 1 } }, { ci: "normal" }, { level: -0.5 }]) {
      expect(codeOf(() => ces([1], o as never)).code).toBe("invalid_option");
    }
    expect(codeOf(() => ces([1], (() => 1) as never, { missing: "x" } as never)).code).toBe("invalid_option");
  });
});
