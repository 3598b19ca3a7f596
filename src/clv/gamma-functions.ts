/**
 * ln Γ(x) and ψ(x) = d ln Γ(x)/dx for x > 0, as the Gamma-Gamma likelihood needs them.
 * Stand-in for `logGamma`/`digamma` of `src/core/special.ts` until that module lands (same names
 * and contracts for x > 0); switch the import in gamma-gamma.ts then.
 *
 * ln Γ: Lanczos approximation (g = 7, 9 coefficients; Godfrey's coefficients, relative error ≲ 2e-15)
 * with the recurrence below x = 0.5. ψ: recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 12, then the
 * asymptotic series ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ) (Abramowitz & Stegun 6.3.18).
 *
 * @module
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ψ(x) = Γ'(x)/Γ(x) for x > 0. */
export function psi(x: number): number {
  let r = 0;
  while (x < 12) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const series = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132)))));
  return r + Math.log(x) - 0.5 / x - series;
}
