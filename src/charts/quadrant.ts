import { type ChartOptions, type VegaLiteSpec, baseSpec } from "./spec.js";

/** Quadrant names of an importance–performance grid (Martilla & James 1977). */
export type QuadrantName = "keep up" | "concentrate here" | "low priority" | "possible overkill";

/**
 * Colours of the quadrants (Okabe–Ito): act on "concentrate here" first.
 *
 * @example
 * Object.keys(QUADRANT_COLORS).length //=> 4
 */
export const QUADRANT_COLORS: Readonly<Record<QuadrantName, string>> = {
  "concentrate here": "#D55E00",
  "keep up": "#009E73",
  "low priority": "#999999",
  "possible overkill": "#0072B2",
};

/**
 * Importance–performance quadrant: one labelled point per driver, performance on x, importance on y,
 * dashed cut lines splitting the plane into the four quadrants of Martilla & James (1977) —
 * "concentrate here" (important, under-performing), "keep up", "low priority", "possible overkill".
 *
 * Takes the `drivers` and `cut` of `importancePerformance` from `cxmetrics/drivers` as they are.
 *
 * @param drivers one point per driver: name, importance (e.g. LMG share of R²), performance (e.g. mean rating), quadrant
 * @param cut the cut lines (a value at or above a line counts as high)
 * @example
 * const ipa = importancePerformance({
 *   outcome: [9, 7, 3, 10, 6, 8, 5],
 *   drivers: { speed: [4, 3, 1, 5, 2, 4, 2], price: [3, 4, 5, 2, 4, 3, 4] },
 * });
 * importancePerformanceChart(ipa.drivers, ipa.cut, { importanceTitle: "importance (LMG)" }).$schema //=> "https://vega.github.io/schema/vega-lite/v6.json"
 */
export function importancePerformanceChart(
  drivers: readonly { name: string; importance: number; performance: number; quadrant: QuadrantName }[],
  cut: { importance: number; performance: number },
  options?: ChartOptions & { importanceTitle?: string; performanceTitle?: string },
): VegaLiteSpec {
  const quadrants = Object.keys(QUADRANT_COLORS) as QuadrantName[];
  const values = drivers.map((d) => ({
    name: d.name,
    importance: d.importance,
    performance: d.performance,
    quadrant: d.quadrant,
  }));
  const x = {
    field: "performance",
    type: "quantitative",
    title: options?.performanceTitle ?? "performance (mean rating)",
    scale: { zero: false, padding: 20 },
  };
  const y = {
    field: "importance",
    type: "quantitative",
    title: options?.importanceTitle ?? "importance",
    scale: { zero: false, padding: 20 },
  };
  return {
    ...baseSpec(options, { title: "Importance–performance", width: 420, height: 300 }),
    layer: [
      {
        data: { values: [{ performance: cut.performance }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#666666" },
        encoding: { x: { field: "performance", type: "quantitative" } },
      },
      {
        data: { values: [{ importance: cut.importance }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#666666" },
        encoding: { y: { field: "importance", type: "quantitative" } },
      },
      {
        data: { values },
        mark: { type: "point", filled: true, size: 90 },
        encoding: {
          x,
          y,
          color: {
            field: "quadrant",
            type: "nominal",
            title: "quadrant",
            scale: { domain: quadrants, range: quadrants.map((q) => QUADRANT_COLORS[q]) },
          },
          tooltip: [
            { field: "name", title: "driver" },
            { field: "importance", format: ".3f" },
            { field: "performance", format: ".2f" },
            { field: "quadrant" },
          ],
        },
      },
      {
        data: { values },
        mark: { type: "text", dx: 8, align: "left", fontSize: 11 },
        encoding: { x, y, text: { field: "name" } },
      },
    ],
  };
}
