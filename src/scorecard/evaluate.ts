import {
  type InputIssue,
  InsufficientDataError,
  InvalidInputError,
  formatValue,
  invalidOption,
} from "../core/errors.js";
import { checkTimeZone, parseInstant } from "../core/time.js";
import type { Warning } from "../core/values.js";
import {
  type CauseEffectLink,
  type Measure,
  type MeasureDirection,
  type MeasureKind,
  type MeasureTiming,
  type Scorecard,
  type ScorecardInput,
  type TargetRange,
  parseScorecard,
} from "../schemas/scorecard.js";
import {
  type MetricContext,
  type MetricData,
  type MetricRegistry,
  type MetricWindow,
  extractMetricValue,
} from "./registry.js";
import {
  type RollUp,
  type RollUpPart,
  type RollUpRule,
  type StatusCounts,
  addCounts,
  emptyCounts,
  measurePart,
  rollUp,
} from "./rollup.js";
import {
  type ResolvedThresholds,
  STATUS_POINTS,
  type Status,
  distanceToRange,
  isBetter,
  measureProgress,
  resolveThresholds,
  statusOf,
} from "./status.js";

/** One measure's actual: a number, `null`/`undefined` (no data), or `{ value, n }` with its sample size. */
export type ActualValue = number | null | undefined | { value: number | null; n?: number | null };
/** Actuals by measure id: a `Map` or a plain record. */
export type Actuals = ReadonlyMap<string, ActualValue> | Readonly<Record<string, ActualValue>>;

/** A reporting window `[from, to)`; instants as `Date`, epoch ms or ISO strings with an offset. */
export interface PeriodWindowInput {
  from: Date | string | number;
  to: Date | string | number;
  /** Label in reports (default `from/to` in ISO). */
  label?: string;
}

/** Options of {@link evaluateScorecard}. */
export interface EvaluateScorecardOptions {
  /** The reporting period: a label (`"2026-Q1"`) or, to compute from data, a window `{ from, to, label? }`. */
  period?: string | PeriodWindowInput;
  /** The previous period; from data, its actuals are computed over this window for `change`. */
  previousPeriod?: string | PeriodWindowInput;
  /** Actuals of the previous period (take precedence over `previousPeriod` computation). */
  previousActuals?: Actuals;
  /** From data: manual actuals for measures without a binding, or overriding a computed value. */
  actuals?: Actuals;
  /**
   * From data: the metrics bindings refer to, e.g. `defaultMetricRegistry` (the library's) or your own
   * `createMetricRegistry(defaultMetricRegistry).register(…)`. Required to compute from data (kept explicit
   * so that evaluating given actuals loads no metric code).
   */
  registry?: MetricRegistry;
  /** Data as-of instant, passed to metrics and reported. */
  asOf?: Date | string | number;
  /** IANA time zone for windows given as local dates and for calendar metrics (default `"UTC"`). */
  timeZone?: string;
  /** `"weightedScore"` (default; see {@link statusFromScore}) or `"worst"` (a node is as bad as its worst weighted part). */
  rollUp?: RollUpRule;
}

/** Gap between the actual and one benchmark. */
export interface BenchmarkGap {
  name: string;
  value: number;
  source: string | null;
  /** actual − benchmark (in the measure's unit); `null` without an actual. */
  gap: number | null;
  /** True when the actual is better than the benchmark for the measure's direction; `null` when equal or no actual. */
  ahead: boolean | null;
}

/** Change against the previous period. */
export interface MeasureChange {
  previous: number | null;
  /** actual − previous. */
  absolute: number | null;
  /** (actual − previous) / |previous|; `null` when previous is 0. */
  relative: number | null;
  /** True when better for the direction, false when worse, `null` when unchanged or unknown. */
  improved: boolean | null;
  /** Status of the previous value against the current thresholds. */
  previousStatus: Status;
}

