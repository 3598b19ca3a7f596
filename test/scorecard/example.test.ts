/**
 * The worked example end to end: examples/scorecard/customer-scorecard.json evaluated with the
 * numbers in examples/scorecard/actuals-2026-Q1.json, as examples/scorecard/evaluate.ts does.
 * Expected values worked out by hand from the default rules (docs/scorecard.md).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScorecard } from "../../src/schemas/scorecard.js";
import { type Actuals, evaluateScorecard } from "../../src/scorecard/evaluate.js";
import { scorecardToMarkdown } from "../../src/scorecard/markdown.js";
import { scorecardToText } from "../../src/scorecard/text.js";
import { exampleScorecardJson } from "./fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
const quarter = JSON.parse(
  readFileSync(join(here, "..", "..", "examples", "scorecard", "actuals-2026-Q1.json"), "utf8"),
) as {
  period: string;
  actuals: Actuals;
  previousActuals: Actuals;
};

const near = (a: number | null, b: number, eps = 1e-12) => {
  expect(a).not.toBeNull();
  expect(Math.abs(a! - b)).toBeLessThanOrEqual(eps);
};

describe("worked example: Acme's customer perspective, 2026-Q1", () => {
  const scorecard = parseScorecard(exampleScorecardJson());
  const ev = evaluateScorecard(scorecard, quarter.actuals, {
    period: quarter.period,
    previousActuals: quarter.previousActuals,
  });
  const measures = new Map(
    ev.perspectives.flatMap((p) => p.objectives.flatMap((o) => o.measures.map((m) => [m.id, m] as const))),
  );
  const objectives = new Map(ev.perspectives.flatMap((p) => p.objectives.map((o) => [o.id, o] as const)));

  it("measures: status, progress, change and benchmarks", () => {
    // lower is better, target 2 h: green ≤ 2, amber ≤ 2.2
    expect(measures.get("first-response-time")).toMatchObject({
      actual: 2.1,
      status: "amber",
      change: { previous: 2.6, improved: true },
    });
    near(measures.get("first-response-time")!.progress, (2.1 - 4) / (2 - 4));
    // target 80 %: amber from 72 %
    expect(measures.get("fcr")).toMatchObject({
      actual: 0.74,
      n: 1873,
      status: "amber",
      benchmarks: [{ name: "Industry median", ahead: true }],
    });
    near(measures.get("fcr")!.progress, (0.74 - 0.68) / (0.8 - 0.68));
    near(measures.get("fcr")!.benchmarks[0]!.gap, 0.04);
    expect(measures.get("ces")).toMatchObject({ actual: 5.6, status: "green", progress: 1 });
    near(measures.get("ces")!.progressUnclamped, (5.6 - 4.9) / (5.5 - 4.9));
    // target 35: amber from 31.5
    expect(measures.get("nps")).toMatchObject({ actual: 33, status: "amber", gapToTarget: -2 });
    near(measures.get("nps")!.progress, 9 / 11);
    expect(measures.get("nps")!.benchmarks.map((b) => [b.name, b.gap, b.ahead])).toEqual([
      ["Competitor A", 2, true],
      ["Competitor B", -5, false],
    ]);
    expect(measures.get("retention")).toMatchObject({ status: "green", progress: 1 });
    expect(measures.get("repeat-purchase")).toMatchObject({
      actual: null,
      status: "no_data",
      change: { previous: 0.36, absolute: null },
    });
  });

  it("objectives: weighted roll-up over measures with data", () => {
    expect(objectives.get("fast-honest")).toMatchObject({
      score: 0.5,
      status: "amber",
      drives: ["recommend"],
    });
    expect(objectives.get("easy")).toMatchObject({
      score: 1,
      status: "green",
      drives: ["recommend", "come-back"],
    });
    expect(objectives.get("recommend")).toMatchObject({
      score: 0.5,
      status: "amber",
      weight: 2,
      drivenBy: ["fast-honest", "easy"],
    });
    expect(objectives.get("come-back")).toMatchObject({
      score: 1,
      status: "green",
      coverage: { measures: 2, measuresWithData: 1, weightShare: 0.5 },
    });
  });

  it("perspective and summary", () => {
    const p = ev.perspectives[0]!;
    // (0.5·1 + 1·1 + 0.5·2 + 1·1) / 5
    near(p.score, 3.5 / 5);
    expect(p.status).toBe("green");
    near(p.coverage.weightShare, (1 + 1 + 2 + 0.5) / 5);
    const fastHonest = ((2.1 - 4) / (2 - 4) + (0.74 - 0.68) / (0.8 - 0.68)) / 2;
    near(p.progress, (fastHonest + 1 + 2 * (9 / 11) + 1) / 5);
    expect(ev.summary).toMatchObject({
      status: "green",
      counts: { green: 2, amber: 3, red: 0, no_data: 1 },
      byKind: { opinion: { green: 1, amber: 1 }, activity: { green: 1, amber: 2, no_data: 1 } },
      amber: ["first-response-time", "fcr", "nps"],
      noData: ["repeat-purchase"],
    });
    expect(ev.warnings).toEqual([
      {
        code: "partial_coverage",
        message:
          'objective "come-back": 1 of 2 measures have data (weight share 0.50); the roll-up is re-normalised over them',
      },
    ]);
  });

  it("renders as Markdown and as a terminal table", () => {
    const md = scorecardToMarkdown(ev);
    expect(md).toContain("# Acme — customer perspective — 2026-Q1");
    expect(md).toContain(
      "| **Acme is easy to deal with** (🟢 green, 1.00) | Customer effort score (1–7, higher is easier) | opinion, leading | 5.6 | 5.5 | 100% | 🟢 green | +0.4 ▲ | Competitor A +0.3 (ahead) |",
    );
    expect(md).toContain("| Repeat purchase rate | activity, lagging | — | 40% | — | ⚪ no data | — | — |");
    expect(md).toContain("- easy → come-back: low effort keeps customers");
    const text = scorecardToText(ev);
    expect(text).not.toContain("\u001b[");
    expect(text).toMatch(/Net Promoter Score\s+33\s+35\s+82%\s+AMBER\s+\+4 ▲/);
    expect(text).toContain("Overall: GREEN  score 0.70  progress");
  });
});
