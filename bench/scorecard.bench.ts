/**
 * Scorecard benchmarks (issue 8): how much time the scorecard logic itself takes.
 * 1. Scorecard logic alone: parse + evaluate a 50-measure scorecard from given actuals, against a
 *    hand-written loop computing only the statuses and a weighted mean (the floor for this work).
 * 2. From data: 50 measures computed over 1M survey rows and 100k subscriptions through a metric
 *    registry, end to end, against the same metric computations called directly (same segment
 *    filtering, same computes). The ratio shows what the scorecard adds on top of the metrics.
 *
 * The metrics in case 2 are stand-ins registered in the bench (NPS counts, a mean, shares, an
 * active-customer share): the survey domain's metrics were not yet available when this was written,
 * and the point is the split between metric work and scorecard logic, not the metrics' own speed
 * (see the survey and retention benches for those).
 *
 * Run: node --expose-gc --import tsx bench/scorecard.bench.ts   (BENCH_SCALE=0.1 for a quick run)
 */
import { seededRandom } from "../src/core/random.js";
import { type ScorecardInput, parseScorecard } from "../src/schemas/scorecard.js";
import { evaluateScorecard } from "../src/scorecard/evaluate.js";
import { type MetricData, type MetricDefinition, createMetricRegistry } from "../src/scorecard/registry.js";
import { type CaseResult, compare, peakRssMiB, writeResults } from "./harness.js";

const SCALE = Number(process.env.BENCH_SCALE ?? "1");
const SURVEY_ROWS = Math.round(1_000_000 * SCALE);
const SUBSCRIPTIONS = Math.round(100_000 * SCALE);
const SEGMENTS = ["smb", "mid", "enterprise", "public", "education"];
const cases: CaseResult[] = [];
const notes: string[] = [];

// ------------------------------------------------------------------ data
const rnd = seededRandom(20260301);
interface Response {
  segment: string;
  nps: number;
  ces: number;
}
interface Sub {
  segment: string;
  startedAt: number;
  endedAt: number | null;
}
const surveyResponses: Response[] = new Array(SURVEY_ROWS);
for (let i = 0; i < SURVEY_ROWS; i++)
  surveyResponses[i] = {
    segment: SEGMENTS[Math.floor(rnd() * SEGMENTS.length)]!,
    nps: Math.floor(rnd() * 11),
    ces: 1 + Math.floor(rnd() * 7),
  };
const T0 = Date.UTC(2025, 0, 1);
const YEAR = 365 * 86_400_000;
const subscriptions: Sub[] = new Array(SUBSCRIPTIONS);
for (let i = 0; i < SUBSCRIPTIONS; i++) {
  const startedAt = T0 + Math.floor(rnd() * YEAR);
  subscriptions[i] = {
    segment: SEGMENTS[Math.floor(rnd() * SEGMENTS.length)]!,
    startedAt,
    endedAt: rnd() < 0.3 ? startedAt + Math.floor(rnd() * YEAR) : null,
  };
}
const data = { surveyResponses, subscriptions } as unknown as MetricData;

