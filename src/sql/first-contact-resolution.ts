/**
 * First-contact resolution pushed down to DuckDB and PostgreSQL, per ticket and per issue. The engine
 * classifies each ticket (or issue) exactly as `ticketFcrAccumulator` / `issueFcrAccumulator` do and
 * counts; the finaliser builds their {@link FcrState} and calls their own `result`, so the result is
 * the in-memory object.
 *
 * @module
 */
import { InvalidInputError, formatValue } from "../core/errors.js";
import { type InstantInput, parseInstant } from "../core/time.js";
import {
  type FcrCountingOptions,
  type FcrState,
  type FirstContactResolutionResult,
  issueFcrAccumulator,
  ticketFcrAccumulator,
} from "../service/first-contact-resolution.js";
import type { PeriodResult } from "../core/by-period.js";
import {
  TICKET_DEFAULTS,
  TICKET_PROBLEMS,
  TICKET_ROLES,
  type TicketColumns,
  type TicketSqlOptions,
  checkListed,
  checkProblems,
  checkServiceDialect,
  classAggregates,
  countAgg,
  firstTrue,
  intLiteral,
  invalidListSql,
  msSql,
  readClasses,
  readInvalid,
  textSql,
  ticketCheckAggregates,
  ticketInputs,
  ticketRowSql,
  unreadableSql,
  validitySql,
} from "./_tickets.js";
import { type Dialect, type ParamBinder, bigintCast, countIf, quoteIdent } from "./dialect.js";
import type { SqlEngine } from "./engine.js";
import {
  type AggregateQueryOptions,
  type AggregateSqlMetric,
  type GroupKey,
  type SqlValue,
  countValue,
} from "./metric.js";
import type { PipelineSqlMetric } from "./pipeline.js";
import { runMetric } from "./run.js";
import { tableSql } from "./table.js";

/** The reopen window and the `asOf` bound as exact integer conditions on epoch-ms columns. */
function fcrBounds(
  acc: { result(s: FcrState): FirstContactResolutionResult; init(): FcrState },
  asOf: InstantInput | undefined,
  fn: string,
) {
  const windowMs = acc.result(acc.init()).reopenWindowMs;
  const asOfMs = asOf === undefined ? null : parseInstant(asOf, { fn, path: ["asOf"] });
  return {
    // reopenedAt − resolvedAt < window ⟺ (integer difference) < ceil(window)
    reopenBelow: intLiteral(Math.ceil(windowMs)),
    // resolvedAt + window > asOf (float64, as in memory) ⟺ resolvedAt ≥ r0
    windowFrom: asOfMs === null ? null : intLiteral(firstTrue((x) => x + windowMs > asOfMs)),
  };
}

/**
 * Ticket-level first-contact resolution as SQL (every ticket its own unit; `issueId` only names
 * invalid tickets): the state of `ticketFcrAccumulator(options)` counted by the engine, finalised by
 * its own `result` — the same result object as `firstContactResolution(tickets, { level: "ticket" })`
 * (with `by` / `period` through `runMetric`, keyed and periodised like it; periods by `columns.at`,
 * which should be the `created_at` column).
 *
 * Per valid ticket (instants as epoch ms, as `Date`s hold them): unresolved (`resolved_at` NULL);
 * reopened within the window (`reopened_at − resolved_at < ceil(window)`, strict as in memory);
 * else resolved at first contact; window open at asOf (`resolved_at ≥ r0`, r0 the least integer with
 * `r0 + window > asOf` in float64, so the bound is the in-memory comparison exactly). Invalid tickets
 * (`ticketValidity`) are listed with the index column (`indexColumn`) and left out.
 *
 * Columns (roles, defaults): `ticketId` `ticket_id`, `issueId` `issue_id`, `createdAt` `created_at`,
 * `firstResponseAt` `first_response_at`, `resolvedAt` `resolved_at`, `reopenedAt` `reopened_at`,
 * `index` (none unless `indexColumn`). DuckDB and PostgreSQL only.
 *
 * @throws {InvalidInputError} `invalid_option` (reopenWindow, asOf, dialect); from the finaliser
 *   `missing_value` (NULL ticket id or createdAt), `invalid_type` (empty ticket id), `invalid_time`
 *   (unreadable instant, DuckDB), `invalid_record` (an invalid ticket and no index column).
 * @example
 * const con = await (await DuckDBInstance.create()).connect();
 * const byChannel = await runMetric(duckdbEngine(con), ticketFcrSql({ asOf: "2026-07-01T00:00:00Z" }), {
 *   table: readCsv("tickets.csv"), by: "channel" });
 * byChannel.get("chat")?.rate
 */
