/**
 * Difference between the Net Promoter Scores of two independent groups, with its standard error,
 * z test and confidence interval.
 *
 * @module
 */
import { formatValue, invalidOption } from "../core/errors.js";
import { normalSf } from "../core/distributions.js";
import type { ConfidenceInterval } from "../core/interval.js";
import { type MissingOptions, type Warning, checkLevel, smallSampleWarning } from "../core/values.js";
import { type NpsState, countNpsInto, emptyNpsState, resolveNpsOptions, zFor } from "./nps.js";

/** One side of the comparison: 0–10 scores, or counts (an `NpsResult` or `NpsState`). */
export type NpsGroup =
  | ArrayLike<number | null | undefined>
  | Iterable<number | null | undefined>
  | { promoters: number; passives: number; detractors: number };

/** Options of {@link npsDifference}. */
export interface NpsDifferenceOptions extends MissingOptions {
  /** `"wald"` (default) or `"adjustedWald"` (Rocks 2016 pseudo-responses added to each group). */
  method?: "wald" | "adjustedWald";
  /** Confidence level in (0, 1); default 0.95. */
  level?: number;
}

/** Result of {@link npsDifference}; differences, standard errors and bounds in points. */
export interface NpsDifferenceResult {
  /** NPS_a − NPS_b (adjusted scores under `adjustedWald`); `null` when a group is empty. */
  difference: number | null;
  /** 100·√(Var_a/n_a + Var_b/n_b); `null` when a group is empty. */
  standardError: number | null;
  /** difference / SE; `null` when a group is empty or SE = 0. */
  z: number | null;
  /** Two-sided p = 2·(1 − Φ(|z|)), computed as 2·Φ(−|z|) (no cancellation); `null` with `z`. */
  pValue: number | null;
  /** difference ∓ z(1 − α/2)·SE; `null` when a group is empty. */
  ci: ConfidenceInterval | null;
  method: "wald" | "adjustedWald";
  /** Each group's n and (adjusted, under `adjustedWald`) score. */
  a: { n: number; score: number | null };
  b: { n: number; score: number | null };
  warnings: Warning[];
}

function toCounts(fn: string, name: string, g: NpsGroup, omit: boolean): NpsState {
  if (g !== null && typeof g === "object" && !("length" in g) && "promoters" in g) {
    const c = g as { promoters: unknown; passives: unknown; detractors: unknown };
    for (const k of ["promoters", "passives", "detractors"] as const) {
      const v = c[k];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
        invalidOption(fn, `${name}.${k}`, "a count (integer ≥ 0)", v);
    }
    return {
      promoters: c.promoters as number,
      passives: c.passives as number,
      detractors: c.detractors as number,
      missing: 0,
    };
  }
  if (g === null || typeof g !== "object")
    invalidOption(fn, name, "0–10 scores or an NpsResult", formatValue(g));
  const o = resolveNpsOptions(fn, omit ? { missing: "omit" } : undefined);
  return countNpsInto(emptyNpsState(), g, undefined, o);
}

function moments(s: NpsState, adjusted: boolean): { n: number; score: number; variance: number } {
  const pseudo = adjusted ? 0.75 : 0;
  const n = s.promoters + s.passives + s.detractors + (adjusted ? 3 : 0);
  const p = (s.promoters + pseudo) / n;
  const d = (s.detractors + pseudo) / n;
  return { n, score: 100 * (p - d), variance: Math.max(0, p + d - (p - d) * (p - d)) };
}

/**
 * Compare the NPS of two independent groups: difference = NPS_a − NPS_b (points),
 * SE = 100·√(Var_a/n_a + Var_b/n_b) with Var = p + d − (p − d)², z = difference/SE,
 * two-sided p-value 2·Φ(−|z|), and the interval difference ∓ z(1 − α/2)·SE.
 * With `method: "adjustedWald"` each group first gets Rocks's 3 pseudo-responses (¾ detractor,
 * 1½ passive, ¾ promoter), as `nps_test(test = "adjusted.wald")` in his R package NPS does for two
 * samples; the difference is then between the adjusted scores.
 *
 * Each group may be raw 0–10 scores (validated as in {@link nps}) or counts (an `NpsResult`).
 * Not for paired data (the same respondents twice). An empty group gives `null` for every number.
 *
 * @see B. Rocks (2016), The American Statistician 70(4):365–372.
 * @throws {InvalidInputError} for bad scores (as {@link nps}, naming the index) or options (`invalid_option`).
 * @example
 * npsDifference([10, 10, 9, 3], [6, 7, 9, 2]).difference //=> 75
 */
export function npsDifference(a: NpsGroup, b: NpsGroup, options?: NpsDifferenceOptions): NpsDifferenceResult {
  const fn = "npsDifference";
  const method = options?.method ?? "wald";
  if (method !== "wald" && method !== "adjustedWald")
    invalidOption(fn, "method", '"wald" or "adjustedWald"', method);
  const level = checkLevel(fn, options?.level ?? 0.95);
  const missing = options?.missing ?? "throw";
  if (missing !== "throw" && missing !== "omit") invalidOption(fn, "missing", '"throw" or "omit"', missing);
  const ca = toCounts(fn, "a", a, missing === "omit");
  const cb = toCounts(fn, "b", b, missing === "omit");
  const na = ca.promoters + ca.passives + ca.detractors;
  const nb = cb.promoters + cb.passives + cb.detractors;
  const warnings = [...smallSampleWarning(na), ...smallSampleWarning(nb)];
  if (na === 0 || nb === 0) {
    return {
      difference: null,
      standardError: null,
      z: null,
      pValue: null,
      ci: null,
      method,
      a: { n: na, score: na === 0 ? null : moments(ca, method === "adjustedWald").score },
      b: { n: nb, score: nb === 0 ? null : moments(cb, method === "adjustedWald").score },
      warnings: [
        ...warnings,
        { code: "empty_group", message: `group ${na === 0 ? "a" : "b"} has no responses` },
      ],
    };
  }
  const ma = moments(ca, method === "adjustedWald");
  const mb = moments(cb, method === "adjustedWald");
  const difference = ma.score - mb.score;
  const standardError = 100 * Math.sqrt(ma.variance / ma.n + mb.variance / mb.n);
  const z = standardError > 0 ? difference / standardError : null;
  const h = zFor(level) * standardError;
  return {
    difference,
    standardError,
    z,
    pValue: z === null ? null : 2 * normalSf(Math.abs(z)),
    ci: { lower: difference - h, upper: difference + h, level, method },
    method,
    a: { n: na, score: ma.score },
    b: { n: nb, score: mb.score },
    warnings,
  };
}
