/**
 * Confidence intervals for a binomial proportion, matching statsmodels'
 * `statsmodels.stats.proportion.proportion_confint` method for method.
 *
 * @module
 */
import { InvalidInputError, formatValue, invalidOption } from "./errors.js";
import type { ConfidenceInterval } from "./interval.js";
import { betaQuantilePair, standardNormalQuantile } from "./special.js";

/**
 * Interval methods (statsmodels names in brackets):
 * - `"wilson"` — Wilson score interval [`wilson`]; Wilson (1927), JASA 22, 209–212.
 * - `"agrestiCoull"` — add z²/2 successes and z²/2 failures, then Wald on the adjusted proportion,
 *   clipped to [0, 1] [`agresti_coull`]; Agresti & Coull (1998), Am. Stat. 52, 119–126.
 * - `"clopperPearson"` — exact interval from beta quantiles, lower = 0 when x = 0 and upper = 1 when
 *   x = n [`beta`]; Clopper & Pearson (1934), Biometrika 26, 404–413.
 * - `"jeffreys"` — equal-tailed Beta(x + ½, n − x + ½) quantiles, no boundary modification
 *   [`jeffreys`]; Brown, Cai & DasGupta (2001), Stat. Sci. 16, 101–133.
 * - `"wald"` — p̂ ∓ z·√(p̂(1 − p̂)/n), clipped to [0, 1] [`normal`].
 */
export type ProportionCiMethod = "wilson" | "agrestiCoull" | "clopperPearson" | "jeffreys" | "wald";

/** Options of {@link proportionInterval}. */
export interface ProportionIntervalOptions {
  /** Interval method; default `"wilson"`. */
  method?: ProportionCiMethod;
  /** Confidence level in (0, 1); default 0.95. */
  level?: number;
}

const METHODS: ReadonlySet<string> = new Set([
  "wilson",
  "agrestiCoull",
  "clopperPearson",
  "jeffreys",
  "wald",
]);

function countError(
  name: string,
  code: "non_finite_value" | "not_an_integer" | "out_of_range",
  message: string,
  value: unknown,
): never {
  throw new InvalidInputError(
    [{ index: null, path: [name], code, message: `${message}, found ${formatValue(value)}` }],
    { context: "proportionInterval", code },
  );
}

function clip(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/**
 * Two-sided confidence interval for a binomial proportion x/n.
 *
 * Formulas (z = Φ⁻¹(1 − α/2), α = 1 − level, p̂ = x/n):
 * - wilson: (p̂ + z²/(2n)) / (1 + z²/n) ∓ z·√(p̂(1 − p̂)/n + z²/(4n²)) / (1 + z²/n);
 * - agrestiCoull: ñ = n + z², p̃ = (x + z²/2)/ñ, p̃ ∓ z·√(p̃(1 − p̃)/ñ), clipped to [0, 1];
 * - clopperPearson: [B⁻¹(α/2; x, n − x + 1), B⁻¹(1 − α/2; x + 1, n − x)], 0 / 1 at x = 0 / x = n;
 * - jeffreys: [B⁻¹(α/2; x + ½, n − x + ½), B⁻¹(1 − α/2; x + ½, n − x + ½)];
 * - wald: p̂ ∓ z·√(p̂(1 − p̂)/n), clipped to [0, 1].
 * Upper bounds use the upper-tail quantile directly (scipy's `isf`), as statsmodels does.
 * Wilson, Agresti–Coull, Wald and Clopper–Pearson intervals always contain p̂; Jeffreys need not at
 * x = 0 or x = n (its lower bound at x = 0 is positive, as in statsmodels).
 *
 * @param successes - integer count x with 0 ≤ x ≤ n.
 * @param n - integer number of trials ≥ 0. With n = 0 there is no estimate: returns `null`.
 * @returns `{ lower, upper, level, method }`, or `null` when n = 0.
 * @throws {InvalidInputError} code `non_finite_value` / `not_an_integer` / `out_of_range` for bad
 *   counts (x > n, negative), `invalid_option` for an unknown method or a level outside (0, 1).
 * @see statsmodels `proportion_confint`; Brown, Cai & DasGupta (2001), "Interval Estimation for a
 *   Binomial Proportion", Statistical Science 16(2).
 * @example
 * proportionInterval(5, 10, { method: "wilson" })
 * //=> { lower: 0.23659309051256736, upper: 0.7634069094874326, level: 0.95, method: "wilson" }
 */
export function proportionInterval(
  successes: number,
  n: number,
  options?: ProportionIntervalOptions,
): ConfidenceInterval | null {
  const method = options?.method ?? "wilson";
  const level = options?.level ?? 0.95;
  if (typeof method !== "string" || !METHODS.has(method)) {
    invalidOption(
      "proportionInterval",
      "method",
      `one of ${[...METHODS].map((m) => `"${m}"`).join(", ")}`,
      method,
    );
  }
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    invalidOption("proportionInterval", "level", "a number strictly between 0 and 1", level);
  }
  for (const [name, v] of [
    ["n", n],
    ["successes", successes],
  ] as const) {
    if (typeof v !== "number" || !Number.isFinite(v))
      countError(name, "non_finite_value", "expected a finite integer", v);
    if (!Number.isInteger(v)) countError(name, "not_an_integer", "expected an integer", v);
    if (v < 0) countError(name, "out_of_range", "expected a count ≥ 0", v);
  }
  if (successes > n) countError("successes", "out_of_range", `expected at most n = ${n}`, successes);
  if (n === 0) return null;

  const alpha = 1 - level;
  const half = alpha / 2;
  const z = -standardNormalQuantile(half, 1 - half);
  const x = successes;
  const p = x / n;
  let lower: number;
  let upper: number;
  switch (method) {
    case "wald": {
      const d = z * Math.sqrt((p * (1 - p)) / n);
      lower = clip(p - d);
      upper = clip(p + d);
      break;
    }
    case "agrestiCoull": {
      const nc = n + z * z;
      const pc = (x + (z * z) / 2) / nc;
      const d = z * Math.sqrt((pc * (1 - pc)) / nc);
      lower = clip(pc - d);
      upper = clip(pc + d);
      break;
    }
    case "wilson": {
      const z2 = z * z;
      const denom = 1 + z2 / n;
      const center = (p + z2 / (2 * n)) / denom;
      const d = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
      // Exactly 0 at x = 0 and 1 at x = n (rounding would leave ±1e-17).
      lower = x === 0 ? 0 : center - d;
      upper = x === n ? 1 : center + d;
      break;
    }
    case "clopperPearson": {
      lower = x === 0 ? 0 : betaQuantilePair(half, 1 - half, x, n - x + 1).x;
      upper = x === n ? 1 : betaQuantilePair(1 - half, half, x + 1, n - x).x;
      break;
    }
    default: {
      // jeffreys
      lower = betaQuantilePair(half, 1 - half, x + 0.5, n - x + 0.5).x;
      upper = betaQuantilePair(1 - half, half, x + 0.5, n - x + 0.5).x;
    }
  }
  return { lower, upper, level, method };
}