/** Evaluation of one measure. */
export interface MeasureEvaluation {
  id: string;
  name: string;
  perspectiveId: string;
  objectiveId: string;
  kind: MeasureKind;
  timing: MeasureTiming;
  unit: string;
  direction: MeasureDirection;
  segment: string | null;
  weight: number;
  /** The actual value, `null` when there is none. */
  actual: number | null;
  /** Sample size behind the actual, when known. */
  n: number | null;
  /** Where the actual came from. */
  source: "actuals" | "computed" | "none";
  /** Bound metric name, if any. */
  metric: string | null;
  baseline: number | null;
  target: number | TargetRange;
  thresholds: ResolvedThresholds;
  status: Status;
  /** Status points used in the roll-up (green 1, amber ½, red 0), `null` without data. */
  points: number | null;
  /** Progress from baseline to target, clamped to 0–1. */
  progress: number | null;
  /** The same, unclamped. */
  progressUnclamped: number | null;
  /** Why progress is `null` (`no_data`, `no_baseline`, `target_equals_baseline`, `baseline_in_range`). */
  progressNote: string | null;
  /** actual − target (distance to the band for `inRange`, signed: negative below `min`); `null` without data. */
  gapToTarget: number | null;
  change: MeasureChange | null;
  benchmarks: BenchmarkGap[];
  /** Why there is no data, metric notes. */
  notes: string[];
}

/** Evaluation of one objective. */
export interface ObjectiveEvaluation extends RollUp {
  id: string;
  statement: string;
  owner: string | null;
  perspectiveId: string;
  weight: number;
  measures: MeasureEvaluation[];
  /** Objectives with a link into this one (causes in the strategy map). */
  drivenBy: string[];
  /** Objectives this one drives. */
  drives: string[];
}

/** Evaluation of one perspective. */
export interface PerspectiveEvaluation extends RollUp {
  id: string;
  name: string;
  weight: number;
  objectives: ObjectiveEvaluation[];
}

/** The whole scorecard's summary. */
export interface ScorecardSummary extends RollUp {
  /** Measures by status, split by kind (say vs do). */
  byKind: Record<MeasureKind, StatusCounts>;
  /** Measures by status, split by timing. */
  byTiming: Record<MeasureTiming, StatusCounts>;
  /** Ids of red, amber and no-data measures, in declaration order. */
  red: string[];
  amber: string[];
  noData: string[];
  /** The roll-up rule used. */
  rule: RollUpRule;
}

/** A reporting period as reported. */
export interface EvaluatedPeriod {
  label: string;
  /** ISO instant (UTC) of the window start, `null` for a label-only period. */
  from: string | null;
  to: string | null;
}

/** The result of {@link evaluateScorecard}: plain JSON-serialisable data (it is the JSON rendering). */
export interface ScorecardEvaluation {
  scorecard: { id: string | null; name: string; description: string | null };
  /** `"actuals"` (given numbers) or `"data"` (computed through the registry). */
  mode: "actuals" | "data";
  period: EvaluatedPeriod | null;
  previousPeriod: EvaluatedPeriod | null;
  asOf: string | null;
  perspectives: PerspectiveEvaluation[];
  links: CauseEffectLink[];
  summary: ScorecardSummary;
  warnings: Warning[];
}

const FN = "evaluateScorecard";

interface Value {
  value: number | null;
  n: number | null;
}

function readActual(id: string, v: unknown, what: string, issues: InputIssue[]): Value | undefined {
  if (v === undefined) return undefined;
  let value: unknown = v;
  let n: unknown = null;
  if (v !== null && typeof v === "object") {
    value = (v as { value?: unknown }).value ?? null;
    n = (v as { n?: unknown }).n ?? null;
  }
  if (value !== null && typeof value !== "number") {
    issues.push({
      index: null,
      path: [what, id],
      code: "invalid_type",
      message: `expected a number, null or { value, n }, found ${formatValue(value)}`,
    });
    return undefined;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    issues.push({
      index: null,
      path: [what, id],
      code: "non_finite_value",
      message: `expected a finite number, found ${value}`,
    });
    return undefined;
  }
  if (n !== null && (typeof n !== "number" || !Number.isInteger(n) || n < 0)) {
    issues.push({
      index: null,
      path: [what, id, "n"],
      code: "invalid_type",
      message: `expected a sample size (integer ≥ 0), found ${formatValue(n)}`,
    });
    return undefined;
  }
  return { value: value as number | null, n: n as number | null };
}

