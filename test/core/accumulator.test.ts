import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compositeKey, fold, foldState, groupBy, mapInput, mergeStates } from "../../src/core/accumulator.js";
import { momentsAccumulator } from "../../src/core/moments.js";

const sumAcc = {
  init: () => ({ n: 0, s: 0 }),
  add: (st: { n: number; s: number }, x: number) => ({ n: st.n + 1, s: st.s + x }),
  merge: (a: { n: number; s: number }, b: { n: number; s: number }) => ({ n: a.n + b.n, s: a.s + b.s }),
  result: (st: { n: number; s: number }) => st,
};

describe("fold / groupBy", () => {
  it("folds arrays, typed arrays and iterables alike", () => {
    expect(fold([1, 2, 3], sumAcc)).toEqual({ n: 3, s: 6 });
    expect(fold(new Float64Array([1, 2, 3]), sumAcc)).toEqual({ n: 3, s: 6 });
    expect(fold(new Set([1, 2, 3]), sumAcc)).toEqual({ n: 3, s: 6 });
  });

  it("treats prototype-named keys as plain data", () => {
    const rows = [
      { seg: "__proto__", v: 1 },
      { seg: "constructor", v: 2 },
      { seg: "__proto__", v: 3 },
      { seg: "toString", v: 4 },
    ];
    const g = groupBy(
      rows,
      (r) => r.seg,
      mapInput(sumAcc, (r) => r.v),
      { order: "key" },
    );
    expect([...g.keys()]).toEqual(["__proto__", "constructor", "toString"]);
    expect(g.get("__proto__")).toEqual({ n: 2, s: 4 });
    expect(Object.hasOwn(Object.prototype, "v")).toBe(false);
  });

  it("lists requested empty keys", () => {
    const g = groupBy(
      [{ k: "a" }],
      (r) => r.k,
      mapInput(sumAcc, () => 1),
      { keys: ["z", "a"] },
    );
    expect(g.get("z")).toEqual({ n: 0, s: 0 });
  });

  it("composite keys are stable and unambiguous", () => {
    expect(compositeKey("a,b", "c")).not.toBe(compositeKey("a", "b,c"));
  });

  it("merge of parts equals the whole (moments)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true })), fc.nat(), (xs, cut) => {
        const acc = momentsAccumulator();
        const k = xs.length === 0 ? 0 : cut % (xs.length + 1);
        const merged = acc.result(
          mergeStates(acc, [foldState(xs.slice(0, k), acc), foldState(xs.slice(k), acc)]),
        );
        const whole = fold(xs, acc);
        expect(merged.n).toBe(whole.n);
        if (whole.mean !== null)
          expect(Math.abs(merged.mean! - whole.mean)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(whole.mean)));
        if (whole.variance !== null)
          expect(Math.abs(merged.variance! - whole.variance)).toBeLessThanOrEqual(
            1e-7 * (1 + whole.variance),
          );
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("combine", () => {
  it("runs several accumulators in one pass and merges part-wise", async () => {
    const { combine } = await import("../../src/core/accumulator.js");
    const acc = combine({ sum: sumAcc, moments: momentsAccumulator() });
    const xs = [1, 2, 3, 4, 5];
    const whole = fold(xs, acc);
    expect(whole.sum).toEqual({ n: 5, s: 15 });
    expect(whole.moments.mean).toBe(3);
    const merged = acc.result(acc.merge(foldState(xs.slice(0, 2), acc), foldState(xs.slice(2), acc)));
    expect(merged).toEqual(whole);
  });
});
