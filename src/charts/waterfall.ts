import { type ChartOptions, type VegaLiteSpec, baseSpec } from "./spec.js";

/** Money as the library returns it (Decimal) or a number. */
type Amount = number | { toNumber(): number };
const toNum = (x: Amount): number => (typeof x === "number" ? x : x.toNumber());

/**
 * MRR movements waterfall for one period: starting MRR, + new, + expansion, + reactivation,
 * − contraction, − churn, = ending MRR. Movement signs follow the input (contraction and churn
 * may be given as positive amounts; they are drawn as decreases).
 *
 * @example
 * mrrWaterfallChart({ startingMrr: 1000, new: 200, expansion: 50, reactivation: 10, contraction: 30, churn: 80, endingMrr: 1150 })
 */
export function mrrWaterfallChart(
  m: {
    startingMrr: Amount;
    new: Amount;
    expansion: Amount;
    reactivation: Amount;
    contraction: Amount;
    churn: Amount;
    endingMrr: Amount;
  },
  options?: ChartOptions,
): VegaLiteSpec {
  const steps: [string, number][] = [
    ["new", Math.abs(toNum(m.new))],
    ["expansion", Math.abs(toNum(m.expansion))],
    ["reactivation", Math.abs(toNum(m.reactivation))],
    ["contraction", -Math.abs(toNum(m.contraction))],
    ["churn", -Math.abs(toNum(m.churn))],
  ];
  let level = toNum(m.startingMrr);
  const values: { step: string; start: number; end: number; kind: string; amount: number }[] = [
    { step: "starting", start: 0, end: level, kind: "total", amount: level },
  ];
  for (const [step, amount] of steps) {
    values.push({
      step,
      start: level,
      end: level + amount,
      kind: amount >= 0 ? "increase" : "decrease",
      amount,
    });
    level += amount;
  }
  values.push({
    step: "ending",
    start: 0,
    end: toNum(m.endingMrr),
    kind: "total",
    amount: toNum(m.endingMrr),
  });
  return {
    ...baseSpec(options, { title: "MRR movements" }),
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: { field: "step", type: "ordinal", sort: null, title: null, axis: { labelAngle: 0 } },
      y: { field: "start", type: "quantitative", title: "MRR" },
      y2: { field: "end" },
      color: {
        field: "kind",
        type: "nominal",
        title: null,
        scale: { domain: ["total", "increase", "decrease"], range: ["#0072B2", "#009E73", "#D55E00"] },
      },
      tooltip: [{ field: "step" }, { field: "amount", format: ",.2f" }],
    },
  };
}