function readActuals(input: Actuals | undefined, what: string): Map<string, Value> {
  const out = new Map<string, Value>();
  if (input === undefined) return out;
  const issues: InputIssue[] = [];
  if (!(input instanceof Map) && (typeof input !== "object" || input === null || Array.isArray(input)))
    invalidOption(FN, what, "a Map or record of measure id → number | null | { value, n }", input);
  const entries: Iterable<[string, unknown]> = input instanceof Map ? input.entries() : Object.entries(input);
  for (const [id, v] of entries) {
    const r = readActual(id, v, what, issues);
    if (r) out.set(id, r);
  }
  if (issues.length > 0) throw new InvalidInputError(issues, { context: FN });
  return out;
}

function readWindow(
  p: string | PeriodWindowInput | undefined,
  name: string,
  timeZone: string,
): { window: MetricWindow | null; out: EvaluatedPeriod | null } {
  if (p === undefined) return { window: null, out: null };
  if (typeof p === "string") return { window: null, out: { label: p, from: null, to: null } };
  if (p === null || typeof p !== "object") invalidOption(FN, name, "a label or { from, to, label? }", p);
  const from = parseInstant(p.from, { timeZone, path: [name, "from"], fn: FN });
  const to = parseInstant(p.to, { timeZone, path: [name, "to"], fn: FN });
  if (!(to > from)) invalidOption(FN, `${name}.to`, `an instant after ${name}.from`, p.to);
  const iso = (ms: number) => new Date(ms).toISOString();
  const label = p.label ?? `${iso(from)}/${iso(to)}`;
  return { window: { from, to, label }, out: { label, from: iso(from), to: iso(to) } };
}

function isDataInput(input: unknown, options: EvaluateScorecardOptions | undefined): boolean {
  if (input instanceof Map || input === null || typeof input !== "object") return false;
  if (options?.registry !== undefined) return true;
  return Object.values(input).some((v) => Array.isArray(v));
}

interface Located {
  measure: Measure;
  path: (string | number)[];
}

function allMeasures(sc: Scorecard): Located[] {
  const out: Located[] = [];
  for (const [pi, p] of sc.perspectives.entries())
    for (const [oi, o] of p.objectives.entries())
      for (const [mi, m] of o.measures.entries())
        out.push({ measure: m, path: ["perspectives", pi, "objectives", oi, "measures", mi] });
  return out;
}

function filterSegment(data: MetricData, segment: string): MetricData {
  const out: MetricData = {};
  for (const [k, rows] of Object.entries(data)) {
    out[k] = Array.isArray(rows)
      ? rows.filter(
          (r) => r !== null && typeof r === "object" && (r as { segment?: unknown }).segment === segment,
        )
      : rows;
  }
  return out;
}

/** Compute every bound measure's actual from data through the registry. */
function computeActuals(
  sc: Scorecard,
  data: MetricData,
  registry: MetricRegistry,
  ctx: Omit<MetricContext, "segment">,
  notes: Map<string, string[]>,
  warnings: Warning[],
  skip: ReadonlyMap<string, unknown>,
): Map<string, Value> {
  const out = new Map<string, Value>();
  const segmentData = new Map<string, MetricData>();
  const cache = new Map<string, unknown>();
  for (const { measure: m } of allMeasures(sc)) {
    if (!m.binding || skip.has(m.id)) continue;
    const def = registry.get(m.binding.metric)!;
    const segment = m.segment ?? null;
    let d = data;
    if (segment !== null && (def.segmentFilter ?? "records") === "records") {
      let sd = segmentData.get(segment);
      if (!sd) segmentData.set(segment, (sd = filterSegment(data, segment)));
      d = sd;
    }
    const key = JSON.stringify([def.name, m.binding.params ?? {}, segment]);
    let result = cache.get(key);
    if (!cache.has(key)) {
      try {
        result = def.compute(d, m.binding.params ?? {}, { ...ctx, segment });
      } catch (e) {
        if (!(e instanceof InsufficientDataError)) throw e;
        result = e;
      }
      cache.set(key, result);
    }
    if (result instanceof InsufficientDataError) {
      out.set(m.id, { value: null, n: null });
      const msg = `${def.name}: ${result.message}`;
      notes.get(m.id)?.push(msg);
      warnings.push({
        code: "no_data",
        message: `measure ${formatValue(m.id)}${ctx.period ? ` (${ctx.period.label})` : ""}: ${msg}`,
      });
      continue;
    }
    const field = m.binding.field ?? def.field ?? "score";
    out.set(
      m.id,
      extractMetricValue(result, field, `${FN}: measure ${formatValue(m.id)} (${def.name}.${field})`),
    );
  }
  return out;
}