// ------------------------------------------------------------------ stand-in metrics
const responses = (d: MetricData) => (d.surveyResponses ?? []) as unknown as Response[];
const subs = (d: MetricData) => (d.subscriptions ?? []) as unknown as Sub[];
function npsCounts(rows: Response[]) {
  let p = 0;
  let d = 0;
  for (const r of rows) {
    if (r.nps >= 9) p++;
    else if (r.nps <= 6) d++;
  }
  const n = rows.length;
  return {
    n,
    score: n ? (100 * (p - d)) / n : null,
    promoters: n ? p / n : null,
    detractors: n ? d / n : null,
  };
}
const metrics: MetricDefinition[] = [
  {
    name: "nps",
    unit: "points",
    direction: "higherIsBetter",
    kind: "opinion",
    compute: (d) => npsCounts(responses(d)),
  },
  {
    name: "promoterShare",
    unit: "share",
    direction: "higherIsBetter",
    kind: "opinion",
    field: "promoters",
    compute: (d) => npsCounts(responses(d)),
  },
  {
    name: "detractorShare",
    unit: "share",
    direction: "lowerIsBetter",
    kind: "opinion",
    field: "detractors",
    compute: (d) => npsCounts(responses(d)),
  },
  {
    name: "ces",
    unit: "points",
    direction: "higherIsBetter",
    kind: "opinion",
    compute: (d) => {
      const rows = responses(d);
      let s = 0;
      for (const r of rows) s += r.ces;
      return { n: rows.length, score: rows.length ? s / rows.length : null };
    },
  },
  {
    name: "activeShare",
    unit: "share",
    direction: "higherIsBetter",
    kind: "activity",
    compute: (d, params) => {
      const at = T0 + YEAR * Number(params.atYears ?? 1);
      let started = 0;
      let active = 0;
      for (const s of subs(d)) {
        if (s.startedAt >= at) continue;
        started++;
        if (s.endedAt === null || s.endedAt > at) active++;
      }
      return { n: started, score: started ? active / started : null };
    },
  },
];
const registry = createMetricRegistry();
for (const m of metrics) registry.register(m);

// 50 measures: 5 segments × (nps, promoters, detractors, ces, 6 active shares at different dates)
const bindings: { metric: string; params?: Record<string, unknown> }[] = [
  { metric: "nps" },
  { metric: "promoterShare" },
  { metric: "detractorShare" },
  { metric: "ces" },
  ...[0.5, 0.6, 0.7, 0.8, 0.9, 1].map((atYears) => ({ metric: "activeShare", params: { atYears } })),
];
const scorecardJson: ScorecardInput = {
  name: "bench",
  perspectives: [
    {
      id: "customer",
      name: "Customer",
      objectives: SEGMENTS.map((segment) => ({
        id: `o-${segment}`,
        statement: `${segment} customers would recommend us`,
        measures: bindings.map((b, k) => {
          const def = registry.get(b.metric)!;
          const share = def.unit === "share";
          const higher = def.direction === "higherIsBetter";
          return {
            id: `m-${segment}-${k}`,
            name: `${b.metric} ${k}`,
            kind: def.kind,
            timing: k < 4 ? ("leading" as const) : ("lagging" as const),
            unit: def.unit,
            direction: def.direction,
            baseline: share ? (higher ? 0.2 : 0.5) : 0,
            target: share ? (higher ? 0.6 : 0.3) : 4,
            weight: 1 + (k % 3),
            benchmarks: [{ name: "Competitor A", value: share ? 0.4 : 2 }],
            segment,
            binding: b,
          };
        }),
      })),
    },
  ],
};
const scorecard = parseScorecard(scorecardJson);
const measureCount = scorecard.perspectives[0]!.objectives.reduce((a, o) => a + o.measures.length, 0);
if (measureCount !== 50) throw new Error(`expected 50 measures, found ${measureCount}`);

// ------------------------------------------------------------------ 1. logic alone
const actuals: Record<string, number | null> = {};
const previousActuals: Record<string, number | null> = {};
for (const o of scorecard.perspectives[0]!.objectives)
  for (const [k, m] of o.measures.entries()) {
    actuals[m.id] = k % 11 === 5 ? null : (m.unit === "share" ? 0.1 : 1) * (1 + ((k * 7) % 5));
    previousActuals[m.id] = (m.unit === "share" ? 0.1 : 1) * (1 + ((k * 3) % 5));
  }

function naiveLogic(): number {
  // statuses (default rule) and one weighted mean of status points: the floor for the work
  let sw = 0;
  let s = 0;
  for (const o of scorecard.perspectives[0]!.objectives)
    for (const m of o.measures) {
      const a = actuals[m.id];
      if (a === null || a === undefined) continue;
      const t = m.target as number;
      const tol = 0.1 * Math.abs(t);
      const pts =
        m.direction === "higherIsBetter"
          ? a >= t
            ? 1
            : a >= t - tol
              ? 0.5
              : 0
          : a <= t
            ? 1
            : a <= t + tol
              ? 0.5
              : 0;
      sw += m.weight;
      s += m.weight * pts;
    }
  return s / sw;
}