export function ticketFcrSql(
  options?: FcrCountingOptions & TicketSqlOptions,
): AggregateSqlMetric<FcrState, FirstContactResolutionResult> {
  const fn = "ticketFcrSql";
  const { indexColumn, ...accOptions } = options ?? {};
  const acc = ticketFcrAccumulator(accOptions);
  const bounds = fcrBounds(acc, accOptions.asOf, fn);
  const inputs = ticketInputs(indexColumn);
  return {
    kind: "aggregate",
    name: "ticketFcr",
    inputs,
    aggregates(d, input) {
      checkServiceDialect(fn, d);
      const t = ticketRowSql(d, input, indexColumn === undefined ? undefined : input("index"));
      // one class per row: 0 not counted (no createdAt: thrown), 1 invalid, 2 unresolved,
      // 3/4 reopened within the window, 5/6 resolved at first contact (+1: window open at asOf)
      const open =
        bounds.windowFrom === null ? "0" : `CASE WHEN ${t.r} >= ${bounds.windowFrom} THEN 1 ELSE 0 END`;
      const code =
        `(CASE WHEN ${t.missing} THEN 0 WHEN ${t.bad} THEN 1 ` +
        `WHEN ${t.r} IS NULL THEN 2 WHEN ${t.o} IS NOT NULL AND ${t.o} - ${t.r} < ${bounds.reopenBelow} ` +
        `THEN 3 + ${open} ELSE 5 + ${open} END)`;
      return [
        ...ticketCheckAggregates(d, t, input),
        { alias: "f_list", sql: invalidListSql(d, t, `NOT ${t.missing} AND ${t.bad}`) },
        ...classAggregates(d, "f_", code, 7),
      ];
    },
    state(row, where) {
      checkProblems(fn, row, where, TICKET_PROBLEMS);
      const invalid = readInvalid(fn, row.f_list, indexColumn !== undefined, where);
      const [, nInvalid, unresolved, reopenedClosed, reopenedOpen, firstClosed, firstOpen] = readClasses(
        row,
        "f_",
        7,
      ) as [number, number, number, number, number, number, number];
      checkListed(fn, invalid.length, nInvalid, where);
      const reopened = reopenedClosed + reopenedOpen;
      const firstContact = firstClosed + firstOpen;
      return {
        n: unresolved + reopened + firstContact,
        resolved: firstContact + reopened,
        firstContact,
        unresolved,
        multiContact: 0,
        reopened,
        windowOpen: reopenedOpen + firstOpen,
        invalidTickets: invalid.length,
        invalidIssues: 0,
        ticketsOfInvalidIssues: 0,
        invalid,
      };
    },
    accumulator: acc,
  };
}

/** Options of `runMetric` for {@link issueFcrSql}: those of an aggregate query, with the ticket columns. */
export interface IssueFcrQueryOptions extends Omit<AggregateQueryOptions, "columns"> {
  /**
   * Ticket columns ({@link TicketColumns}) and `at`, the instant of the periods (default: the
   * `createdAt` column; an issue's period and `by` keys are its first ticket's).
   */
  columns?: TicketColumns & { at?: string };
}

