/**
 * The balanced-scorecard model as data: perspectives → objectives (in the customer's voice) →
 * measures (what customers say and do, with baseline, target, thresholds and a binding to a library
 * metric), plus the cause-and-effect links between objectives (the strategy map).
 *
 * Validation goes beyond shapes: duplicate ids, links to unknown objectives, cycles in the strategy
 * map, negative weights or weights that do not sum to the declared total, targets on the wrong side
 * of the baseline for the measure's direction, and thresholds that contradict the direction. Every
 * problem is reported at once, each with its path (`["perspectives", 0, "objectives", 1, "measures",
 * 2, "target"]`).
 *
 * Issue codes beyond zod's own: `duplicate_id`, `unknown_reference`, `cycle`, `weight_sum`,
 * `target_wrong_side`, `target_type`, `invalid_threshold`.
 *
 * @see Kaplan & Norton (1996), *The Balanced Scorecard*; Kaplan & Norton (2004), *Strategy Maps*.
 * @module
 */
import { z } from "zod";
import { type InputIssue, InvalidInputError, formatValue } from "../core/errors.js";
import { zodIssueToInputIssue } from "./parse.js";

/**
 * Say vs do: `"opinion"` (survey answers: NPS, CSAT, CES) or `"activity"` (renewals, purchases, tickets).
 *
 * @example
 * MEASURE_KINDS //=> ["opinion", "activity"]
 */
export const MEASURE_KINDS = ["opinion", "activity"] as const;
/**
 * `"leading"` (moves before the outcome, e.g. effort) or `"lagging"` (the outcome, e.g. retention).
 *
 * @example
 * MEASURE_TIMINGS //=> ["leading", "lagging"]
 */
export const MEASURE_TIMINGS = ["leading", "lagging"] as const;
/**
 * Which way is good: up, down, or inside a `{ min, max }` band.
 *
 * @example
 * MEASURE_DIRECTIONS //=> ["higherIsBetter", "lowerIsBetter", "inRange"]
 */
export const MEASURE_DIRECTIONS = ["higherIsBetter", "lowerIsBetter", "inRange"] as const;

/** Say vs do. */
export type MeasureKind = (typeof MEASURE_KINDS)[number];
/** Leading or lagging indicator. */
export type MeasureTiming = (typeof MEASURE_TIMINGS)[number];
/** Which way is good. */
export type MeasureDirection = (typeof MEASURE_DIRECTIONS)[number];

const finite = z.number();
const idSchema = z.string().min(1, "expected a non-empty id");
const weightSchema = z.number().min(0, "expected a weight ≥ 0").default(1);

/**
 * A closed band `[min, max]` (the target of an `inRange` measure).
 *
 * @example
 * targetRangeSchema.safeParse({ min: 2, max: 1 }).success //=> false
 */
export const targetRangeSchema = z
  .strictObject({ min: finite, max: finite })
  .refine((r) => r.min <= r.max, { message: "expected min ≤ max", path: ["max"] });
/** A closed band `[min, max]`. */
export type TargetRange = z.output<typeof targetRangeSchema>;

/**
 * Status thresholds of a measure. Without any, the default rule applies: green at or beyond the
 * target, amber within `amberTolerance` (default 0.10, i.e. 10 %) of the target, red beyond.
 * `green` moves the green boundary away from the target; `amber` gives the amber boundary as an
 * absolute value (a `{ min, max }` band for `inRange`); `amber` and `amberTolerance` exclude each other.
 *
 * @example
 * measureThresholdsSchema.parse({ amberTolerance: 0.05 }) //=> { amberTolerance: 0.05 }
 */
export const measureThresholdsSchema = z.strictObject({
  /** Fraction of |target| (per bound for `inRange`) within which a miss is amber. Default 0.1. */
  amberTolerance: z.number().min(0, "expected a tolerance ≥ 0").optional(),
  /** Green boundary (default: the target). Not for `inRange`. */
  green: finite.optional(),
  /** Amber boundary: a number, or for `inRange` a band that contains the target band. */
  amber: z.union([finite, targetRangeSchema]).optional(),
});
/** Status thresholds of a measure. */
export type MeasureThresholds = z.output<typeof measureThresholdsSchema>;

