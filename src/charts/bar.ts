import { type ChartOptions, type VegaLiteSpec, baseSpec } from "./spec.js";

/**
 * Plain bar chart of labelled values in the given order (e.g. CLV by decile, response-time
 * quantiles, SLA met / breached / pending). `null` values are left out, not drawn as zero.
 *
 * @param bars one bar per label; `group` colours bars (e.g. "met" / "breached")
 * @example
 * barChart([{ label: "p50", value: 2.1 }, { label: "p90", value: 9.8 }], { yTitle: "hours", format: ".1f" })
 */
export function barChart(
  bars: readonly { label: string; value: number | null; group?: string }[],
  options?: ChartOptions & {
    yTitle?: string;
    xTitle?: string;
    format?: string;
    colors?: Readonly<Record<string, string>>;
  },
): VegaLiteSpec {
  const values = bars
    .filter((b) => b.value !== null)
    .map((b) => ({ label: b.label, value: b.value, group: b.group ?? "value" }));
  const groups = [...new Set(values.map((v) => v.group))];
  const color = options?.colors
    ? {
        field: "group",
        type: "nominal",
        title: null,
        scale: { domain: Object.keys(options.colors), range: Object.values(options.colors) },
      }
    : groups.length > 1
      ? { field: "group", type: "nominal", title: null }
      : { value: "#0072B2" };
  return {
    ...baseSpec(options, { title: "Values", height: 200 }),
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: {
        field: "label",
        type: "ordinal",
        sort: null,
        title: options?.xTitle ?? null,
        axis: { labelAngle: 0 },
      },
      y: { field: "value", type: "quantitative", title: options?.yTitle ?? "value" },
      color,
      tooltip: [{ field: "label" }, { field: "value", format: options?.format ?? ",.2f" }],
    },
  };
}
