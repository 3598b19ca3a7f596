/**
 * Bad input for the drivers domain: each error code at least once, with the column (and index) named.
 */
import { describe, expect, it } from "vitest";
import { CxMetricsError, InsufficientDataError, type InvalidInputError } from "../../src/core/errors.js";
import { coMomentAccumulator } from "../../src/drivers/co-moments.js";
import { correlation } from "../../src/drivers/correlation.js";
import { correlationMatrix } from "../../src/drivers/correlation-matrix.js";
import { importancePerformance } from "../../src/drivers/importance-performance.js";
import { keyDrivers } from "../../src/drivers/key-drivers.js";

function err(f: () => unknown): CxMetricsError {
  try {
    f();
  } catch (e) {
    if (e instanceof CxMetricsError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

const y = [3, 5, 4, 6, 8, 7, 9, 10];
const a = [1, 2, 2, 3, 5, 4, 6, 6];
const b = [2, 1, 3, 2, 4, 5, 4, 7];

describe("drivers bad input", () => {
  it("length_mismatch names the column", () => {
    const e = err(() => keyDrivers({ outcome: y, drivers: { a, b: b.slice(1) } }));
    expect(e.code).toBe("length_mismatch");
    expect(e.message).toContain('"b"');
    expect(err(() => correlation([1, 2, 3], [1, 2])).code).toBe("length_mismatch");
  });

  it("non_finite_value / invalid_type name column and index", () => {
    const e = err(() =>
      keyDrivers({ outcome: y, drivers: { a, b: [...b.slice(0, 5), Number.NaN, 4, 7] } }),
    ) as InvalidInputError;
    expect(e.code).toBe("non_finite_value");
    expect(e.issues[0]!.index).toBe(5);
    expect(e.issues[0]!.path).toEqual(["b"]);
    expect(e.message).toContain('"b" at index 5');
    const f = err(() =>
      correlationMatrix({ x: Float64Array.of(1, 2, Number.POSITIVE_INFINITY, 4), y: [1, 2, 3, 4] }),
    ) as InvalidInputError;
    expect(f.code).toBe("non_finite_value");
    expect(f.issues[0]!.index).toBe(2);
    expect(err(() => correlation([1, "2" as unknown as number, 3, 4], [1, 2, 3, 4])).code).toBe(
      "invalid_type",
    );
    expect(
      err(() =>
        coMomentAccumulator(["y", "x"]).add(coMomentAccumulator(["y", "x"]).init(), [1, Number.NaN], 3),
      ).code,
    ).toBe("non_finite_value");
  });

  it("missing values: throw by default in correlation, listwise in keyDrivers", () => {
    expect(err(() => correlation([1, null, 3, 4], [1, 2, 3, 4])).code).toBe("missing_value");
    const r = correlation([1, null, 3, 4, 5], [1, 2, 3, 5, 4], { missing: "pairwise" });
    expect(r.n).toBe(4);
    expect(r.excluded.missing).toBe(1);
    const kd = keyDrivers({ outcome: [...y, null], drivers: { a: [...a, 1], b: [...b, 2] } });
    expect(kd.n).toBe(8);
    expect(kd.excluded.missing).toBe(1);
    expect(
      err(() => keyDrivers({ outcome: [...y, null], drivers: { a: [...a, 1] } }, { missing: "throw" })).code,
    ).toBe("missing_value");
    const m = correlationMatrix(
      { p: [1, 2, null, 4, 5], q: [2, 1, 4, 3, 6], r: [1, 3, 2, null, 5] },
      { missing: "pairwise" },
    );
    expect(m.pairs![0]![1]).toBe(4);
    expect(m.pairs![0]![2]).toBe(3);
    expect(
      correlationMatrix({ p: [1, 2, null, 4, 5], q: [2, 1, 4, 3, 6] }, { missing: "listwise" }).excluded
        .missing,
    ).toBe(1);
  });

  it("insufficient_data with fewer than 3 complete rows", () => {
    const e = err(() => keyDrivers({ outcome: [1, 2, null], drivers: { a: [1, 3, 2] } }));
    expect(e).toBeInstanceOf(InsufficientDataError);
    expect(e.code).toBe("insufficient_data");
    expect(err(() => correlation([1, 2], [2, 1])).code).toBe("insufficient_data");
  });

  it("constant_column names the column", () => {
    const e = err(() => keyDrivers({ outcome: y, drivers: { a, flat: [5, 5, 5, 5, 5, 5, 5, 5] } }));
    expect(e.code).toBe("constant_column");
    expect(e.message).toContain('"flat"');
    expect(err(() => correlation([1, 1, 1, 1], [1, 2, 3, 4])).code).toBe("constant_column");
    expect(err(() => correlationMatrix({ u: [1, 2, 3], v: [2, 2, 2] }, { method: "kendall" })).code).toBe(
      "constant_column",
    );
  });

  it("singular_matrix names the collinear drivers", () => {
    const c = a.map((v, i) => 2 * v - b[i]!);
    const e = err(() => keyDrivers({ outcome: y, drivers: { a, b, c, d: [1, 4, 2, 5, 3, 6, 2, 1] } }));
    expect(e.code).toBe("singular_matrix");
    expect(e.message).toContain('"a"');
    expect(e.message).toContain('"b"');
    expect(e.message).toContain('"c"');
    expect(e.message).not.toContain('"d"');
  });

  it("too_many_variables names the alternatives", () => {
    const drivers: Record<string, number[]> = {};
    for (let j = 0; j < 16; j++)
      drivers[`x${j}`] = Array.from({ length: 40 }, (_, i) => Math.sin(i * (j + 1)) + i * 0.01 * j);
    const out = Array.from({ length: 40 }, (_, i) => i % 7);
    const e = err(() => keyDrivers({ outcome: out, drivers }));
    expect(e.code).toBe("too_many_variables");
    expect(e.message).toContain('lmg: "sampled"');
    expect(e.message).toContain("relative weights");
    expect(e.message).toContain("maxExactDrivers");
    // the alternatives work
    expect(
      keyDrivers({ outcome: out, drivers }, { lmg: "sampled", samples: 50 }).drivers[0]!.lmgStdError,
    ).toBeGreaterThan(0);
    expect(keyDrivers({ outcome: out, drivers }, { maxExactDrivers: 16 }).lmgMethod).toBe("exact");
    expect(keyDrivers({ outcome: out, drivers }, { lmg: "none" }).drivers[0]!.lmg).toBeNull();
  });

  it("invalid_option", () => {
    expect(err(() => correlation(a, b, { method: "tau" as "kendall" })).code).toBe("invalid_option");
    expect(err(() => correlation(a, b, { level: 2 })).code).toBe("invalid_option");
    expect(err(() => keyDrivers({ outcome: y, drivers: { a } }, { maxExactDrivers: 40 })).code).toBe(
      "invalid_option",
    );
    expect(err(() => keyDrivers({ outcome: y, drivers: { a } }, { lmg: "approx" as "exact" })).code).toBe(
      "invalid_option",
    );
    expect(
      err(() => importancePerformance({ outcome: y, drivers: { a, b } }, { performance: "topBox" })).code,
    ).toBe("invalid_option");
    expect(err(() => correlationMatrix({ a, b }, { missing: "drop" as "listwise" })).code).toBe(
      "invalid_option",
    );
  });

  it("does not mutate its inputs", () => {
    const yy = [...y];
    const aa = [...a];
    keyDrivers({ outcome: yy, drivers: { a: aa, b } });
    correlation(aa, yy, { method: "spearman" });
    expect(yy).toEqual(y);
    expect(aa).toEqual(a);
  });
});