/**
 * A competitor's (or an industry) value of the same measure.
 *
 * @example
 * benchmarkSchema.parse({ name: "Industry median", value: 32 }).value //=> 32
 */
export const benchmarkSchema = z.strictObject({
  /** Competitor or benchmark name ("Competitor A", "Industry median"). */
  name: z.string().min(1, "expected a non-empty name"),
  value: finite,
  /** Where the figure comes from. */
  source: z.string().optional(),
});
/** A competitor's value of the same measure. */
export type Benchmark = z.output<typeof benchmarkSchema>;

/**
 * How to compute a measure from data: a metric registered in a {@link MetricRegistry}, the `field`
 * (dot path) of its result to read, and parameters passed to it.
 *
 * @example
 * measureBindingSchema.parse({ metric: "nps", field: "score" }).metric //=> "nps"
 */
export const measureBindingSchema = z.strictObject({
  /** Registered metric name, e.g. `"nps"`, `"customerRetentionRate"`. */
  metric: z.string().min(1, "expected a metric name"),
  /** Dot path into the metric's result (default: the metric's own default field). */
  field: z.string().min(1).optional(),
  /** Parameters passed to the metric's `compute`. */
  params: z.record(z.string(), z.unknown()).optional(),
});
/** How to compute a measure from data. */
export type MeasureBinding = z.output<typeof measureBindingSchema>;

/**
 * A measure (KPI) of an objective.
 *
 * @example
 * measureSchema.parse({ id: "nps", name: "NPS", kind: "opinion", timing: "lagging", unit: "points",
 *   direction: "higherIsBetter", baseline: 20, target: 40 }).weight //=> 1
 */
export const measureSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1, "expected a non-empty name"),
  description: z.string().optional(),
  kind: z.enum(MEASURE_KINDS),
  timing: z.enum(MEASURE_TIMINGS),
  /** Unit label: "points", "share", "hours", "%", "orders per buyer" … */
  unit: z.string(),
  direction: z.enum(MEASURE_DIRECTIONS),
  /** Where the measure stood when the target was set (optional; without it there is no progress). */
  baseline: finite.optional(),
  /** A number, or `{ min, max }` for `inRange`. */
  target: z.union([finite, targetRangeSchema]),
  thresholds: measureThresholdsSchema.optional(),
  weight: weightSchema,
  benchmarks: z.array(benchmarkSchema).default([]),
  /** Segment the measure is computed for (data mode filters records whose `segment` equals it). */
  segment: z.string().min(1).optional(),
  binding: measureBindingSchema.optional(),
});
/** A measure (KPI) of an objective. */
export type Measure = z.output<typeof measureSchema>;

/**
 * An objective, written as the customer would say it ("… gives me fast and honest results").
 *
 * @example
 * objectiveSchema.safeParse({ id: "o1", statement: "They answer fast", measures: [] }).success //=> true
 */
export const objectiveSchema = z.strictObject({
  id: idSchema,
  /** The objective in the customer's voice. */
  statement: z.string().min(1, "expected a non-empty statement"),
  owner: z.string().optional(),
  description: z.string().optional(),
  weight: weightSchema,
  measures: z.array(measureSchema).default([]),
});
/** An objective. */
export type Objective = z.output<typeof objectiveSchema>;

/**
 * A perspective (financial, customer, internal process, learning and growth …).
 *
 * @example
 * perspectiveSchema.safeParse({ id: "customer", name: "Customer", objectives: [] }).success //=> true
 */
export const perspectiveSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1, "expected a non-empty name"),
  description: z.string().optional(),
  weight: weightSchema,
  objectives: z.array(objectiveSchema).default([]),
});
/** A perspective. */
export type Perspective = z.output<typeof perspectiveSchema>;

