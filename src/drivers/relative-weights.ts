/**
 * Johnson's (2000) relative weights (internal engine; public through {@link keyDrivers}).
 *
 * R_xx = V diag(λ) Vᵀ; Λ = V diag(√λ) Vᵀ (the correlations of the drivers with their closest
 * orthonormal counterparts Z); β_z = Λ⁻¹ r_xy = V diag(1/√λ) Vᵀ r_xy (regression of y on Z);
 * raw_j = Σ_k Λ_jk² β_z,k². Σ_j raw_j = R². Computed by a Jacobi eigen-decomposition.
 *
 * @see J. W. Johnson (2000), "A heuristic method for estimating the relative weight of predictor
 *   variables in multiple regression", Multivariate Behavioral Research 35(1):1–19.
 * @module
 */
import { jacobiEigen } from "./linalg.js";

/** Raw weights (summing to R²) and the pieces they came from. */
export interface RelativeWeightsDetail {
  raw: Float64Array;
  /** Eigenvalues of R_xx, decreasing. */
  eigenvalues: Float64Array;
  /** Λ = R_xx^{1/2}, row-major p×p. */
  lambda: Float64Array;
  /** β_z = Λ⁻¹ r_xy. */
  betaZ: Float64Array;
}

/** Johnson's raw relative weights from the p×p driver correlations `Rxx` and driver–outcome correlations `rxy`. */
export function relativeWeights(
  Rxx: ArrayLike<number>,
  rxy: ArrayLike<number>,
  p: number,
): RelativeWeightsDetail {
  const { values, vectors } = jacobiEigen(Rxx, p);
  const lambda = new Float64Array(p * p);
  // Vᵀ r_xy, then β_z = V diag(1/√λ) Vᵀ r_xy
  const vr = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let s = 0;
    for (let i = 0; i < p; i++) s += vectors[i * p + k]! * rxy[i]!;
    vr[k] = s;
  }
  const betaZ = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const root = Math.sqrt(Math.max(values[k]!, 0));
    const scaled = vr[k]! / root;
    for (let i = 0; i < p; i++) {
      const vik = vectors[i * p + k]!;
      betaZ[i] = betaZ[i]! + vik * scaled;
      for (let j = 0; j < p; j++) lambda[i * p + j] = lambda[i * p + j]! + vik * root * vectors[j * p + k]!;
    }
  }
  const raw = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += lambda[j * p + k]! ** 2 * betaZ[k]! ** 2;
    raw[j] = s;
  }
  return { raw, eigenvalues: values, lambda, betaZ };
}
