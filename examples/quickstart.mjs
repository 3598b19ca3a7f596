// Quick start: runs unchanged in Node (node examples/quickstart.mjs, after `npm run build`)
// and in Deno (deno run --allow-read --config deno.json examples/quickstart.mjs).
import { csat, nps, npsDifference } from "cxmetrics/survey";

const scores = [10, 9, 9, 8, 7, 10, 6, 3, 9, 10, 8, 9, 5, 10, 9];
const result = nps(scores, { ci: "adjustedWald" });
console.log(
  `NPS ${result.score.toFixed(1)} (n = ${result.n}), 95% CI [${result.ci.lower.toFixed(1)}, ${result.ci.upper.toFixed(1)}]`,
);
for (const w of result.warnings) console.log(`warning: ${w.message}`);

const satisfaction = csat([5, 4, 4, 3, 5, 2, null, 5], {
  scale: { min: 1, max: 5 },
  ci: "wilson",
  missing: "omit",
});
console.log(
  `CSAT ${satisfaction.score.toFixed(1)}% satisfied (n = ${satisfaction.n}, ${satisfaction.excluded.missing} skipped)`,
);

const diff = npsDifference([10, 9, 9, 10, 8, 9, 10], [6, 7, 9, 3, 8, 10, 5]);
console.log(`difference ${diff.difference.toFixed(1)} points, p = ${diff.pValue.toFixed(3)}`);