/**
 * A cause-and-effect link of the strategy map: achieving `from` drives `to`.
 *
 * @example
 * causeEffectLinkSchema.parse({ from: "easy", to: "recommend" }) //=> { from: "easy", to: "recommend" }
 */
export const causeEffectLinkSchema = z.strictObject({
  from: idSchema,
  to: idSchema,
  description: z.string().optional(),
});
/** A cause-and-effect link between two objectives. */
export type CauseEffectLink = z.output<typeof causeEffectLinkSchema>;

const scorecardShape = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().min(1).optional(),
  name: z.string().min(1, "expected a non-empty name"),
  description: z.string().optional(),
  /**
   * When set (e.g. 1 or 100), the weights of every group (perspectives; objectives of a perspective;
   * measures of an objective) must sum to it. Without it, weights are relative.
   */
  weightTotal: z.number().positive().optional(),
  perspectives: z.array(perspectiveSchema).min(1, "expected at least one perspective"),
  links: z.array(causeEffectLinkSchema).default([]),
});

type Path = (string | number)[];
type Ctx = z.core.$RefinementCtx<z.output<typeof scorecardShape>>;

function issue(
  ctx: Ctx,
  path: Path,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  ctx.addIssue({ code: "custom", path, message, params: { code, ...extra } });
}

function checkWeights(
  ctx: Ctx,
  items: readonly { weight: number }[],
  path: Path,
  what: string,
  total: number | undefined,
) {
  if (items.length === 0) return;
  let sum = 0;
  for (const it of items) sum += it.weight;
  if (total !== undefined) {
    if (Math.abs(sum - total) > 1e-9 * Math.max(1, Math.abs(total)))
      issue(
        ctx,
        path,
        "weight_sum",
        `expected the weights of ${what} to sum to ${total} (weightTotal), found ${sum}`,
      );
  } else if (sum === 0) {
    issue(ctx, path, "weight_sum", `expected the weights of ${what} to sum to more than 0, found 0`);
  }
}

function checkMeasure(ctx: Ctx, m: Measure, path: Path): void {
  const range = typeof m.target === "object";
  if (m.direction === "inRange" && !range)
    issue(
      ctx,
      [...path, "target"],
      "target_type",
      `expected a { min, max } target for direction "inRange", found ${m.target}`,
    );
  if (m.direction !== "inRange" && range)
    issue(
      ctx,
      [...path, "target"],
      "target_type",
      `expected a number target for direction "${m.direction}", found a { min, max } band`,
    );
  if (typeof m.target === "number" && m.baseline !== undefined) {
    if (m.direction === "higherIsBetter" && m.target < m.baseline)
      issue(
        ctx,
        [...path, "target"],
        "target_wrong_side",
        `expected a target ≥ the baseline ${m.baseline} for "higherIsBetter", found ${m.target}`,
      );
    if (m.direction === "lowerIsBetter" && m.target > m.baseline)
      issue(
        ctx,
        [...path, "target"],
        "target_wrong_side",
        `expected a target ≤ the baseline ${m.baseline} for "lowerIsBetter", found ${m.target}`,
      );
  }
  const t = m.thresholds;
  if (!t) return;
  const tp = [...path, "thresholds"];
  if (t.amber !== undefined && t.amberTolerance !== undefined)
    issue(ctx, [...tp, "amber"], "invalid_threshold", "expected either amber or amberTolerance, found both");
  if (m.direction === "inRange") {
    if (t.green !== undefined)
      issue(
        ctx,
        [...tp, "green"],
        "invalid_threshold",
        'expected no green threshold for "inRange" (the target band is green)',
      );
    if (t.amber !== undefined) {
      if (typeof t.amber === "number")
        issue(
          ctx,
          [...tp, "amber"],
          "target_type",
          'expected a { min, max } amber band for "inRange", found a number',
        );
      else if (typeof m.target === "object" && (t.amber.min > m.target.min || t.amber.max < m.target.max))
        issue(
          ctx,
          [...tp, "amber"],
          "invalid_threshold",
          `expected the amber band to contain the target band [${m.target.min}, ${m.target.max}], found [${t.amber.min}, ${t.amber.max}]`,
        );
    }
    return;
  }
  if (typeof m.target !== "number") return;
  const green = t.green ?? m.target;
  if (t.amber !== undefined) {
    if (typeof t.amber === "object")
      issue(
        ctx,
        [...tp, "amber"],
        "target_type",
        `expected a number amber threshold for "${m.direction}", found a { min, max } band`,
      );
    else if (m.direction === "higherIsBetter" && t.amber > green)
      issue(
        ctx,
        [...tp, "amber"],
        "invalid_threshold",
        `expected amber ≤ the green boundary ${green} for "higherIsBetter", found ${t.amber}`,
      );
    else if (m.direction === "lowerIsBetter" && t.amber < green)
      issue(
        ctx,
        [...tp, "amber"],
        "invalid_threshold",
        `expected amber ≥ the green boundary ${green} for "lowerIsBetter", found ${t.amber}`,
      );
  }
}

