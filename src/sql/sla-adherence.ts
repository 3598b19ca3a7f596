/**
 * SLA adherence pushed down to DuckDB and PostgreSQL: each ticket's target (one for all, or per
 * priority), met / breached / pending at `asOf`, counted in the engine exactly as
 * `slaAdherenceAccumulator` classifies tickets; the finaliser builds its {@link SlaState} and calls
 * its own `result`.
 *
 * @module
 */
import { invalidOption } from "../core/errors.js";
import { parseInstant } from "../core/time.js";
import { durationMs } from "../service/duration.js";
import {
  type SlaAdherenceAccumulatorOptions,
  type SlaAdherenceResult,
  type SlaState,
  slaAdherenceAccumulator,
} from "../service/sla-adherence.js";
import {
  TICKET_PROBLEMS,
  checkListed,
  checkProblems,
  checkServiceDialect,
  classAggregates,
  firstTrue,
  intLiteral,
  invalidListSql,
  readClasses,
  readInvalid,
  textLiteral,
  textSql,
  type TicketSqlOptions,
  ticketCheckAggregates,
  ticketInputs,
  ticketRowSql,
} from "./_tickets.js";
import type { Dialect } from "./dialect.js";
import type { AggregateSqlMetric } from "./metric.js";

/** The targets in ms: one for all tickets, or per priority (a `null` key for tickets without one). */
type Targets = { all: number } | { byKey: Map<string | null, number>; otherwise: number | null };

/** The targets as `slaAdherenceAccumulator` reads them (same detection, same durations). */
function readTargets(fn: string, target: unknown): Targets {
  const isTargets =
    target instanceof Map ||
    (typeof target === "object" &&
      target !== null &&
      !Array.isArray(target) &&
      Object.hasOwn(target, "byPriority"));
  if (!isTargets) return { all: durationMs(fn, "target", target, "hours") };
  const t = (target instanceof Map ? { byPriority: target } : target) as {
    byPriority: unknown;
    otherwise?: unknown;
  };
  const byKey = new Map<string | null, number>();
  const src = t.byPriority;
  if (src instanceof Map) {
    for (const [k, v] of src as Map<string | null, unknown>)
      byKey.set(k, durationMs(fn, `target.byPriority.${String(k)}`, v, "hours"));
  } else if (typeof src === "object" && src !== null && !Array.isArray(src)) {
    for (const k of Object.keys(src))
      byKey.set(k, durationMs(fn, `target.byPriority.${k}`, (src as Record<string, unknown>)[k], "hours"));
  } else return invalidOption(fn, "target.byPriority", "an object or Map of priority → duration", src);
  const otherwise =
    t.otherwise === undefined ? null : durationMs(fn, "target.otherwise", t.otherwise, "hours");
  return { byKey, otherwise };
}

/**
 * SLA adherence as SQL: the state of `slaAdherenceAccumulator(options)` counted by the engine and
 * finalised by its own `result` — the same object as `slaAdherence(tickets, options)` (with `by` /
 * `period` through `runMetric`; periods by `columns.at`, which should be the `created_at` column).
 *
 * Per valid ticket, with `end` the first response (`measure: "firstResponse"`, default) or the first
 * resolution and the target T of its priority (`byPriority`, then `otherwise`; none: `noTarget`):
 * met when `end − created ≤ floor(T)` (integer ms, so exactly the in-memory `≤ T`; exactly the target
 * is met); breached when later, or with no `end` when `created ≤ c(T)`, c(T) the largest integer with
 * `asOf − c > T` in float64; otherwise pending. Priorities are compared as text (blank = none) and
 * written into the SQL as hex-encoded literals, never as SQL text. Durations are elapsed time (no
 * business-hours calendar exists in memory either). Invalid tickets are listed by the index column
 * (`indexColumn`).
 *
 * Columns: the ticket roles of {@link ticketFcrSql} plus `priority` (default `priority`).
 *
 * @throws {InvalidInputError} `invalid_option` (target, measure, asOf, dialect); from the finaliser
 *   the ticket errors of {@link ticketFcrSql}.
 * @example
 * const con = await (await DuckDBInstance.create()).connect();
 * const sla = await runMetric(duckdbEngine(con), slaAdherenceSql({
 *   target: { byPriority: { urgent: "PT1H", high: "PT2H" }, otherwise: "PT4H" }, asOf: "2026-07-01T00:00:00Z",
 * }), { table: readCsv("tickets.csv"), by: "priority" });
 * sla.get("urgent")?.rate
 */
