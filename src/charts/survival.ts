import { type ChartOptions, type VegaLiteSpec, baseSpec } from "./spec.js";

/**
 * Kaplan–Meier curve as a step line with its pointwise confidence band.
 *
 * @example
 * survivalCurveChart([{ time: 0, survival: 1, lower: 1, upper: 1 }, { time: 3, survival: 0.9, lower: 0.85, upper: 0.94 }])
 */
export function survivalCurveChart(
  points: readonly {
    time: number;
    survival: number;
    lower?: number | null;
    upper?: number | null;
    series?: string;
  }[],
  options?: ChartOptions & { timeTitle?: string },
): VegaLiteSpec {
  const values = points.map((p) => ({
    time: p.time,
    survival: p.survival,
    lower: p.lower ?? null,
    upper: p.upper ?? null,
    series: p.series ?? "all",
  }));
  const multi = new Set(values.map((v) => v.series)).size > 1;
  const color = multi ? { color: { field: "series", type: "nominal", title: null } } : {};
  return {
    ...baseSpec(options, { title: "Survival (share still subscribed)" }),
    data: { values },
    encoding: { x: { field: "time", type: "quantitative", title: options?.timeTitle ?? "time" } },
    layer: [
      {
        mark: { type: "area", interpolate: "step-after", opacity: 0.2 },
        encoding: {
          y: {
            field: "lower",
            type: "quantitative",
            scale: { domain: [0, 1] },
            title: "survival",
            axis: { format: ".0%" },
          },
          y2: { field: "upper" },
          ...color,
        },
      },
      {
        mark: { type: "line", interpolate: "step-after" },
        encoding: { y: { field: "survival", type: "quantitative" }, ...color },
      },
    ],
  };
}