/** Find the cycles of a directed graph (one per back edge found by a depth-first search, in input order). */
function findCycles(ids: readonly string[], edges: readonly { from: string; to: string; index: number }[]) {
  const out = new Map<string, { to: string; index: number }[]>();
  for (const id of ids) out.set(id, []);
  for (const e of edges) out.get(e.from)?.push({ to: e.to, index: e.index });
  const state = new Map<string, 0 | 1 | 2>();
  const stack: string[] = [];
  const cycles: { ids: string[]; index: number }[] = [];
  const visit = (v: string) => {
    state.set(v, 1);
    stack.push(v);
    for (const e of out.get(v) ?? []) {
      const s = state.get(e.to) ?? 0;
      if (s === 1) cycles.push({ ids: [...stack.slice(stack.indexOf(e.to)), e.to], index: e.index });
      else if (s === 0) visit(e.to);
    }
    stack.pop();
    state.set(v, 2);
  };
  for (const id of ids) if ((state.get(id) ?? 0) === 0) visit(id);
  return cycles;
}

function refineScorecard(sc: z.output<typeof scorecardShape>, ctx: Ctx): void {
  const seen = {
    perspective: new Map<string, Path>(),
    objective: new Map<string, Path>(),
    measure: new Map<string, Path>(),
  };
  const dup = (kind: keyof typeof seen, id: string, path: Path) => {
    const first = seen[kind].get(id);
    if (first)
      issue(
        ctx,
        [...path, "id"],
        "duplicate_id",
        `expected a unique ${kind} id, found ${formatValue(id)} again (first at ${first.join(".")})`,
      );
    else seen[kind].set(id, path);
  };
  const total = sc.weightTotal;
  checkWeights(ctx, sc.perspectives, ["perspectives"], "the perspectives", total);
  sc.perspectives.forEach((p, pi) => {
    const pp: Path = ["perspectives", pi];
    dup("perspective", p.id, pp);
    checkWeights(
      ctx,
      p.objectives,
      [...pp, "objectives"],
      `the objectives of perspective ${formatValue(p.id)}`,
      total,
    );
    p.objectives.forEach((o, oi) => {
      const op: Path = [...pp, "objectives", oi];
      dup("objective", o.id, op);
      checkWeights(
        ctx,
        o.measures,
        [...op, "measures"],
        `the measures of objective ${formatValue(o.id)}`,
        total,
      );
      o.measures.forEach((m, mi) => {
        const mp: Path = [...op, "measures", mi];
        dup("measure", m.id, mp);
        checkMeasure(ctx, m, mp);
      });
    });
  });
  const objectiveIds = [...seen.objective.keys()];
  const edges: { from: string; to: string; index: number }[] = [];
  const linkSeen = new Set<string>();
  sc.links.forEach((l, li) => {
    let ok = true;
    for (const end of ["from", "to"] as const) {
      if (!seen.objective.has(l[end])) {
        ok = false;
        issue(
          ctx,
          ["links", li, end],
          "unknown_reference",
          `expected an objective id, found ${formatValue(l[end])} (no such objective)`,
        );
      }
    }
    const key = JSON.stringify([l.from, l.to]);
    if (linkSeen.has(key)) {
      issue(ctx, ["links", li], "duplicate_id", `expected each link once, found ${l.from} → ${l.to} again`);
      ok = false;
    }
    linkSeen.add(key);
    if (ok) edges.push({ from: l.from, to: l.to, index: li });
  });
  for (const c of findCycles(objectiveIds, edges)) {
    issue(
      ctx,
      ["links", c.index],
      "cycle",
      `expected the cause-and-effect links to form a DAG, found the cycle ${c.ids.join(" → ")}`,
      {
        cycle: c.ids,
      },
    );
  }
}