export function slaAdherenceSql(
  options: SlaAdherenceAccumulatorOptions & TicketSqlOptions,
): AggregateSqlMetric<SlaState, SlaAdherenceResult> {
  const fn = "slaAdherence";
  if (typeof options !== "object" || options === null)
    return invalidOption(fn, "options", "{ target, … }", options);
  const { indexColumn, ...accOptions } = options;
  const acc = slaAdherenceAccumulator(accOptions);
  const measure = accOptions.measure ?? "firstResponse";
  const targets = readTargets(fn, accOptions.target);
  const asOfMs = accOptions.asOf === undefined ? null : parseInstant(accOptions.asOf, { fn, path: ["asOf"] });
  // end − created ≤ T ⟺ (integer) ≤ floor(T); asOf − created > T ⟺ created ≤ the last integer where it holds
  const within = (ms: number) => intLiteral(Math.floor(ms));
  const overdueUpTo = (ms: number) =>
    asOfMs === null ? null : intLiteral(firstTrue((c) => !(asOfMs - c > ms)) - 1);
  const none = "CAST(NULL AS BIGINT)";
  const perTicket = (d: Dialect, priority: string, f: (ms: number) => string | null): string => {
    if ("all" in targets) return f(targets.all) ?? none;
    const lit = (ms: number | null | undefined) => (ms === null || ms === undefined ? none : (f(ms) ?? none));
    const pr = `NULLIF(${textSql(d, priority)}, '')`;
    const whens: string[] = [
      `WHEN ${pr} IS NULL THEN ${lit(targets.byKey.has(null) ? targets.byKey.get(null) : targets.otherwise)}`,
    ];
    // priorities are text: a Map key of another type never matches a ticket in memory either
    for (const [k, ms] of targets.byKey)
      if (typeof k === "string") whens.push(`WHEN ${pr} = ${textLiteral(d, k)} THEN ${lit(ms)}`);
    return `(CASE ${whens.join(" ")} ELSE ${lit(targets.otherwise)} END)`;
  };
  return {
    kind: "aggregate",
    name: "slaAdherence",
    inputs: ticketInputs(indexColumn, true),
    aggregates(d, input) {
      checkServiceDialect(`${fn}Sql`, d);
      const t = ticketRowSql(d, input, indexColumn === undefined ? undefined : input("index"));
      const target = perTicket(d, input("priority"), within);
      const e = measure === "firstResponse" ? t.f : t.r;
      const overdue = asOfMs === null ? "FALSE" : `${t.c} <= ${perTicket(d, input("priority"), overdueUpTo)}`;
      // one class per row: 0 not counted (no createdAt: thrown), 1 invalid, 2 no target, 3 met,
      // 4 answered late, 5 no answer and overdue at asOf, 6 pending
      const code =
        `(CASE WHEN ${t.missing} THEN 0 WHEN ${t.bad} THEN 1 WHEN ${target} IS NULL THEN 2 ` +
        `WHEN ${e} IS NOT NULL THEN CASE WHEN ${e} - ${t.c} <= ${target} THEN 3 ELSE 4 END ` +
        `WHEN ${overdue} THEN 5 ELSE 6 END)`;
      return [
        ...ticketCheckAggregates(d, t, input),
        { alias: "s_list", sql: invalidListSql(d, t, `NOT ${t.missing} AND ${t.bad}`) },
        ...classAggregates(d, "s_", code, 7),
      ];
    },
    state(row, where) {
      checkProblems(`${fn}Sql`, row, where, TICKET_PROBLEMS);
      const invalid = readInvalid(`${fn}Sql`, row.s_list, indexColumn !== undefined, where);
      const [, nInvalid, noTarget, met, late, overdue, pending] = readClasses(row, "s_", 7) as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      checkListed(`${fn}Sql`, invalid.length, nInvalid, where);
      return { met, breached: late + overdue, pending, noTarget, invalid };
    },
    accumulator: acc,
  };
}