/** What {@link issueFcrSql} returns through `runMetric`: without `by`, one result or a period series. */
export type IssueFcrOutput = FirstContactResolutionResult | PeriodResult<FirstContactResolutionResult>[];
/** With `by`: a `Map` (keys in code-point order) of results or of period series on one grid. */
export type IssueFcrGrouped = Map<GroupKey, IssueFcrOutput>;

/** Names of the per-issue columns of the derived table (never a user's column: checked). */
const ISSUE_COLS = {
  nt: "__cxm_tickets",
  nb: "__cxm_invalid",
  open: "__cxm_open",
  lres: "__cxm_last_resolved",
  reo: "__cxm_reopened",
  inv: "__cxm_invalid_list",
  noId: "__cxm_no_id",
  emptyId: "__cxm_empty_id",
  noCreated: "__cxm_no_created",
  badTime: "__cxm_bad_time",
} as const;

/**
 * Issue-level first-contact resolution as a SQL pipeline: the tickets are grouped into issues in the
 * engine (tickets sharing `issue_id`; a ticket without one is an issue of its own), each issue is
 * classified as `issueFcrAccumulator` classifies it, and the issues are counted per `by` key and
 * period through `runMetric`'s aggregate machinery. The finaliser calls `issueFcrAccumulator(options)`'s
 * own `result`: the same object as `firstContactResolution(tickets, { level: "issue" })`.
 *
 * ```
 * tickets (ms instants, validity bits) → first ticket per issue (createdAt, then ticket id: DuckDB
 *   arg_min_null over a struct, PostgreSQL first_value over a window)
 *   → per issue: tickets, invalid tickets, open tickets, last resolution, reopened within the window
 *     (single-ticket issues), its first ticket's `by` values and createdAt
 *   → counts per (by, period) of invalid issues, unresolved, multi-contact, reopened, first-contact,
 *     window open at asOf → finaliser
 * ```
 *
 * An issue is resolved when every ticket has `resolved_at`; it is resolved at first contact when it
 * has exactly one ticket, not reopened within the window (`reopened_at − resolved_at < window`,
 * strict). An issue with an invalid ticket is left out (`excluded.invalidIssues`), its invalid tickets
 * listed. `where` filters tickets before they are grouped. Ticket ids order ties in `created_at` by
 * code point (PostgreSQL: `COLLATE "C"`). Periods use one statement (`periodPlan: "truncate"`) unless
 * `from` and `to` are both given: the grid plan's first query would run the pipeline twice.
 * Several `by` columns: call `issueFcrSql(…).run(engine, options)` (runMetric's pipeline overloads
 * take one).
 *
 * @throws {InvalidInputError} as {@link ticketFcrSql}; `invalid_option` for an unknown column role or
 *   a column named like the pipeline's own `__cxm_…` columns.
 * @example
 * const byMonth = await runMetric(postgresEngine(pool), issueFcrSql({ reopenWindow: { days: 7 } }), {
 *   table: "tickets", period: "month", timeZone: "Europe/Berlin", columns: { index: "row_no" } });
 * Array.isArray(byMonth) && byMonth[0]?.result.rate
 */
