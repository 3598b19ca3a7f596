import type { TargetRange } from "../schemas/scorecard.js";
import type { MeasureEvaluation } from "./evaluate.js";
import type { Coverage } from "./rollup.js";

const SHARE_UNITS = new Set(["share", "ratio", "proportion", "fraction"]);

/** Format a value in a measure's unit: shares (unit "share") as percentages, others to ≤ 2 decimals. */
export function formatMeasureValue(x: number | null, unit: string): string {
  if (x === null) return "—";
  if (SHARE_UNITS.has(unit)) return `${trim((x * 100).toFixed(1))}%`;
  return trim(x.toFixed(2));
}

/** Format a target: a number, or `min–max`. */
export function formatTarget(t: number | TargetRange, unit: string): string {
  return typeof t === "number"
    ? formatMeasureValue(t, unit)
    : `${formatMeasureValue(t.min, unit)}–${formatMeasureValue(t.max, unit)}`;
}

/** Format a 0–1 share as a whole percentage, `—` for null. */
export function formatPercent(x: number | null): string {
  return x === null ? "—" : `${Math.round(x * 100)}%`;
}

/** Format a signed change in the measure's unit (`+3`, `−1.5`), with ▲/▼ for better/worse. */
export function formatChange(m: MeasureEvaluation): string {
  const c = m.change;
  if (!c || c.absolute === null) return "—";
  const mark = c.improved === true ? " ▲" : c.improved === false ? " ▼" : "";
  const sign = c.absolute > 0 ? "+" : c.absolute < 0 ? "−" : "±";
  const mag = SHARE_UNITS.has(m.unit)
    ? `${trim((Math.abs(c.absolute) * 100).toFixed(1))} pp`
    : trim(Math.abs(c.absolute).toFixed(2));
  return `${sign}${mag}${mark}`;
}

/** Format benchmark gaps: `Competitor A +4 (ahead)`. */
export function formatBenchmarks(m: MeasureEvaluation): string {
  if (m.benchmarks.length === 0) return "—";
  return m.benchmarks
    .map((b) => {
      if (b.gap === null) return `${b.name} ${formatMeasureValue(b.value, m.unit)}`;
      const sign = b.gap > 0 ? "+" : b.gap < 0 ? "−" : "±";
      const mag = SHARE_UNITS.has(m.unit)
        ? `${trim((Math.abs(b.gap) * 100).toFixed(1))} pp`
        : trim(Math.abs(b.gap).toFixed(2));
      const word = b.ahead === true ? "ahead" : b.ahead === false ? "behind" : "level";
      return `${b.name} ${sign}${mag} (${word})`;
    })
    .join("; ");
}

/** `5 of 6 measures, 83% of weight`. */
export function formatCoverage(c: Coverage): string {
  return `${c.measuresWithData} of ${c.measures} measures, ${formatPercent(c.weightShare)} of weight`;
}

/** `0.72` or `—`. */
export function formatScore(x: number | null): string {
  return x === null ? "—" : x.toFixed(2);
}

function trim(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}
