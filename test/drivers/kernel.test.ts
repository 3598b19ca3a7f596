/**
 * The co-moment kernels (src/drivers/_kernel.ts): the WebAssembly SIMD kernel and the JavaScript
 * fallback give the same sums (to 1e-13 of the scale √(S_ii S_jj)) for every column count around the
 * 4×2 tile edges, odd and even row counts, more rows than one wasm chunk, and plain, Float64Array and
 * Int32Array columns; both match a compensated two-pass reference (fsum of the centred products);
 * the generated module is up to date with scripts/build-wasm-comoments.mjs; correlationMatrix takes
 * the typed-array fast path and still names a non-finite value.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it, vi } from "vitest";
import { seededRandom } from "../../src/core/random.js";
import { fsum } from "../../src/core/sum.js";
import {
  columnMeans,
  crossProducts,
  crossProductsJs,
  setKernelEngine,
  sumColumn,
  wasmAvailable,
} from "../../src/drivers/_kernel.js";
import { correlationMatrix } from "../../src/drivers/correlation-matrix.js";

function columns(seed: number, n: number, k: number): Float64Array[] {
  const rnd = seededRandom(seed);
  const f = Float64Array.from({ length: n }, () => rnd());
  return Array.from({ length: k }, (_, j) =>
    Float64Array.from({ length: n }, (_, i) => ((j % 3) - 1) * f[i]! + rnd() + 1000 * j),
  );
}

/** Σ (x − x̄)(y − ȳ) with compensated sums throughout. */
function reference(cols: ArrayLike<number>[], n: number): { mean: Float64Array; C: Float64Array } {
  const k = cols.length;
  const mean = Float64Array.from(cols, (c) => fsum(Array.from({ length: n }, (_, i) => c[i]!)) / n);
  const C = new Float64Array(k * k);
  const d = cols.map((c, j) => Float64Array.from({ length: n }, (_, i) => c[i]! - mean[j]!));
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const v = fsum(Array.from({ length: n }, (_, r) => d[i]![r]! * d[j]![r]!));
      C[i * k + j] = v;
      C[j * k + i] = v;
    }
  }
  return { mean, C };
}

/** Largest |A_ij − B_ij| / √(B_ii B_jj): the error in correlation units. */
function scaledDiff(A: Float64Array, B: Float64Array, k: number): number {
  let worst = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const s = Math.sqrt(B[i * k + i]! * B[j * k + j]!);
      worst = Math.max(worst, Math.abs(A[i * k + j]! - B[i * k + j]!) / s);
    }
  }
  return worst;
}

