import type { Measure, TargetRange } from "../schemas/scorecard.js";

/** Status of a measure, objective, perspective or the whole scorecard. */
export type Status = "green" | "amber" | "red" | "no_data";

/**
 * Default amber tolerance: a miss within 10 % of the target is amber.
 *
 * @example
 * DEFAULT_AMBER_TOLERANCE //=> 0.1
 */
export const DEFAULT_AMBER_TOLERANCE = 0.1;

/**
 * Points of a status in the weighted roll-up: green 1, amber ½, red 0 (no_data has none).
 *
 * @example
 * STATUS_POINTS //=> { green: 1, amber: 0.5, red: 0 }
 */
export const STATUS_POINTS: Readonly<Record<Exclude<Status, "no_data">, number>> = {
  green: 1,
  amber: 0.5,
  red: 0,
};

/** The boundaries a measure's status is read against, after defaults. */
export type ResolvedThresholds =
  | { direction: "higherIsBetter" | "lowerIsBetter"; green: number; amber: number; rule: string }
  | { direction: "inRange"; green: TargetRange; amber: TargetRange; rule: string };

function tolerance(bound: number, fraction: number, fallbackSpan: number): number {
  return bound !== 0 ? fraction * Math.abs(bound) : fraction * Math.abs(fallbackSpan);
}

/**
 * The green and amber boundaries of a measure, after applying the default rule.
 *
 * Default rule: the red/amber/green (RAG) convention of balanced-scorecard practice as written down
 * by scorecard vendors, e.g. ClearPoint Strategy, "How to establish RAG statuses for your KPIs"
 * (green: value ≥ target; amber: value ≥ 90 % of target; red: below), mirrored for the other directions.
 * PRINCE2 made RAG reporting common but leaves the thresholds to each organisation, hence configurable:
 * - `higherIsBetter`: green when actual ≥ target; amber when actual ≥ target − 10 %·|target|; red below.
 * - `lowerIsBetter`: green when actual ≤ target; amber when actual ≤ target + 10 %·|target|; red above.
 * - `inRange` `{min, max}`: green inside `[min, max]`; amber within 10 % of the nearer bound
 *   (`[min − 10 %·|min|, max + 10 %·|max|]`); red outside.
 *
 * A bound of 0 has no "10 % of it", so the tolerance then uses |target − baseline| (or the band's
 * width for `inRange`); with neither, there is no amber band. `thresholds.amberTolerance` changes the
 * 10 %, `thresholds.green` moves the green boundary, `thresholds.amber` sets the amber boundary.
 *
 * @example
 * const measure = parseScorecard({ name: "s", perspectives: [{ id: "c", name: "Customer", objectives: [{ id: "o",
 *   statement: "…", measures: [{ id: "nps", name: "NPS", kind: "opinion", timing: "lagging", unit: "points",
 *   direction: "higherIsBetter", baseline: 20, target: 40 }] }] }] }).perspectives[0]!.objectives[0]!.measures[0]!;
 * // higher is better, target 40, default amber tolerance 10 %: amber from 36
 * resolveThresholds(measure) //=> { direction: "higherIsBetter", green: 40, amber: 36, rule: "amber within 10% of the target" }
 */
export function resolveThresholds(m: Measure): ResolvedThresholds {
  const t = m.thresholds;
  const f = t?.amberTolerance ?? DEFAULT_AMBER_TOLERANCE;
  if (m.direction === "inRange") {
    const g = m.target as TargetRange;
    if (t?.amber !== undefined && typeof t.amber === "object")
      return { direction: "inRange", green: g, amber: t.amber, rule: "absolute amber band" };
    const width = g.max - g.min;
    return {
      direction: "inRange",
      green: g,
      amber: {
        min: clean(g.min - tolerance(g.min, f, width)),
        max: clean(g.max + tolerance(g.max, f, width)),
      },
      rule: `amber within ${f * 100}% of the nearer bound`,
    };
  }
  const target = m.target as number;
  const green = t?.green ?? target;
  if (typeof t?.amber === "number")
    return { direction: m.direction, green, amber: t.amber, rule: "absolute amber boundary" };
  const tol = tolerance(green, f, m.baseline === undefined ? 0 : target - m.baseline);
  return {
    direction: m.direction,
    green,
    amber: clean(m.direction === "higherIsBetter" ? green - tol : green + tol),
    rule: `amber within ${f * 100}% of the target`,
  };
}

