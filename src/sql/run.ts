/**
 * `runMetric`: generate a metric's SQL for an engine's dialect, run it with bound parameters, and
 * turn the rows into the library's own result objects.
 *
 * @module
 */
import type { PeriodResult } from "../core/by-period.js";
import type { Period } from "../core/time.js";
import type { SqlEngine } from "./engine.js";
import {
  type AggregateOutput,
  type AggregateQueryOptions,
  type AggregateSqlMetric,
  type ByColumns,
  type GroupKey,
  gridPlan,
  prepareAggregate,
} from "./metric.js";
import type { PipelineSqlMetric } from "./pipeline.js";

/**
 * Run a metric in a database engine and return the same result objects as the in-memory functions:
 *
 * | options | result (in-memory equivalent) |
 * |---|---|
 * | neither `by` nor `period` | `Out` (`fold`) |
 * | `by` | `Map<key, Out>` in code-point key order (`groupBy(…, { order: "key" })`) |
 * | `period` | `PeriodResult<Out>[]`, empty periods filled (`byPeriod`) |
 * | `by` and `period` | `Map<key, PeriodResult<Out>[]>`, every group on one grid (first to last period of any group) |
 *
 * For pipeline metrics (customer retention) the result is that metric's own result (rows per period,
 * or a `Map` of them per `by` key).
 *
 * @example
 * const con = await (await DuckDBInstance.create()).connect();
 * const byMonth = await runMetric(duckdbEngine(con), npsSql(), {
 *   table: readCsv("responses.csv"), columns: { value: "nps", at: "submitted_at" },
 *   by: "segment", period: "month", timeZone: "Europe/Berlin",
 * });
 * byMonth.get("smb")?.[0]?.result.score
 */
export function runMetric<S, O>(
  engine: SqlEngine,
  metric: AggregateSqlMetric<S, O>,
  options: AggregateQueryOptions & { by?: undefined; period?: undefined },
): Promise<O>;
export function runMetric<S, O>(
  engine: SqlEngine,
  metric: AggregateSqlMetric<S, O>,
  options: AggregateQueryOptions & { by: ByColumns; period?: undefined },
): Promise<Map<GroupKey, O>>;
export function runMetric<S, O>(
  engine: SqlEngine,
  metric: AggregateSqlMetric<S, O>,
  options: AggregateQueryOptions & { by?: undefined; period: Period },
): Promise<PeriodResult<O>[]>;
export function runMetric<S, O>(
  engine: SqlEngine,
  metric: AggregateSqlMetric<S, O>,
  options: AggregateQueryOptions & { by: ByColumns; period: Period },
): Promise<Map<GroupKey, PeriodResult<O>[]>>;
export function runMetric<O, G, Opt>(
  engine: SqlEngine,
  metric: PipelineSqlMetric<O, G, Opt>,
  options: Opt & { by?: undefined | null },
): Promise<O>;
export function runMetric<O, G, Opt>(
  engine: SqlEngine,
  metric: PipelineSqlMetric<O, G, Opt>,
  options: Opt & { by: string },
): Promise<G>;
export async function runMetric(
  engine: SqlEngine,
  // biome-ignore lint/suspicious/noExplicitAny: implementation signature of the overloads above
  metric: AggregateSqlMetric<any, any> | PipelineSqlMetric<any, any, any>,
  // biome-ignore lint/suspicious/noExplicitAny: implementation signature of the overloads above
  options: any,
): Promise<unknown> {
  if (metric.kind === "pipeline") return metric.run(engine, options);
  const o = options as AggregateQueryOptions;
  const plan = gridPlan(engine.dialect, metric, o);
  let grid: ReturnType<NonNullable<typeof plan>["grid"]>;
  if (plan !== undefined) {
    const range =
      plan.query.sql === ""
        ? []
        : await engine.query(plan.query.sql, plan.query.params, plan.query.namedParams);
    grid = plan.grid(range[0]);
  }
  const { query, finalise } = prepareAggregate(engine.dialect, metric, o, grid);
  const rows = await engine.query(query.sql, query.params, query.namedParams);
  return finalise(rows) as AggregateOutput<unknown>;
}
