// What customers say: NPS, CSAT and CES with confidence intervals, overall and by segment.
// Node: `npm run build && node examples/survey.mjs`; Deno: `deno run --allow-read --config deno.json examples/survey.mjs`.
import { parseSurveyResponses } from "cxmetrics/schemas";
import { ces, csat, nps } from "cxmetrics/survey";
import { sampleData } from "./sample-data.mjs";

// Validate the CSV rows: instants need an offset, scores must be integers on their scale.
const responses = parseSurveyResponses(sampleData("responses"));

const fmt = (r, digits = 1) =>
  `${r.score.toFixed(digits)} [${r.ci.lower.toFixed(digits)}, ${r.ci.upper.toFixed(digits)}] (n = ${r.n})`;
const all = nps(responses, (r) => r.nps, { missing: "omit" });
console.log(
  `NPS  ${fmt(all)}  promoters ${(all.shares.promoters * 100).toFixed(1)}%, detractors ${(all.shares.detractors * 100).toFixed(1)}%`,
);
console.log(`CSAT ${fmt(csat(responses, (r) => r.csat, { missing: "omit" }))} % satisfied (4–5 of 5)`);
console.log(
  `CES  ${fmt(
    ces(responses, (r) => r.ces, { missing: "omit" }),
    2,
  )} of 7 (higher = easier)`,
);

// By segment: group the records in a Map (a segment named "__proto__" would be data, not a problem).
const bySegment = new Map();
for (const r of responses) bySegment.set(r.segment, [...(bySegment.get(r.segment) ?? []), r]);
for (const [segment, rows] of [...bySegment].sort()) {
  console.log(`  ${String(segment).padEnd(12)} NPS ${fmt(nps(rows, (r) => r.nps, { missing: "omit" }))}`);
}