/**
 * Zod schema of a {@link Scorecard}. Parse through {@link parseScorecard} to get an
 * `InvalidInputError` whose issues carry our codes (`duplicate_id`, `cycle`, …).
 *
 * @example
 * scorecardSchema.safeParse({ name: "x", perspectives: [] }).success //=> false
 */
export const scorecardSchema = scorecardShape.superRefine(refineScorecard);

/** A validated scorecard (defaults filled: weights 1, empty benchmarks and links). */
export type Scorecard = z.output<typeof scorecardSchema>;
/** What {@link parseScorecard} accepts (weights, benchmarks and links optional). */
export type ScorecardInput = z.input<typeof scorecardSchema>;

/** Result of {@link safeParseScorecard}. */
export type ScorecardParseResult =
  | { success: true; data: Scorecard }
  | { success: false; error: InvalidInputError };

function toIssue(i: z.core.$ZodIssue): InputIssue {
  const base = zodIssueToInputIssue(i, null);
  const params = (i as { params?: { code?: unknown } }).params;
  if (i.code === "custom" && typeof params?.code === "string") base.code = params.code;
  return base;
}

/**
 * Validate a scorecard (e.g. from JSON) and every cross-reference in it.
 *
 * @returns `{ success: true, data }` or `{ success: false, error }` listing every problem with its path.
 * @example
 * safeParseScorecard({ name: "x", perspectives: [] }).success //=> false
 */
export function safeParseScorecard(input: unknown): ScorecardParseResult {
  const r = scorecardSchema.safeParse(input);
  if (r.success) return { success: true, data: r.data };
  return {
    success: false,
    error: new InvalidInputError(r.error.issues.map(toIssue), {
      context: "parse scorecard",
      code: "invalid_record",
    }),
  };
}

/**
 * Validate a scorecard and return it typed, with defaults filled (weight 1, no benchmarks, no links).
 *
 * @throws {InvalidInputError} code `invalid_record`; `issues` list each problem with its path, e.g.
 *   `{ path: ["perspectives", 0, "objectives", 1, "measures", 2, "target"], code: "target_wrong_side" }`,
 *   `{ path: ["links", 3], code: "cycle" }` (the message names the cycle's ids).
 * @example
 * const text = '{"name": "Customer", "perspectives": [{"id": "customer", "name": "Customer", "objectives": [{"id": "fast",'
 *   + '"statement": "… gives me fast and honest results", "measures": [{"id": "frt", "name": "First response",'
 *   + '"kind": "activity", "timing": "leading", "unit": "hours", "direction": "lowerIsBetter", "baseline": 10, "target": 4}]}]}]}';
 * const sc = parseScorecard(JSON.parse(text));
 * sc.perspectives[0]?.objectives[0]?.statement //=> "… gives me fast and honest results"
 */
export function parseScorecard(input: unknown): Scorecard {
  const r = safeParseScorecard(input);
  if (!r.success) throw r.error;
  return r.data;
}
