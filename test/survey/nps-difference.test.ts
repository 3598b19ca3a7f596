/**
 * npsDifference: hand-computed values, inputs as scores or results, edge cases and errors.
 * Reference values (every segment pair, Wald and adjusted Wald) are in reference.test.ts.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { npsDifference } from "../../src/survey/nps-difference.js";
import { nps } from "../../src/survey/nps.js";

describe("npsDifference", () => {
  it("hand-computed Wald difference", () => {
    const a = [10, 10, 9, 3]; // NPS 50, p = .75, d = .25 → Var = 1 − .25 = .75
    const b = [6, 7, 9, 2]; // NPS −25, p = .25, d = .5 → Var = .75 − .0625 = .6875
    const r = npsDifference(a, b);
    expect(r.difference).toBe(75);
    const se = 100 * Math.sqrt(0.75 / 4 + 0.6875 / 4);
    expect(Math.abs(r.standardError! - se)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.z! - 75 / se)).toBeLessThanOrEqual(1e-12);
    expect(r.pValue!).toBeGreaterThan(0);
    expect(r.pValue!).toBeLessThan(1);
    expect(r.ci!.method).toBe("wald");
    expect(r.warnings.filter((w) => w.code === "small_sample")).toHaveLength(2);
    expect(npsDifference(nps(a), nps(b))).toEqual(r);
    expect(npsDifference(nps(a), b)).toEqual(r);
  });

  it("identical groups: difference 0, p = 1; swapped groups flip the sign", () => {
    const a = [10, 8, 3, 9, 0];
    const r = npsDifference(a, a);
    expect(r.difference).toBe(0);
    expect(r.pValue).toBe(1);
    const b = [10, 10, 1];
    expect(npsDifference(b, a).difference).toBe(-npsDifference(a, b).difference!);
  });

  it("zero standard error: z and p are null, interval degenerate", () => {
    const r = npsDifference([10, 10], [0, 0]);
    expect(r).toMatchObject({ difference: 200, standardError: 0, z: null, pValue: null });
    expect(r.ci).toMatchObject({ lower: 200, upper: 200 });
    const adj = npsDifference([10, 10], [0, 0], { method: "adjustedWald" });
    expect(adj.standardError!).toBeGreaterThan(0);
    expect(adj.ci!.method).toBe("adjustedWald");
  });

  it("an empty group gives nulls and a warning", () => {
    const r = npsDifference([], [10]);
    expect(r).toMatchObject({
      difference: null,
      standardError: null,
      z: null,
      pValue: null,
      ci: null,
      a: { n: 0, score: null },
      b: { n: 1, score: 100 },
    });
    expect(r.warnings.map((w) => w.code)).toContain("empty_group");
    expect(npsDifference([null, 10], [9], { missing: "omit" }).a.n).toBe(1);
  });

  it("bad input and options", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidInputError);
        return (e as InvalidInputError).code;
      }
      return "none";
    };
    expect(code(() => npsDifference([11], [1]))).toBe("out_of_range");
    expect(code(() => npsDifference([1], [null]))).toBe("missing_value");
    expect(code(() => npsDifference([1], [1], { method: "bootstrap" as never }))).toBe("invalid_option");
    expect(code(() => npsDifference([1], [1], { level: 95 }))).toBe("invalid_option");
    expect(code(() => npsDifference([1], [1], { missing: "no" as never }))).toBe("invalid_option");
    expect(code(() => npsDifference({ promoters: -1, passives: 0, detractors: 0 }, [1]))).toBe(
      "invalid_option",
    );
    expect(code(() => npsDifference(7 as never, [1]))).toBe("invalid_option");
  });
});
