import type { ScorecardEvaluation } from "./evaluate.js";
import {
  formatChange,
  formatCoverage,
  formatMeasureValue,
  formatPercent,
  formatScore,
  formatTarget,
} from "./format.js";
import type { Status } from "./status.js";

/** Options of {@link scorecardToText}. */
export interface ScorecardTextOptions {
  /** Colour statuses with ANSI escape codes (default `false`: plain text, safe for files and pipes). */
  color?: boolean;
}

const LABEL: Record<Status, string> = { green: "GREEN", amber: "AMBER", red: "RED", no_data: "NO DATA" };
const ANSI: Record<Status, string> = {
  green: "\u001b[32m",
  amber: "\u001b[33m",
  red: "\u001b[31m",
  no_data: "\u001b[90m",
};
const RESET = "\u001b[0m";

/**
 * Render an evaluation as a fixed-width terminal table: one line per measure under its perspective
 * and objective, with actual, target, progress, status and change; the summary at the end. ANSI
 * colours only when `color: true` (column widths are computed on the uncoloured text).
 *
 * @example
 * const scorecard = parseScorecard({
 *   name: "Customer",
 *   perspectives: [{ id: "customer", name: "Customer", objectives: [{ id: "recommend", statement: "I would recommend them",
 *     measures: [
 *       { id: "nps", name: "NPS", kind: "opinion", timing: "lagging", unit: "points", direction: "higherIsBetter", baseline: 20, target: 40 },
 *       { id: "ces", name: "Effort", kind: "opinion", timing: "leading", unit: "points", direction: "lowerIsBetter", baseline: 6, target: 5 },
 *     ] }] }],
 * });
 * const evaluation = evaluateScorecard(scorecard, { nps: 38, ces: 5.6 }, { period: "2026-Q1", previousActuals: { nps: 31 } });
 * scorecardToText(evaluation).split("\n").find((l) => l.trim().startsWith("NPS")) //=> "    NPS         38      40       90%  AMBER     +7 ▲"
 */
export function scorecardToText(evaluation: ScorecardEvaluation, options: ScorecardTextOptions = {}): string {
  const ev = evaluation;
  const color = options.color === true;
  const paint = (s: Status, text: string) => (color ? `${ANSI[s]}${text}${RESET}` : text);
  const header = ["Measure", "Actual", "Target", "Progress", "Status", "Change"];
  type Row = { cells: string[]; status: Status } | { line: string; status: Status | null };
  const rows: Row[] = [];
  for (const p of ev.perspectives) {
    rows.push({
      line: `${p.name}  [${LABEL[p.status]}  score ${formatScore(p.score)}, ${formatCoverage(p.coverage)}]`,
      status: p.status,
    });
    for (const o of p.objectives) {
      rows.push({
        line: `  ${o.statement}  [${LABEL[o.status]}  score ${formatScore(o.score)}]`,
        status: o.status,
      });
      for (const m of o.measures)
        rows.push({
          cells: [
            `    ${m.name}${m.segment ? ` [${m.segment}]` : ""}`,
            formatMeasureValue(m.actual, m.unit),
            formatTarget(m.target, m.unit),
            formatPercent(m.progress),
            LABEL[m.status],
            formatChange(m),
          ],
          status: m.status,
        });
    }
  }
  const widths = header.map((h) => h.length);
  for (const r of rows) {
    if (!("cells" in r)) continue;
    for (const [i, c] of r.cells.entries()) widths[i] = Math.max(widths[i]!, c.length);
  }
  const fmt = (cells: string[], status: Status | null) =>
    cells
      .map((c, i) => {
        const padded = i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!);
        return i === 4 && status !== null ? paint(status, padded) : padded;
      })
      .join("  ")
      .trimEnd();
  const total = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const out: string[] = [];
  out.push(`${ev.scorecard.name}${ev.period ? ` — ${ev.period.label}` : ""}`);
  out.push(fmt(header, null), "─".repeat(total));
  for (const r of rows) {
    if ("cells" in r) out.push(fmt(r.cells, r.status));
    else
      out.push(
        r.status === null
          ? r.line
          : r.line.replace(`[${LABEL[r.status]}`, `[${paint(r.status, LABEL[r.status])}`),
      );
  }
  const s = ev.summary;
  out.push("─".repeat(total));
  out.push(
    `Overall: ${paint(s.status, LABEL[s.status])}  score ${formatScore(s.score)}  progress ${formatPercent(s.progress)}  coverage ${formatCoverage(s.coverage)}`,
  );
  out.push(
    `Measures: ${s.counts.green} green, ${s.counts.amber} amber, ${s.counts.red} red, ${s.counts.no_data} no data`,
  );
  for (const w of ev.warnings) out.push(`! ${w.message}`);
  return `${out.join("\n")}\n`;
}