cases.push(
  await compare(
    "Scorecard logic: 50 measures from actuals (parse + evaluate, with previous period and benchmarks)",
    [
      {
        name: "evaluateScorecard(json, actuals) — parse included",
        run: () => evaluateScorecard(scorecardJson, actuals, { previousActuals }).summary.score,
      },
      {
        name: "evaluateScorecard(parsed, actuals) — re-validates",
        run: () => evaluateScorecard(scorecard, actuals, { previousActuals }).summary.score,
      },
      { name: "parseScorecard(json) alone", run: () => parseScorecard(scorecardJson).perspectives.length },
      { name: "naive loop: statuses + one weighted mean", run: () => naiveLogic() },
    ],
    { rounds: 21, warmup: 5, baseline: "naive loop: statuses + one weighted mean" },
  ),
);

// ------------------------------------------------------------------ 2. from data
function metricsAlone(): number {
  // exactly the metric work evaluateScorecard does: filter each segment once, compute each distinct binding once
  let acc = 0;
  for (const segment of SEGMENTS) {
    const seg: MetricData = {};
    for (const [k, rows] of Object.entries(data))
      seg[k] = (rows as { segment: string }[]).filter(
        (r) => r !== null && typeof r === "object" && r.segment === segment,
      );
    for (const b of bindings) {
      const r = registry
        .get(b.metric)!
        .compute(seg, b.params ?? {}, { period: null, asOf: null, timeZone: "UTC", segment });
      acc += ((r as Record<string, number | null>)[registry.get(b.metric)!.field ?? "score"] ?? 0) as number;
    }
  }
  return acc;
}
const sumActuals = (ev: ReturnType<typeof evaluateScorecard>) =>
  ev.perspectives[0]!.objectives.reduce((a, o) => a + o.measures.reduce((b, m) => b + (m.actual ?? 0), 0), 0);

cases.push(
  await compare(
    `From data: 50 measures over ${SURVEY_ROWS.toLocaleString("en")} survey rows + ${SUBSCRIPTIONS.toLocaleString("en")} subscriptions`,
    [
      {
        name: "evaluateScorecard(scorecard, data, { registry })",
        run: () => sumActuals(evaluateScorecard(scorecard, data, { registry })),
      },
      { name: "the same metric computations called directly", run: () => metricsAlone() },
    ],
    {
      rounds: 7,
      warmup: 2,
      baseline: "the same metric computations called directly",
      check: (a, b) => {
        if (Math.abs((a as number) - (b as number)) > 1e-9 * Math.abs(a as number))
          throw new Error(`answers differ: ${a} vs ${b}`);
      },
    },
  ),
);

const logic = cases[0]!.rows[1]!.medianMs!;
const metricsMs = cases[1]!.rows[1]!.medianMs!;
notes.push(
  `Scorecard logic (evaluate a parsed 50-measure scorecard from actuals): ${(logic * 1000).toFixed(0)} µs, ${((100 * logic) / metricsMs).toFixed(3)} % of the metric computation in case 2 (${metricsMs.toFixed(0)} ms).`,
  "Case 2's metrics are stand-ins registered in the bench (counts and means over plain records); the split, not the metrics' speed, is the point.",
  "evaluateScorecard always re-validates its scorecard (parseScorecard): the first two rows of case 1 differ by little because parsing is most of the logic's time.",
  `Peak RSS ${peakRssMiB().toFixed(0)} MiB (data: ${SURVEY_ROWS.toLocaleString("en")} survey records, ${SUBSCRIPTIONS.toLocaleString("en")} subscriptions). BENCH_SCALE=${SCALE}.`,
);
writeResults("scorecard", cases, notes);
