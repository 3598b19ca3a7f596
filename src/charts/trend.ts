import { type ChartOptions, type VegaLiteSpec, baseSpec } from "./spec.js";

/** One point of a score trend: period label, score, and its interval (null when the period is empty). */
export interface TrendPoint {
  label: string;
  score: number | null;
  ci?: { lower: number; upper: number } | null;
  n?: number;
  /** Series name, for several lines in one chart (e.g. one per segment). */
  series?: string;
}

/**
 * Score trend with its confidence band: a line of the score per period and a shaded band from
 * `ci.lower` to `ci.upper`. Periods with no data are left as gaps, not drawn as zero.
 *
 * @example
 * const byMonth = [
 *   { label: "2026-01", result: { score: 20, ci: { lower: 10, upper: 30 } } },
 *   { label: "2026-02", result: { score: null, ci: null } }, // no responses: a gap, not a zero
 * ];
 * const spec = scoreTrendChart(byMonth.map((p) => ({ label: p.label, score: p.result.score, ci: p.result.ci })), { title: "NPS by month" });
 * [spec.$schema, spec.title] //=> ["https://vega.github.io/schema/vega-lite/v6.json", "NPS by month"]
 */
export function scoreTrendChart(
  points: readonly TrendPoint[],
  options?: ChartOptions & { yTitle?: string; yDomain?: [number, number] },
): VegaLiteSpec {
  const values = points.map((p) => ({
    label: p.label,
    score: p.score,
    lower: p.ci?.lower ?? null,
    upper: p.ci?.upper ?? null,
    n: p.n ?? null,
    series: p.series ?? "all",
  }));
  const multi = new Set(values.map((v) => v.series)).size > 1;
  const color = multi ? { color: { field: "series", type: "nominal", title: null } } : {};
  const y = {
    type: "quantitative",
    title: options?.yTitle ?? "score",
    ...(options?.yDomain ? { scale: { domain: options.yDomain } } : { scale: { zero: false } }),
  };
  return {
    ...baseSpec(options, { title: "Score by period" }),
    data: { values },
    encoding: { x: { field: "label", type: "ordinal", title: null, sort: null, axis: { labelAngle: 0 } } },
    layer: [
      {
        mark: { type: "area", opacity: 0.2 },
        encoding: { y: { field: "lower", ...y }, y2: { field: "upper" }, ...color },
      },
      {
        mark: { type: "line", point: true },
        encoding: {
          y: { field: "score", ...y },
          ...color,
          tooltip: [
            { field: "label" },
            { field: "score", format: ".1f" },
            { field: "lower", format: ".1f" },
            { field: "upper", format: ".1f" },
            { field: "n" },
          ],
        },
      },
    ],
  };
}