function evaluateMeasure(
  m: Measure,
  perspectiveId: string,
  objectiveId: string,
  current: Value | undefined,
  source: MeasureEvaluation["source"],
  previous: Value | undefined,
  notes: string[],
): MeasureEvaluation {
  const actual = current?.value ?? null;
  const th = resolveThresholds(m);
  const status = statusOf(th, actual);
  const prog = measureProgress(m, actual);
  if (actual === null && notes.length === 0)
    notes.push(source === "none" ? "no actual given and no binding" : "no data");
  let gapToTarget: number | null = null;
  if (actual !== null) {
    if (typeof m.target === "number") gapToTarget = actual - m.target;
    else if (actual < m.target.min) gapToTarget = actual - m.target.min;
    else gapToTarget = distanceToRange(actual, m.target);
  }
  let change: MeasureChange | null = null;
  if (previous !== undefined) {
    const prev = previous.value;
    const abs = prev !== null && actual !== null ? actual - prev : null;
    change = {
      previous: prev,
      absolute: abs,
      relative: abs !== null && prev !== 0 ? abs / Math.abs(prev!) : null,
      improved: prev !== null && actual !== null ? isBetter(m, actual, prev) : null,
      previousStatus: statusOf(th, prev),
    };
  }
  return {
    id: m.id,
    name: m.name,
    perspectiveId,
    objectiveId,
    kind: m.kind,
    timing: m.timing,
    unit: m.unit,
    direction: m.direction,
    segment: m.segment ?? null,
    weight: m.weight,
    actual,
    n: current?.n ?? null,
    source,
    metric: m.binding?.metric ?? null,
    baseline: m.baseline ?? null,
    target: m.target,
    thresholds: th,
    status,
    points: status === "no_data" ? null : STATUS_POINTS[status],
    progress: prog.clamped,
    progressUnclamped: prog.unclamped,
    progressNote: prog.reason,
    gapToTarget,
    change,
    benchmarks: m.benchmarks.map((b) => ({
      name: b.name,
      value: b.value,
      source: b.source ?? null,
      gap: actual === null ? null : actual - b.value,
      ahead: actual === null ? null : isBetter(m, actual, b.value),
    })),
    notes,
  };
}

function part(id: string, weight: number, r: RollUp): RollUpPart {
  return {
    id,
    weight,
    score: r.score,
    progress: r.progress,
    status: r.status,
    coverage: r.coverage.weightShare,
    measures: r.coverage.measures,
    measuresWithData: r.coverage.measuresWithData,
    counts: r.counts,
  };
}

/**
 * Evaluate a scorecard for a period, from given actuals or from data.
 *
 * - **From actuals** (`actuals` is a `Map` or a record of measure id → number | null | `{ value, n }`):
 *   each measure gets its actual; ids that match no measure are reported in `warnings`.
 * - **From data** (`options.registry` is given; `data` holds record arrays — `{ surveyResponses,
 *   subscriptions, orders, tickets, … }`): each measure's binding names a registered metric, computed over
 *   `options.period` (a window), for the measure's segment; `options.actuals` fill or override.
 *
 * Per measure: actual, target, progress from baseline to target (clamped and unclamped), status by
 * direction and thresholds ({@link resolveThresholds}: green at the target, amber within 10 % of it, red
 * beyond, by default), change vs the previous period, gap to each benchmark.
 *
 * Roll-up (objective ← measures, perspective ← objectives, scorecard ← perspectives): the weighted
 * mean of the parts' scores (a measure scores its status points: green 1, amber ½, red 0) over the
 * parts **with data**, weights re-normalised over them; status green ≥ 2/3, amber ≥ 1/3, red below
 * ({@link statusFromScore}), or the worst part's with `rollUp: "worst"`. Missing data is never scored as
 * 0: it lowers `coverage.weightShare` instead, and a node without any data is `no_data`. A warning
 * names each objective whose roll-up rests on part of its measures.
 *
 * @throws {InvalidInputError} the scorecard is invalid (see {@link parseScorecard}); an actual is not a
 *   finite number (`invalid_type`, `non_finite_value`, path `[actuals, measureId]`); a binding names an
 *   unknown metric (`invalid_option`, path to `binding.metric`).
 * @example
 * const scorecard = parseScorecard({
 *   name: "Customer",
 *   perspectives: [{ id: "customer", name: "Customer", objectives: [{ id: "recommend", statement: "I would recommend them",
 *     measures: [
 *       { id: "nps", name: "NPS", kind: "opinion", timing: "lagging", unit: "points", direction: "higherIsBetter", baseline: 20, target: 40 },
 *       { id: "ces", name: "Effort", kind: "opinion", timing: "leading", unit: "points", direction: "lowerIsBetter", baseline: 6, target: 5 },
 *     ] }] }],
 * });
 * const ev = evaluateScorecard(scorecard, { nps: 38, ces: 5.6 }, { period: "2026-Q1", previousActuals: { nps: 31 } });
 * // NPS 38 misses 40 by less than 10 % (amber, ½ point); effort 5.6 misses 5 by more (red, 0 points)
 * ev.perspectives[0]?.objectives[0]?.measures.map((m) => [m.id, m.status]) //=> [["nps", "amber"], ["ces", "red"]]
 * ev.summary //=> { score: 0.25, status: "red", amber: ["nps"], red: ["ces"], … }
 */
