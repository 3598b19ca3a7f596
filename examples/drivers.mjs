// Why: which experiences drive the likelihood to recommend (key-driver analysis with LMG/Shapley
// importance), and where to act first (importance–performance quadrants).
// Node: `npm run build && node examples/drivers.mjs`; Deno: `deno run --allow-read --config deno.json examples/drivers.mjs`.
import { importancePerformance } from "cxmetrics/drivers";
import { parseSurveyResponses } from "cxmetrics/schemas";
import { sampleData } from "./sample-data.mjs";

const responses = parseSurveyResponses(sampleData("responses"));
const names = Object.keys(responses[0].drivers); // driver_<name> columns become drivers.<name>
const ipa = importancePerformance({
  outcome: responses.map((r) => r.nps),
  drivers: Object.fromEntries(names.map((n) => [n, responses.map((r) => r.drivers[n] ?? null)])),
  outcomeName: "nps",
});

const kd = ipa.keyDrivers;
console.log(`R² = ${kd.r2.toFixed(3)} on n = ${kd.n}`);
for (const d of [...ipa.drivers].sort((x, y) => y.importance - x.importance)) {
  console.log(
    `  ${d.name.padEnd(8)} ${((d.importance / kd.r2) * 100).toFixed(1).padStart(5)}% of R²  mean ${d.performance.toFixed(2)}  → ${d.quadrant}`,
  );
}
