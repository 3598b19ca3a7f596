import type { ScorecardEvaluation } from "./evaluate.js";
import {
  formatBenchmarks,
  formatChange,
  formatCoverage,
  formatMeasureValue,
  formatPercent,
  formatScore,
  formatTarget,
} from "./format.js";
import type { Status } from "./status.js";

const BADGE: Record<Status, string> = {
  green: "🟢 green",
  amber: "🟠 amber",
  red: "🔴 red",
  no_data: "⚪ no data",
};

const cell = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/**
 * Render an evaluation as Markdown: a heading with the overall status, then per perspective a
 * table of objectives and measures (actual, target, progress, status, change, benchmarks), then
 * the warnings. Pure: returns a string.
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
 * scorecardToMarkdown(evaluation).split("\n")[0] //=> "# Customer — 2026-Q1"
 */
export function scorecardToMarkdown(evaluation: ScorecardEvaluation): string {
  const ev = evaluation;
  const s = ev.summary;
  const lines: string[] = [];
  lines.push(`# ${cell(ev.scorecard.name)}${ev.period ? ` — ${cell(ev.period.label)}` : ""}`, "");
  if (ev.scorecard.description) lines.push(cell(ev.scorecard.description), "");
  lines.push(
    `**Overall: ${BADGE[s.status]}** · score ${formatScore(s.score)} · progress ${formatPercent(s.progress)} · coverage ${formatCoverage(s.coverage)}`,
    "",
    `Measures: ${s.counts.green} green, ${s.counts.amber} amber, ${s.counts.red} red, ${s.counts.no_data} without data.`,
    "",
  );
  for (const p of ev.perspectives) {
    lines.push(`## ${cell(p.name)} — ${BADGE[p.status]}`, "");
    lines.push(
      `Score ${formatScore(p.score)} · progress ${formatPercent(p.progress)} · coverage ${formatCoverage(p.coverage)}`,
      "",
    );
    lines.push(
      "| Objective | Measure | Kind | Actual | Target | Progress | Status | Change | Benchmarks |",
      "|---|---|---|---:|---:|---:|---|---:|---|",
    );
    for (const o of p.objectives) {
      const head = `**${cell(o.statement)}** (${BADGE[o.status]}, ${formatScore(o.score)})`;
      if (o.measures.length === 0) lines.push(`| ${head} | — | | | | | ${BADGE.no_data} | | |`);
      o.measures.forEach((m, i) => {
        const name = `${cell(m.name)}${m.segment ? ` [${cell(m.segment)}]` : ""}`;
        lines.push(
          `| ${i === 0 ? head : ""} | ${name} | ${m.kind}, ${m.timing} | ${formatMeasureValue(m.actual, m.unit)} | ${formatTarget(m.target, m.unit)} | ${formatPercent(m.progress)} | ${BADGE[m.status]} | ${formatChange(m)} | ${cell(formatBenchmarks(m))} |`,
        );
      });
    }
    lines.push("");
  }
  if (ev.links.length > 0) {
    lines.push("### Cause and effect", "");
    for (const l of ev.links)
      lines.push(`- ${cell(l.from)} → ${cell(l.to)}${l.description ? `: ${cell(l.description)}` : ""}`);
    lines.push("");
  }
  if (ev.warnings.length > 0) {
    lines.push("### Warnings", "");
    for (const w of ev.warnings) lines.push(`- ${cell(w.message)}`);
    lines.push("");
  }
  return lines.join("\n");
}