export function evaluateScorecard(
  scorecard: Scorecard | ScorecardInput,
  actualsOrData: Actuals | MetricData,
  options: EvaluateScorecardOptions = {},
): ScorecardEvaluation {
  const sc = parseScorecard(scorecard);
  const timeZone = checkTimeZone(FN, options.timeZone ?? "UTC");
  const rule = options.rollUp ?? "weightedScore";
  if (rule !== "weightedScore" && rule !== "worst")
    invalidOption(FN, "rollUp", '"weightedScore" | "worst"', rule);
  const period = readWindow(options.period, "period", timeZone);
  const prevPeriod = readWindow(options.previousPeriod, "previousPeriod", timeZone);
  const asOf =
    options.asOf === undefined ? null : parseInstant(options.asOf, { timeZone, path: ["asOf"], fn: FN });
  const warnings: Warning[] = [];
  const located = allMeasures(sc);
  const notes = new Map<string, string[]>(located.map((l) => [l.measure.id, []]));
  const dataMode = isDataInput(actualsOrData, options);

  let current: Map<string, Value>;
  let previous: Map<string, Value> | null = options.previousActuals
    ? readActuals(options.previousActuals, "previousActuals")
    : null;
  const manual = dataMode
    ? readActuals(options.actuals, "actuals")
    : readActuals(actualsOrData as Actuals, "actuals");
  const computedIds = new Set<string>();
  if (dataMode) {
    const registry = options.registry;
    if (registry === undefined)
      invalidOption(
        FN,
        "registry",
        "a metric registry to compute measures from data (e.g. defaultMetricRegistry)",
        undefined,
      );
    const data = actualsOrData as MetricData;
    const bad: InputIssue[] = [];
    for (const [k, v] of Object.entries(data))
      if (v !== undefined && !Array.isArray(v))
        bad.push({
          index: null,
          path: ["data", k],
          code: "invalid_type",
          message: `expected an array of records, found ${formatValue(v)}`,
        });
    for (const { measure: m, path } of located) {
      if (!m.binding || manual.has(m.id)) continue;
      const def = registry.get(m.binding.metric);
      if (!def)
        bad.push({
          index: null,
          path: [...path, "binding", "metric"],
          code: "invalid_option",
          message: `expected a registered metric (${registry.names().join(", ")}), found ${formatValue(m.binding.metric)}`,
        });
      else if (def.direction !== m.direction)
        warnings.push({
          code: "direction_mismatch",
          message: `measure ${formatValue(m.id)} is "${m.direction}" but metric ${def.name} is "${def.direction}"`,
        });
    }
    if (bad.length > 0)
      throw new InvalidInputError(bad, {
        context: FN,
        code: bad[0]!.code === "invalid_type" ? "invalid_type" : "invalid_option",
      });
    current = computeActuals(
      sc,
      data,
      registry,
      { period: period.window, asOf, timeZone },
      notes,
      warnings,
      manual,
    );
    for (const id of current.keys()) computedIds.add(id);
    if (previous === null && prevPeriod.window !== null) {
      const prevNotes = new Map<string, string[]>(located.map((l) => [l.measure.id, []]));
      previous = computeActuals(
        sc,
        data,
        registry,
        { period: prevPeriod.window, asOf, timeZone },
        prevNotes,
        [],
        manual,
      );
    }
    for (const [id, v] of manual) {
      current.set(id, v);
      computedIds.delete(id);
    }
  } else {
    current = manual;
  }

  const measureIds = new Set(located.map((l) => l.measure.id));
  for (const [what, map] of [
    ["actuals", manual],
    ["previousActuals", previous],
  ] as const) {
    if (!map || (what === "previousActuals" && !options.previousActuals)) continue;
    for (const id of map.keys())
      if (!measureIds.has(id))
        warnings.push({
          code: "unknown_measure",
          message: `${what}: no measure with id ${formatValue(id)}; value ignored`,
        });
  }

  const drivenBy = new Map<string, string[]>();
  const drives = new Map<string, string[]>();
  for (const l of sc.links) {
    drives.set(l.from, [...(drives.get(l.from) ?? []), l.to]);
    drivenBy.set(l.to, [...(drivenBy.get(l.to) ?? []), l.from]);
  }

  const perspectives: PerspectiveEvaluation[] = sc.perspectives.map((p) => {
    const objectives: ObjectiveEvaluation[] = p.objectives.map((o) => {
      const measures = o.measures.map((m) => {
        const v = current.get(m.id);
        const source: MeasureEvaluation["source"] =
          v === undefined ? "none" : computedIds.has(m.id) ? "computed" : "actuals";
        return evaluateMeasure(
          m,
          p.id,
          o.id,
          v,
          source,
          previous ? (previous.get(m.id) ?? { value: null, n: null }) : undefined,
          notes.get(m.id)!,
        );
      });
      const r = rollUp(measures.map(measurePart), rule);
      if (r.coverage.measures > 0 && r.coverage.measuresWithData < r.coverage.measures)
        warnings.push({
          code: "partial_coverage",
          message:
            r.coverage.measuresWithData === 0
              ? `objective ${formatValue(o.id)}: no measure has data; status no_data`
              : `objective ${formatValue(o.id)}: ${r.coverage.measuresWithData} of ${r.coverage.measures} measures have data (weight share ${(r.coverage.weightShare ?? 0).toFixed(2)}); the roll-up is re-normalised over them`,
        });
      return {
        id: o.id,
        statement: o.statement,
        owner: o.owner ?? null,
        perspectiveId: p.id,
        weight: o.weight,
        ...r,
        measures,
        drivenBy: drivenBy.get(o.id) ?? [],
        drives: drives.get(o.id) ?? [],
      };
    });
    const r = rollUp(
      objectives.map((o) => part(o.id, o.weight, o)),
      rule,
    );
    return { id: p.id, name: p.name, weight: p.weight, ...r, objectives };
  });

  const total = rollUp(
    perspectives.map((p) => part(p.id, p.weight, p)),
    rule,
  );
  const byKind: Record<MeasureKind, StatusCounts> = { opinion: emptyCounts(), activity: emptyCounts() };
  const byTiming: Record<MeasureTiming, StatusCounts> = { leading: emptyCounts(), lagging: emptyCounts() };
  const red: string[] = [];
  const amber: string[] = [];
  const noData: string[] = [];
  for (const p of perspectives)
    for (const o of p.objectives)
      for (const m of o.measures) {
        const one = emptyCounts();
        one[m.status] = 1;
        addCounts(byKind[m.kind], one);
        addCounts(byTiming[m.timing], one);
        if (m.status === "red") red.push(m.id);
        else if (m.status === "amber") amber.push(m.id);
        else if (m.status === "no_data") noData.push(m.id);
      }

  return {
    scorecard: { id: sc.id ?? null, name: sc.name, description: sc.description ?? null },
    mode: dataMode ? "data" : "actuals",
    period: period.out,
    previousPeriod: prevPeriod.out,
    asOf: asOf === null ? null : new Date(asOf).toISOString(),
    perspectives,
    links: sc.links.map((l) => ({ ...l })),
    summary: { ...total, byKind, byTiming, red, amber, noData, rule },
    warnings,
  };
}