/**
 * A computed boundary rounded to 12 significant digits, so that floating-point noise does not move
 * it: 0.15 × 1.1 is 0.16500000000000001 in binary, and an actual of exactly 0.165 must be amber.
 */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * Status of one actual value against resolved thresholds: `no_data` for `null`, otherwise green /
 * amber / red by {@link resolveThresholds}. Boundaries are inclusive on the better side (an actual
 * equal to the target is green; equal to the amber boundary is amber).
 *
 * @example
 * statusOf({ direction: "higherIsBetter", green: 40, amber: 36, rule: "amber within 10% of the target" }, 38) //=> "amber"
 * statusOf({ direction: "lowerIsBetter", green: 4, amber: 4.4, rule: "" }, 3) //=> "green"
 */
export function statusOf(th: ResolvedThresholds, actual: number | null): Status {
  if (actual === null) return "no_data";
  if (th.direction === "inRange") {
    if (actual >= th.green.min && actual <= th.green.max) return "green";
    if (actual >= th.amber.min && actual <= th.amber.max) return "amber";
    return "red";
  }
  if (th.direction === "higherIsBetter")
    return actual >= th.green ? "green" : actual >= th.amber ? "amber" : "red";
  return actual <= th.green ? "green" : actual <= th.amber ? "amber" : "red";
}

/**
 * Distance of `x` from the band `[min, max]` (0 inside).
 *
 * @example
 * [distanceToRange(0.5, { min: 1, max: 2 }), distanceToRange(1.5, { min: 1, max: 2 })] //=> [0.5, 0]
 */
export function distanceToRange(x: number, r: TargetRange): number {
  return x < r.min ? r.min - x : x > r.max ? x - r.max : 0;
}

/**
 * Whether `a` is better than `b` for a direction: higher, lower, or nearer the band. `null` when equal.
 *
 * @example
 * isBetter({ direction: "lowerIsBetter", target: 4 }, 3, 5) //=> true
 * isBetter({ direction: "inRange", target: { min: 1, max: 2 } }, 2.5, 1.5) //=> false
 */
export function isBetter(m: Pick<Measure, "direction" | "target">, a: number, b: number): boolean | null {
  if (m.direction === "inRange") {
    const da = distanceToRange(a, m.target as TargetRange);
    const db = distanceToRange(b, m.target as TargetRange);
    return da === db ? null : da < db;
  }
  if (a === b) return null;
  return m.direction === "higherIsBetter" ? a > b : a < b;
}

/** Progress from baseline to target, clamped to 0–1 and unclamped, with the reason when it is `null`. */
export interface Progress {
  /** Share of the way from baseline to target, clamped to [0, 1]. */
  clamped: number | null;
  /** The same, unclamped (negative when worse than the baseline, > 1 beyond the target). */
  unclamped: number | null;
  /** Why the progress is `null`: `no_data`, `no_baseline`, `target_equals_baseline`, `baseline_in_range`. */
  reason: string | null;
}

/**
 * Progress from baseline to target: (actual − baseline) / (target − baseline) for `higherIsBetter`
 * and `lowerIsBetter` (the same formula; the signs make it direction-aware); for `inRange`,
 * 1 − d(actual) / d(baseline) where d is the distance to the band. Null when there is no actual,
 * no baseline, or the target equals the baseline (a "hold the line" target: read the status instead).
 *
 * @example
 * measureProgress({ direction: "higherIsBetter", baseline: 20, target: 40 }, 35).clamped //=> 0.75
 */
export function measureProgress(
  m: Pick<Measure, "direction" | "target" | "baseline">,
  actual: number | null,
): Progress {
  if (actual === null) return { clamped: null, unclamped: null, reason: "no_data" };
  if (m.baseline === undefined) return { clamped: null, unclamped: null, reason: "no_baseline" };
  let u: number;
  if (m.direction === "inRange") {
    const d0 = distanceToRange(m.baseline, m.target as TargetRange);
    if (d0 === 0) return { clamped: null, unclamped: null, reason: "baseline_in_range" };
    u = 1 - distanceToRange(actual, m.target as TargetRange) / d0;
  } else {
    const span = (m.target as number) - m.baseline;
    if (span === 0) return { clamped: null, unclamped: null, reason: "target_equals_baseline" };
    u = (actual - m.baseline) / span;
  }
  return { clamped: Math.min(1, Math.max(0, u)), unclamped: u, reason: null };
}
