import { type ChartOptions, type VegaLiteSpec, baseSpec } from "./spec.js";

/**
 * Distribution of answers on a rating scale (NPS 0–10, CSAT 1–5, CES 1–7) as bars, coloured by
 * category (e.g. detractor / passive / promoter). Every scale point is shown, including empty ones.
 *
 * @param counts count per scale value
 * @param categorise optional category name per value (drives colour)
 * @example
 * scoreDistributionChart([{ value: 9, count: 40 }, { value: 3, count: 8 }], { categorise: (v) => (v >= 9 ? "promoter" : v <= 6 ? "detractor" : "passive") })
 */
export function scoreDistributionChart(
  counts: readonly { value: number; count: number }[],
  options?: ChartOptions & {
    categorise?: (value: number) => string;
    xTitle?: string;
    scale?: { min: number; max: number };
  },
): VegaLiteSpec {
  const byValue = new Map(counts.map((c) => [c.value, c.count]));
  const min = options?.scale?.min ?? Math.min(...counts.map((c) => c.value));
  const max = options?.scale?.max ?? Math.max(...counts.map((c) => c.value));
  const total = counts.reduce((s, c) => s + c.count, 0);
  const values = [];
  for (let v = min; v <= max; v++) {
    const count = byValue.get(v) ?? 0;
    values.push({
      value: v,
      count,
      share: total > 0 ? count / total : 0,
      category: options?.categorise?.(v) ?? "answers",
    });
  }
  return {
    ...baseSpec(options, { title: "Distribution of answers", height: 200 }),
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: { field: "value", type: "ordinal", title: options?.xTitle ?? "answer", axis: { labelAngle: 0 } },
      y: { field: "count", type: "quantitative", title: "responses" },
      ...(options?.categorise
        ? {
            color: {
              field: "category",
              type: "nominal",
              title: null,
              scale: {
                domain: ["detractor", "passive", "promoter"],
                range: ["#D55E00", "#999999", "#009E73"],
              },
            },
          }
        : {}),
      tooltip: [{ field: "value" }, { field: "count" }, { field: "share", format: ".1%" }],
    },
  };
}
