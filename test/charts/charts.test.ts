import { describe, expect, it } from "vitest";
import {
  cohortHeatmapChart,
  mrrWaterfallChart,
  scoreDistributionChart,
  scoreTrendChart,
  scorecardStatusChart,
  survivalCurveChart,
} from "../../src/charts/index.js";
import { renderSvg } from "../../src/cli/svg.js";

describe("chart specs render to SVG with their marks", () => {
  it("score trend keeps empty periods as gaps", async () => {
    const spec = scoreTrendChart([
      { label: "2026-01", score: 20, ci: { lower: 10, upper: 30 }, n: 100 },
      { label: "2026-02", score: null, ci: null, n: 0 },
      { label: "2026-03", score: 25, ci: { lower: 15, upper: 35 }, n: 90 },
    ]);
    const svg = await renderSvg(spec);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("mark-line");
    expect(svg).toContain("mark-area");
    expect(svg).toContain("2026-03");
  });

  it("distribution, cohort, survival, waterfall and scorecard", async () => {
    const specs = [
      scoreDistributionChart(
        [
          { value: 9, count: 4 },
          { value: 3, count: 1 },
        ],
        {
          scale: { min: 0, max: 10 },
          categorise: (v) => (v >= 9 ? "promoter" : v <= 6 ? "detractor" : "passive"),
        },
      ),
      cohortHeatmapChart([{ cohort: "2026-01", size: 10, share: [1, 0.8, null] }]),
      survivalCurveChart([
        { time: 0, survival: 1, lower: 1, upper: 1 },
        { time: 2, survival: 0.8, lower: 0.7, upper: 0.9 },
      ]),
      mrrWaterfallChart({
        startingMrr: 100,
        new: 20,
        expansion: 5,
        reactivation: 1,
        contraction: 3,
        churn: 8,
        endingMrr: 115,
      }),
      scorecardStatusChart([
        { objective: "easy to deal with", measure: "CES", status: "green", progress: 1.2 },
      ]),
    ];
    const marks = ["mark-rect", "mark-rect", "mark-line", "mark-rect", "mark-rect"];
    for (const [k, spec] of specs.entries()) {
      const svg = await renderSvg(spec);
      expect(svg, `chart ${k}`).toContain(marks[k]);
    }
    // cohort cells that are not observable yet are not drawn as 0 %
    expect(JSON.stringify(specs[1])).not.toContain('"share":null');
  });
});

describe("scoreDistributionChart without categories", () => {
  it("still draws one bar per scale point", async () => {
    const svg = await renderSvg(
      scoreDistributionChart(
        [
          { value: 1, count: 2 },
          { value: 5, count: 7 },
        ],
        { scale: { min: 1, max: 5 } },
      ),
    );
    expect((svg.match(/<path[^>]*aria-roledescription="bar"/g) ?? []).length).toBe(5);
  });
});
