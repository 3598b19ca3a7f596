/**
 * Small dense linear algebra for symmetric positive (semi-)definite matrices of order p ≤ ~30:
 * Cholesky factorisation with a pivot tolerance, triangular solves, the diagonal of the inverse,
 * and a cyclic Jacobi eigensolver. Matrices are row-major `Float64Array`s of length n·n.
 *
 * Hand-written rather than taken from a library (ml-matrix): the matrices here are correlation
 * matrices of at most a few dozen drivers, the hot path (exact LMG) needs a Schur-complement
 * recursion no library offers, and plain loops over one `Float64Array` avoid the per-element
 * `get(i, j)` calls and array-of-arrays storage of ml-matrix. See docs/drivers.md for the timing.
 *
 * @see G. H. Golub, C. F. Van Loan (2013), *Matrix Computations*, 4th ed., §4.2 (Cholesky), §8.5 (Jacobi).
 * @module
 */

/** Relative pivot tolerance below which a correlation-scale matrix is treated as singular. */
export const SINGULAR_TOLERANCE = 1e-10;

/**
 * Cholesky factor L (lower triangular, row-major) of a symmetric matrix `a` (n×n) such that
 * a = L Lᵀ. Returns `{ L, failedAt: -1 }`, or the index of the first pivot that is not larger than
 * `tolerance · a[j][j]` (the matrix is then singular or not positive definite to working precision).
 * The input is not modified.
 *
 * @example
 * cholesky(Float64Array.of(4, 2, 2, 3), 2).L //=> [2, 0, 1, 1.414…]
 */
export function cholesky(
  a: ArrayLike<number>,
  n: number,
  tolerance = SINGULAR_TOLERANCE,
): { L: Float64Array; failedAt: number } {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    const rowJ = j * n;
    for (let k = 0; k < j; k++) d -= L[rowJ + k]! * L[rowJ + k]!;
    if (!(d > tolerance * Math.abs(a[j * n + j]!)) || !(d > 0)) return { L, failedAt: j };
    const ljj = Math.sqrt(d);
    L[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j]!;
      for (let k = 0; k < j; k++) s -= L[rowI + k]! * L[rowJ + k]!;
      L[rowI + j] = s / ljj;
    }
  }
  return { L, failedAt: -1 };
}

/** Solve L y = b (forward substitution) for lower-triangular row-major L; returns y. */
export function forwardSubstitute(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * y[k]!;
    y[i] = s / L[i * n + i]!;
  }
  return y;
}

/** Solve Lᵀ x = y (back substitution) for lower-triangular row-major L; returns x. */
export function backSubstitute(L: Float64Array, n: number, y: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** Solve A x = b given the Cholesky factor L of A. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return backSubstitute(L, n, forwardSubstitute(L, n, b));
}

/** Diagonal of A⁻¹ from the Cholesky factor L of A: (A⁻¹)_jj = Σ_i (L⁻¹)_ij². */
export function inverseDiagonal(L: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = forwardSubstitute(L, n, e); // column j of L⁻¹
    let s = 0;
    for (let i = j; i < n; i++) s += col[i]! * col[i]!;
    out[j] = s;
  }
  return out;
}

/**
 * Eigen-decomposition of a symmetric matrix by the cyclic Jacobi method. Returns eigenvalues in
 * decreasing order and the eigenvectors as the columns of a row-major n×n matrix
 * (`vectors[i * n + k]` is component i of eigenvector k). Accurate to a few ulps of the largest
 * eigenvalue; converges quadratically, typically in 6–10 sweeps for n ≤ 30.
 *
 * @see C. G. J. Jacobi (1846); Golub & Van Loan (2013) §8.5.2 (cyclic Jacobi).
 * @example
 * jacobiEigen(Float64Array.of(2, 1, 1, 2), 2).values //=> [3, 1]
 */
export function jacobiEigen(
  a: ArrayLike<number>,
  n: number,
  maxSweeps = 100,
): { values: Float64Array; vectors: Float64Array; sweeps: number } {
  const A = Float64Array.from({ length: n * n }, (_, i) => a[i]!);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let sweeps = 0;
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm += A[i]! * A[i]!;
  for (; sweeps < maxSweeps; sweeps++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += A[i * n + j]! * A[i * n + j]!;
    if (off <= 1e-32 * norm || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A' = Jᵀ A J with the rotation in the (p, q) plane.
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[j * n + j]! - A[i * n + i]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = A[src * n + src]!;
    for (let i = 0; i < n; i++) vectors[i * n + k] = V[i * n + src]!;
  });
  return { values, vectors, sweeps };
}

/**
 * Symmetric square root A^{1/2} = V diag(√λ) Vᵀ of a symmetric positive semi-definite matrix,
 * with the eigen-decomposition it came from. Negative eigenvalues from rounding are clipped to 0.
 */
export function symmetricSqrt(
  a: ArrayLike<number>,
  n: number,
): { sqrt: Float64Array; values: Float64Array; vectors: Float64Array } {
  const { values, vectors } = jacobiEigen(a, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const s = Math.sqrt(Math.max(values[k]!, 0));
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k]! * s;
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + vik * vectors[j * n + k]!;
    }
  }
  return { sqrt: out, values, vectors };
}