export function issueFcrSql(
  options?: FcrCountingOptions & TicketSqlOptions,
): PipelineSqlMetric<IssueFcrOutput, IssueFcrGrouped, IssueFcrQueryOptions> {
  const fn = "issueFcrSql";
  const { indexColumn, ...accOptions } = options ?? {};
  const acc = issueFcrAccumulator(accOptions);
  const bounds = fcrBounds(acc, accOptions.asOf, fn);
  return {
    kind: "pipeline",
    name: "issueFcr",
    async run(engine: SqlEngine, q: IssueFcrQueryOptions): Promise<IssueFcrOutput | IssueFcrGrouped> {
      const d = engine.dialect;
      checkServiceDialect(fn, d);
      if (typeof q !== "object" || q === null) throw badOption(fn, "options", "{ table, … }", q);
      const given = q.columns ?? {};
      for (const role of Object.keys(given)) {
        if (role !== "at" && role !== "index" && !(TICKET_ROLES as readonly string[]).includes(role))
          throw badOption(
            fn,
            `columns.${role}`,
            `one of ${[...TICKET_ROLES, "index", "at"].join(", ")}`,
            role,
          );
      }
      const cols: Record<string, string> = { ...TICKET_DEFAULTS };
      for (const [k, v] of Object.entries(given)) if (v !== undefined) cols[k] = v;
      const index = given.index ?? indexColumn;
      const by = q.by === undefined ? [] : typeof q.by === "string" ? [q.by] : [...q.by];
      const at = given.at ?? cols.createdAt!;
      const pass = [...new Set(q.period === undefined ? by : [...by, at])];
      const internal = new Set<string>(Object.values(ISSUE_COLS));
      for (const p of pass) {
        if (internal.has(p))
          throw badOption(fn, "by", "a column not named like the pipeline's own __cxm_ columns", p);
      }
      const table = {
        expression: (b: ParamBinder) => issuesTableSql(d, b, q, cols, index, pass, bounds.reopenBelow),
      };
      const inner = issueMetric(fn, acc, bounds.windowFrom, index !== undefined);
      const opts: AggregateQueryOptions = {
        table,
        ...(q.period === undefined ? {} : { columns: { at } }),
        ...(q.by === undefined ? {} : { by: q.by }),
        ...(q.period === undefined ? {} : { period: q.period }),
        ...(q.timeZone === undefined ? {} : { timeZone: q.timeZone }),
        ...(q.weekStartsOn === undefined ? {} : { weekStartsOn: q.weekStartsOn }),
        ...(q.from === undefined ? {} : { from: q.from }),
        ...(q.to === undefined ? {} : { to: q.to }),
        // the grid plan would run the pipeline twice (a first query for the data range) unless
        // from and to are both given; one statement with a time-zone conversion per issue is cheaper
        periodPlan: q.periodPlan ?? (q.from !== undefined && q.to !== undefined ? "grid" : "truncate"),
      };
      // biome-ignore lint/suspicious/noExplicitAny: one call for the four shapes of runMetric
      return (await runMetric(engine, inner, opts as any)) as IssueFcrOutput | IssueFcrGrouped;
    },
  };
}

function badOption(fn: string, name: string, expected: string, found: unknown): InvalidInputError {
  return new InvalidInputError(
    [
      {
        index: null,
        path: [name],
        code: "invalid_option",
        message: `expected ${expected}, found ${formatValue(found)}`,
      },
    ],
    { context: `${fn}: option ${name}`, code: "invalid_option" },
  );
}

/** The `where` filters on ticket columns, values bound (as `runMetric` writes them). */
function whereSql(d: Dialect, b: ParamBinder, where: IssueFcrQueryOptions["where"]): string[] {
  const out: string[] = [];
  if (!where) return out;
  const type = (v: SqlValue) =>
    typeof v === "number"
      ? Number.isInteger(v)
        ? "Int64"
        : "Float64"
      : typeof v === "boolean"
        ? "Bool"
        : "String";
  for (const col of Object.keys(where)) {
    const v = where[col]!;
    if (Array.isArray(v)) {
      if (v.length === 0) out.push("1 = 0");
      else
        out.push(
          `${quoteIdent(d, col)} IN (${(v as readonly SqlValue[]).map((x) => b.bind(x, type(x))).join(", ")})`,
        );
    } else out.push(`${quoteIdent(d, col)} = ${b.bind(v, type(v as SqlValue))}`);
  }
  return out;
}

/**
 * The derived table of issues: one row per issue with its first ticket's values of the `pass`
 * columns (under their own names) and the per-issue counts under the `__cxm_…` names.
 */
