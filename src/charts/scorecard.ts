import { type ChartOptions, STATUS_COLORS, type VegaLiteSpec, baseSpec } from "./spec.js";

/**
 * Scorecard status grid: one row per measure, grouped by objective, coloured by status
 * (green / amber / red / no data), with the progress from baseline to target as a bar.
 *
 * @example
 * scorecardStatusChart([{ objective: "I would recommend them", measure: "NPS", status: "amber", progress: 0.6 }])
 */
export function scorecardStatusChart(
  rows: readonly {
    objective: string;
    measure: string;
    status: "green" | "amber" | "red" | "no_data";
    progress: number | null;
    actual?: string;
  }[],
  options?: ChartOptions,
): VegaLiteSpec {
  const values = rows.map((r) => ({
    ...r,
    label: `${r.objective} · ${r.measure}`,
    progress: r.progress === null ? null : Math.max(0, Math.min(1, r.progress)),
  }));
  return {
    ...baseSpec(options, { title: "Scorecard", width: 360, height: Math.max(120, rows.length * 22) }),
    data: { values },
    encoding: { y: { field: "label", type: "nominal", sort: null, title: null } },
    layer: [
      {
        mark: { type: "bar", height: 14 },
        encoding: {
          x: {
            field: "progress",
            type: "quantitative",
            scale: { domain: [0, 1] },
            title: "progress from baseline to target",
            axis: { format: ".0%" },
          },
          color: {
            field: "status",
            type: "nominal",
            title: "status",
            scale: { domain: Object.keys(STATUS_COLORS), range: Object.values(STATUS_COLORS) },
          },
          tooltip: [
            { field: "objective" },
            { field: "measure" },
            { field: "status" },
            { field: "actual" },
            { field: "progress", format: ".0%" },
          ],
        },
      },
    ],
  };
}
