/**
 * Small linear algebra: Cholesky, triangular solves, inverse diagonal, Jacobi eigen-decomposition,
 * symmetric square root. Checked against identities (A = LLᵀ, AV = VΛ, VᵀV = I, S² = A) on seeded random
 * symmetric positive definite matrices up to p = 30, and a hand-computed 2×2 case. Tolerance 1e-10 relative.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/core/random.js";
import {
  cholesky,
  choleskySolve,
  inverseDiagonal,
  jacobiEigen,
  symmetricSqrt,
} from "../../src/drivers/linalg.js";

function spd(seed: number, n: number): Float64Array {
  const rnd = seededRandom(seed);
  const B = Array.from({ length: n * n }, () => rnd() - 0.5);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.1 : 0;
      for (let k = 0; k < n; k++) s += B[i * n + k]! * B[j * n + k]!;
      A[i * n + j] = s;
    }
  return A;
}

describe("linalg", () => {
  it("2×2 by hand", () => {
    const { L, failedAt } = cholesky(Float64Array.of(4, 2, 2, 3), 2);
    expect(failedAt).toBe(-1);
    expect(Array.from(L)).toEqual([2, 0, 1, Math.SQRT2]);
    const e = jacobiEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(e.values[0]).toBeCloseTo(3, 14);
    expect(e.values[1]).toBeCloseTo(1, 14);
    for (const v of choleskySolve(L, 2, [6, 5])) expect(Math.abs(v - 1)).toBeLessThan(1e-15);
  });

  it("flags a singular matrix at the dependent column", () => {
    // column 2 = column 0 + column 1
    const A = Float64Array.of(1, 0, 1, 0, 1, 1, 1, 1, 2);
    expect(cholesky(A, 3).failedAt).toBe(2);
  });

  it("A = LLᵀ, A x = b, diag(A⁻¹), AV = VΛ, VᵀV = I, sqrt(A)² = A", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 30 }), (seed, n) => {
        const A = spd(seed, n);
        const scale = Math.max(...Array.from(A, Math.abs));
        const { L, failedAt } = cholesky(A, n);
        expect(failedAt).toBe(-1);
        const b = Array.from({ length: n }, (_, i) => i - n / 2);
        const x = choleskySolve(L, n, b);
        for (let i = 0; i < n; i++) {
          let llt = 0;
          let ax = 0;
          for (let k = 0; k < n; k++) {
            llt += L[i * n + k]! * L[i * n + k]!;
            ax += A[i * n + k]! * x[k]!;
          }
          expect(Math.abs(llt - A[i * n + i]!)).toBeLessThanOrEqual(1e-10 * scale);
          expect(Math.abs(ax - b[i]!)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(b[i]!)));
        }
        // diag(A⁻¹)_j = e_jᵀ A⁻¹ e_j
        const d = inverseDiagonal(L, n);
        for (let j = 0; j < n; j++) {
          const e = new Array<number>(n).fill(0);
          e[j] = 1;
          const col = choleskySolve(L, n, e);
          expect(Math.abs(d[j]! - col[j]!)).toBeLessThanOrEqual(1e-10 * Math.abs(col[j]!));
        }
        const { values, vectors } = jacobiEigen(A, n);
        for (let k = 0; k < n; k++) {
          if (k > 0) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
          for (let i = 0; i < n; i++) {
            let av = 0;
            for (let m = 0; m < n; m++) av += A[i * n + m]! * vectors[m * n + k]!;
            expect(Math.abs(av - values[k]! * vectors[i * n + k]!)).toBeLessThanOrEqual(1e-10 * scale);
          }
          for (let l = 0; l < n; l++) {
            let dot = 0;
            for (let i = 0; i < n; i++) dot += vectors[i * n + k]! * vectors[i * n + l]!;
            expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThanOrEqual(1e-12);
          }
        }
        const S = symmetricSqrt(A, n).sqrt;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let s2 = 0;
            for (let k = 0; k < n; k++) s2 += S[i * n + k]! * S[k * n + j]!;
            expect(Math.abs(s2 - A[i * n + j]!)).toBeLessThanOrEqual(1e-10 * scale);
          }
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