describe("co-moment kernels", () => {
  it("WebAssembly SIMD is available in this runtime (so both paths are exercised)", () => {
    expect(wasmAvailable()).toBe(true);
  });

  it("wasm and JavaScript kernels agree with a compensated reference, k = 1…10, odd and even n", () => {
    for (let k = 1; k <= 10; k++) {
      for (const n of [2, 3, 7, 128, 129, 2047, 2048, 2049, 5001]) {
        const cols = columns(k * 1000 + n, n, k);
        const ref = reference(cols, n);
        const mean = columnMeans(cols, n);
        for (let c = 0; c < k; c++) {
          expect(Math.abs(mean[c]! - ref.mean[c]!)).toBeLessThanOrEqual(1e-12 * (1000 * c + 1));
        }
        const js = crossProductsJs(cols, n, mean);
        const wasm = crossProducts(cols, n, mean, "wasm");
        expect(scaledDiff(js, ref.C, k)).toBeLessThanOrEqual(1e-13);
        expect(scaledDiff(wasm, ref.C, k)).toBeLessThanOrEqual(1e-13);
        expect(scaledDiff(wasm, js, k)).toBeLessThanOrEqual(1e-13);
      }
    }
  });

  it("agree for 20 and 23 columns over several wasm chunks, for plain, Float64Array and Int32Array columns", () => {
    for (const k of [20, 23]) {
      const n = 10_001;
      const f64 = columns(k, n, k);
      const ref = reference(f64, n);
      const plain = f64.map((c) => Array.from(c));
      for (const cols of [f64, plain]) {
        const mean = columnMeans(cols, n);
        expect(scaledDiff(crossProducts(cols, n, mean, "wasm"), ref.C, k)).toBeLessThanOrEqual(1e-13);
        expect(scaledDiff(crossProductsJs(cols, n, mean), ref.C, k)).toBeLessThanOrEqual(1e-13);
      }
      const ints = f64.map((c) => Int32Array.from(c, (v) => Math.round(v * 100)));
      const mean = columnMeans(ints, n);
      const a = crossProducts(ints, n, mean, "wasm");
      const b = crossProductsJs(ints, n, mean);
      expect(scaledDiff(a, reference(ints, n).C, k)).toBeLessThanOrEqual(1e-13);
      expect(scaledDiff(b, reference(ints, n).C, k)).toBeLessThanOrEqual(1e-13);
    }
  });

  it("a second call after a wider one does not see stale memory (padding columns are cleared)", () => {
    const wide = columns(1, 3000, 11);
    crossProducts(wide, 3000, columnMeans(wide, 3000), "wasm");
    const narrow = columns(2, 3001, 9);
    const mean = columnMeans(narrow, 3001);
    expect(
      scaledDiff(crossProducts(narrow, 3001, mean, "wasm"), reference(narrow, 3001).C, 9),
    ).toBeLessThanOrEqual(1e-13);
  });

  it("sumColumn sums exactly representable values exactly and is non-finite with a NaN or ±Infinity", () => {
    expect(sumColumn(Float64Array.of(1, 2, 3, 4, 5, 6, 7), 7)).toBe(28);
    expect(sumColumn(Float64Array.of(1, 2, Number.NaN), 3)).toBeNaN();
    expect(sumColumn([1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 4, 5], 5)).toBeNaN();
  });

  it("correlationMatrix on typed arrays (fast path) equals the matrix from plain arrays", () => {
    const n = 6000;
    const cols = columns(7, n, 6);
    const typed = Object.fromEntries(cols.map((c, j) => [`c${j}`, c]));
    const plain = Object.fromEntries(cols.map((c, j) => [`c${j}`, Array.from(c)]));
    const a = correlationMatrix(typed);
    const b = correlationMatrix(plain);
    expect(a.n).toBe(n);
    expect(a.variables).toEqual(b.variables);
    for (let i = 0; i < 6; i++) {
      expect(a.matrix[i]![i]).toBe(1);
      for (let j = 0; j < 6; j++) {
        expect(Math.abs(a.matrix[i]![j]! - b.matrix[i]![j]!)).toBeLessThanOrEqual(1e-15);
        expect(a.matrix[i]![j]).toBe(a.matrix[j]![i]);
      }
    }
  });

  it("the typed-array fast path still names a non-finite value's column and index", () => {
    const x = columns(3, 5000, 2);
    x[1]![4321] = Number.NaN;
    expect(() => correlationMatrix({ a: x[0]!, b: x[1]! })).toThrow(/"b" at index 4321/);
  });

  it("correlationMatrix gives the same matrix with either kernel (1e-15)", () => {
    const n = 9001;
    const named = Object.fromEntries(columns(11, n, 20).map((c, j) => [`c${j}`, c]));
    const a = correlationMatrix(named).matrix;
    const previous = setKernelEngine("js");
    let b: number[][];
    try {
      b = correlationMatrix(named).matrix;
    } finally {
      setKernelEngine(previous);
    }
    a.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(Math.abs(v - b[i]![j]!)).toBeLessThanOrEqual(1e-15);
      });
    });
  });

  it("without WebAssembly the JavaScript kernel is used, with the same sums", async () => {
    const n = 5000;
    const cols = columns(5, n, 7);
    const mean = columnMeans(cols, n);
    const withWasm = crossProducts(cols, n, mean);
    vi.stubGlobal("WebAssembly", undefined);
    vi.resetModules();
    try {
      const fresh = await import("../../src/drivers/_kernel.js");
      expect(fresh.wasmAvailable()).toBe(false);
      const without = fresh.crossProducts(cols, n, mean);
      expect(scaledDiff(without, withWasm, 7)).toBeLessThanOrEqual(1e-13);
      expect(() => fresh.crossProducts(cols, n, mean, "wasm")).toThrow(/not available/);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it("src/drivers/_kernel-wasm.ts is what scripts/build-wasm-comoments.mjs generates", () => {
    const out = execFileSync(process.execPath, ["scripts/build-wasm-comoments.mjs", "--check"], {
      env: { ...process.env, WASM_CHUNK: "", WASM_SUB: "", WASM_PAD: "" },
    }).toString();
    expect(out).toMatch(/up to date/);
  });
});
