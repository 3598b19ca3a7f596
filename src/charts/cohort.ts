import { type ChartOptions, type VegaLiteSpec, baseSpec } from "./spec.js";

/**
 * Cohort retention heat map: one row per cohort, one column per period since start, colour =
 * share retained. Cells not yet observable (`null`) are left blank, not shown as 0 %.
 *
 * @example
 * cohortHeatmapChart([{ cohort: "2026-01", size: 40, share: [1, 0.8, 0.7, null] }])
 */
export function cohortHeatmapChart(
  rows: readonly { cohort: string; size: number; share: readonly (number | null)[] }[],
  options?: ChartOptions,
): VegaLiteSpec {
  const values = rows.flatMap((r) =>
    r.share
      .map((s, k) => ({ cohort: `${r.cohort} (n=${r.size})`, period: k, share: s }))
      .filter((c) => c.share !== null),
  );
  return {
    ...baseSpec(options, { title: "Cohort retention", width: 520, height: Math.max(160, rows.length * 18) }),
    data: { values },
    encoding: {
      x: { field: "period", type: "ordinal", title: "periods since start", axis: { labelAngle: 0 } },
      y: { field: "cohort", type: "ordinal", title: null, sort: null },
    },
    layer: [
      {
        mark: { type: "rect" },
        encoding: {
          color: {
            field: "share",
            type: "quantitative",
            title: "retained",
            scale: { domain: [0, 1], scheme: "blues" },
            legend: { format: ".0%" },
          },
          tooltip: [{ field: "cohort" }, { field: "period" }, { field: "share", format: ".1%" }],
        },
      },
      {
        mark: { type: "text", fontSize: 9 },
        encoding: {
          text: { field: "share", format: ".0%" },
          color: { condition: { test: "datum.share > 0.6", value: "white" }, value: "black" },
        },
      },
    ],
  };
}