function issuesTableSql(
  d: Dialect,
  b: ParamBinder,
  q: IssueFcrQueryOptions,
  cols: Record<string, string>,
  index: string | undefined,
  pass: readonly string[],
  reopenBelow: string,
): string {
  const qi = (s: string) => quoteIdent(d, s);
  const col = (role: string) => qi(cols[role]!);
  const where = whereSql(d, b, q.where);
  const unreadable = unreadableSql(d, [
    col("createdAt"),
    col("firstResponseAt"),
    col("resolvedAt"),
    col("reopenedAt"),
  ]);
  const r0 = [
    `${textSql(d, col("ticketId"))} AS tid`,
    `NULLIF(${textSql(d, col("issueId"))}, '') AS iss`,
    `${msSql(d, col("createdAt"))} AS c`,
    `${msSql(d, col("firstResponseAt"))} AS f`,
    `${msSql(d, col("resolvedAt"))} AS r`,
    `${msSql(d, col("reopenedAt"))} AS o`,
    `${index === undefined ? "CAST(NULL AS BIGINT)" : `CAST(${qi(index)} AS BIGINT)`} AS ix`,
    `${unreadable} AS ux`,
    `row_number() OVER () AS rid`,
    ...pass.map((p, i) => `${qi(p)} AS v${i}`),
  ];
  const { bits } = validitySql("c", "f", "r", "o");
  // the issue: its id, or the ticket's own row for a ticket without one
  const g = [`COALESCE(iss, '')`, "CASE WHEN iss IS NULL THEN rid ELSE 0 END"];
  // each pass column's value on the issue's first ticket (createdAt, then ticket id by code point):
  // DuckDB arg_min_null over a (c, tid) struct; PostgreSQL first_value over a window
  const duck = d === "duckdb";
  const r1 = [
    "tid",
    "iss",
    "c",
    "r",
    "o",
    "ix",
    "ux",
    `${bits} AS bits`,
    ...pass.map((_, i) => (duck ? `v${i}` : `first_value(v${i}) OVER w AS w${i}`)),
  ];
  const list =
    d === "duckdb"
      ? "list({'i': ix, 't': tid, 'u': iss, 'r': bits}) FILTER (WHERE c IS NOT NULL AND bits <> 0)"
      : "json_agg(json_build_object('i', ix, 't', tid, 'u', iss, 'r', bits)) FILTER (WHERE c IS NOT NULL AND bits <> 0)";
  const cnt = (cond: string) => bigintCast(d, countIf(d, cond));
  const out = [
    ...pass.map((p, i) => `${duck ? `arg_min_null(v${i}, {'c': c, 't': tid})` : `w${i}`} AS ${qi(p)}`),
    `${bigintCast(d, "count(*)")} AS ${qi(ISSUE_COLS.nt)}`,
    `${cnt("c IS NOT NULL AND bits <> 0")} AS ${qi(ISSUE_COLS.nb)}`,
    `${cnt("r IS NULL")} AS ${qi(ISSUE_COLS.open)}`,
    `max(r) AS ${qi(ISSUE_COLS.lres)}`,
    `max(CASE WHEN o IS NOT NULL AND o - r < ${reopenBelow} THEN 1 ELSE 0 END) AS ${qi(ISSUE_COLS.reo)}`,
    `${list} AS ${qi(ISSUE_COLS.inv)}`,
    `${cnt("tid IS NULL")} AS ${qi(ISSUE_COLS.noId)}`,
    `${cnt("tid = ''")} AS ${qi(ISSUE_COLS.emptyId)}`,
    `${cnt("c IS NULL")} AS ${qi(ISSUE_COLS.noCreated)}`,
    `${cnt("ux")} AS ${qi(ISSUE_COLS.badTime)}`,
  ];
  return (
    `(WITH r0 AS (SELECT ${r0.join(", ")} FROM ${tableSql(d, b, q.table)} AS ${qi("t")}` +
    (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
    `), r1 AS (SELECT ${r1.join(", ")}, ${g.map((x, i) => `${x} AS g${i}`).join(", ")} FROM r0` +
    (pass.length > 0 && !duck
      ? ` WINDOW w AS (PARTITION BY ${g.join(", ")} ORDER BY c, tid COLLATE "C")`
      : "") +
    `) SELECT ${out.join(", ")} FROM r1 GROUP BY g0, g1${duck ? "" : pass.map((_, i) => `, w${i}`).join("")})`
  );
}

/** The aggregate metric over the derived issues table: counts of issues per group. */
function issueMetric(
  fn: string,
  acc: ReturnType<typeof issueFcrAccumulator>,
  windowFrom: string | null,
  hasIndex: boolean,
): AggregateSqlMetric<FcrState, FirstContactResolutionResult> {
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(ISSUE_COLS)) inputs[k] = v;
  return {
    kind: "aggregate",
    name: "issueFcr",
    inputs,
    aggregates(d, input) {
      const [nt, nb, open, lres, reo, inv] = ["nt", "nb", "open", "lres", "reo", "inv"].map(input) as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const ok = `${nb} = 0`;
      const res = `${ok} AND ${open} = 0`;
      const sum = (x: string) => bigintCast(d, `sum(${x})`);
      return [
        { alias: "x_no_id", sql: sum(input("noId")) },
        { alias: "x_empty_id", sql: sum(input("emptyId")) },
        { alias: "x_no_created", sql: sum(input("noCreated")) },
        { alias: "x_bad_time", sql: sum(input("badTime")) },
        countAgg(d, "i_invalid_issues", `${nb} > 0`),
        { alias: "i_invalid_tickets", sql: sum(nb) },
        { alias: "i_tickets_of_invalid", sql: sum(`CASE WHEN ${nb} > 0 THEN ${nt} - ${nb} ELSE 0 END`) },
        {
          alias: "i_list",
          sql:
            d === "duckdb"
              ? `list(${inv}) FILTER (WHERE ${nb} > 0)`
              : `json_agg(${inv}) FILTER (WHERE ${nb} > 0)`,
        },
        countAgg(d, "i_n", ok),
        countAgg(d, "i_multi", `${ok} AND ${nt} > 1`),
        countAgg(d, "i_unresolved", `${ok} AND ${open} > 0`),
        countAgg(d, "i_resolved", res),
        countAgg(d, "i_reopened", `${res} AND ${nt} = 1 AND ${reo} = 1`),
        countAgg(d, "i_first", `${res} AND ${nt} = 1 AND ${reo} = 0`),
        countAgg(d, "i_window", windowFrom === null ? "FALSE" : `${res} AND ${lres} >= ${windowFrom}`),
      ];
    },
    state(row, where) {
      checkProblems(fn, row, where, TICKET_PROBLEMS);
      const invalid = readInvalid(fn, row.i_list, hasIndex, where);
      const invalidTickets = countValue(row.i_invalid_tickets, "i_invalid_tickets");
      checkListed(fn, invalid.length, invalidTickets, where);
      return {
        n: countValue(row.i_n, "i_n"),
        resolved: countValue(row.i_resolved, "i_resolved"),
        firstContact: countValue(row.i_first, "i_first"),
        unresolved: countValue(row.i_unresolved, "i_unresolved"),
        multiContact: countValue(row.i_multi, "i_multi"),
        reopened: countValue(row.i_reopened, "i_reopened"),
        windowOpen: countValue(row.i_window, "i_window"),
        invalidTickets,
        invalidIssues: countValue(row.i_invalid_issues, "i_invalid_issues"),
        ticketsOfInvalidIssues: countValue(row.i_tickets_of_invalid, "i_tickets_of_invalid"),
        invalid,
      };
    },
    accumulator: acc,
  };
}
