// Worked example: the customer perspective of a balanced scorecard ("Acme gives me fast and honest
// results", "Acme is easy to deal with", "I would recommend Acme to a friend", …), evaluated from this
// quarter's numbers. Run after `npm run build`: `npx tsx examples/scorecard/evaluate.ts`
// (Deno: `deno run --allow-read --config deno.json examples/scorecard/evaluate.ts`).
import { evaluateScorecard, parseScorecard, scorecardToMarkdown, scorecardToText } from "cxmetrics/scorecard";
import quarter from "./actuals-2026-Q1.json" with { type: "json" };
import scorecardJson from "./customer-scorecard.json" with { type: "json" };

// Validates everything: ids, links (a DAG), weights, targets vs baselines, thresholds.
const scorecard = parseScorecard(scorecardJson);

// Actuals by measure id: a number, `null` (not measured yet: reported as "no data", and the
// objective's roll-up is re-normalised over the measures that have data, never scored as 0), or
// `{ value, n }` with the sample size behind it.
const evaluation = evaluateScorecard(scorecard, quarter.actuals, {
  period: quarter.period,
  previousActuals: quarter.previousActuals,
});

// Terminal table (colours only on a terminal), Markdown, and JSON (the evaluation object itself).
console.log(scorecardToText(evaluation, { color: Boolean(globalThis.process?.stdout?.isTTY) }));
console.log(scorecardToMarkdown(evaluation));
console.log(JSON.stringify(evaluation.summary, null, 2));

// To compute the measures from records instead (survey responses, tickets, subscriptions, orders):
//   import { defaultMetricRegistry } from "cxmetrics/scorecard";
//   evaluateScorecard(scorecard, { surveyResponses, tickets, subscriptions, orders }, {
//     registry: defaultMetricRegistry,
//     period: { from: "2026-01-01", to: "2026-04-01", label: "2026-Q1" },
//     previousPeriod: { from: "2025-10-01", to: "2026-01-01" },
//     timeZone: "Europe/Berlin",
//   });
