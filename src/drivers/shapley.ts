/**
 * LMG (Lindeman, Merenda & Gold 1980) = the Shapley value of R² over the drivers, exactly by
 * enumerating all 2^p driver subsets, or estimated by sampling orderings (internal engine; the
 * public entry point is {@link keyDrivers}).
 *
 * Subset R² values come from the correlation matrix alone: R²(S) = r_Sy' R_SS⁻¹ r_Sy. They are
 * enumerated depth-first, each child S ∪ {j} (j above every member of S) from its parent by one
 * Schur-complement (Gaussian elimination) step on the partial-covariance matrix of the remaining
 * candidates: R²(S ∪ {j}) = R²(S) + c_jy² / c_jj, and c_ab ← c_ab − c_aj c_jb / c_jj. Most subsets
 * have few candidates left, so the whole enumeration costs about 6·2^p multiply–adds instead of
 * a factorisation per subset.
 *
 * @see R. H. Lindeman, P. F. Merenda, R. Z. Gold (1980), *Introduction to Bivariate and Multivariate
 *   Analysis*, p. 119ff; U. Grömping (2006), "Relative importance for linear regression in R: the
 *   package relaimpo", J. Stat. Software 17(1); D. V. Budescu (1993), "Dominance analysis",
 *   Psychological Bulletin 114(3):542–551; S. Castro, D. Gómez, J. Tejada (2009), "Polynomial
 *   calculation of the Shapley value based on sampling", Computers & OR 36(5):1726–1730.
 * @module
 */
import { seededRandom } from "../core/random.js";

/**
 * R² of every subset of the p drivers, indexed by bitmask (bit j = driver j). `R` is the
 * (p+1)×(p+1) row-major correlation matrix with the drivers first and the outcome last; it must be
 * positive definite (check with a Cholesky first).
 */
export function allSubsetsR2(R: ArrayLike<number>, p: number): Float64Array {
  const P = p + 1;
  const PP = P * P;
  const r2 = new Float64Array(2 ** p);
  const levels = new Float64Array((p + 1) * PP);
  for (let i = 0; i < PP; i++) levels[i] = R[i]!;
  const visit = (depth: number, mask: number, start: number, r2S: number): void => {
    const o = depth * PP;
    const o2 = o + PP;
    for (let j = start; j < p; j++) {
      const rowJ = o + j * P;
      const piv = levels[rowJ + j]!;
      const cjy = levels[rowJ + p]!;
      const r2c = r2S + (cjy * cjy) / piv;
      const child = mask | (1 << j);
      r2[child] = r2c;
      if (j + 1 < p) {
        const inv = 1 / piv;
        for (let a = j + 1; a < p; a++) {
          const f = levels[rowJ + a]! * inv;
          const rowA = a * P;
          for (let b = a; b <= p; b++) levels[o2 + rowA + b] = levels[o + rowA + b]! - f * levels[rowJ + b]!;
        }
        visit(depth + 1, child, j + 1, r2c);
      }
    }
  };
  visit(0, 0, 0, 0);
  return r2;
}

/** Exact LMG and Budescu's conditional dominance from all subset R² values. */
export interface ExactShapley {
  /** LMG_j, summing to R² of the full model. */
  lmg: Float64Array;
  /** conditional[j * p + k]: mean R² increment of driver j over subsets of size k of the others. */
  conditional: Float64Array;
  /** R² by subset bitmask. */
  subsetR2: Float64Array;
}

/**
 * LMG_j = Σ_{S ⊆ others} |S|!(p−|S|−1)!/p! · [R²(S ∪ j) − R²(S)] = (1/p) Σ_k C_j(k), where C_j(k)
 * is the mean increment over the subsets of size k (Budescu's conditional dominance), so the
 * general dominance weight equals LMG.
 */
export function exactShapley(R: ArrayLike<number>, p: number): ExactShapley {
  const subsetR2 = allSubsetsR2(R, p);
  const total = 2 ** p;
  const pc = new Uint8Array(total);
  for (let m = 1; m < total; m++) pc[m] = pc[m >> 1]! + (m & 1);
  const sums = new Float64Array(p * p);
  for (let mask = 0; mask < total; mask++) {
    const k = pc[mask]!;
    const base = subsetR2[mask]!;
    for (let j = 0; j < p; j++) {
      const bit = 1 << j;
      if ((mask & bit) === 0) {
        const at = j * p + k;
        sums[at] = sums[at]! + subsetR2[mask | bit]! - base;
      }
    }
  }
  // binomial(p − 1, k)
  const binom = new Float64Array(p);
  binom[0] = 1;
  for (let k = 1; k < p; k++) binom[k] = (binom[k - 1]! * (p - k)) / k;
  const conditional = new Float64Array(p * p);
  const lmg = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < p; k++) {
      const c = sums[j * p + k]! / binom[k]!;
      conditional[j * p + k] = c;
      s += c;
    }
    lmg[j] = s / p;
  }
  return { lmg, conditional, subsetR2 };
}

/** Sampled Shapley values of R² with their Monte Carlo standard errors. */
export interface SampledShapley {
  values: Float64Array;
  standardErrors: Float64Array;
  samples: number;
}

/**
 * Shapley values of R² estimated from `samples` random orderings of the drivers (seeded): each
 * ordering adds the drivers one by one and credits each with its R² increment (one elimination step
 * each, O(p³) per ordering). The estimates sum exactly to R² of the full model; the standard error of
 * each is the standard deviation of its increments over orderings divided by √samples.
 */
export function sampledShapley(
  R: ArrayLike<number>,
  p: number,
  samples: number,
  seed: number,
): SampledShapley {
  const P = p + 1;
  const rnd = seededRandom(seed);
  const sum = new Float64Array(p);
  const sq = new Float64Array(p);
  const M = new Float64Array(P * P);
  const perm = new Int32Array(p);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < P * P; i++) M[i] = R[i]!;
    for (let i = 0; i < p; i++) perm[i] = i;
    for (let i = p - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    for (let t = 0; t < p; t++) {
      const j = perm[t]!;
      const piv = M[j * P + j]!;
      const cjy = M[j * P + p]!;
      const inc = (cjy * cjy) / piv;
      sum[j] = sum[j]! + inc;
      sq[j] = sq[j]! + inc * inc;
      for (let u = t + 1; u < p; u++) {
        const a = perm[u]!;
        const f = M[a * P + j]! / piv;
        for (let v = u; v < p; v++) {
          const b = perm[v]!;
          const val = M[a * P + b]! - f * M[j * P + b]!;
          M[a * P + b] = val;
          M[b * P + a] = val;
        }
        M[a * P + p] = M[a * P + p]! - f * cjy;
      }
    }
  }
  const values = new Float64Array(p);
  const standardErrors = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const mean = sum[j]! / samples;
    values[j] = mean;
    const variance = samples > 1 ? Math.max(0, (sq[j]! - samples * mean * mean) / (samples - 1)) : 0;
    standardErrors[j] = Math.sqrt(variance / samples);
  }
  return { values, standardErrors, samples };
}
