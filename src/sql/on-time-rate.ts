/**
 * On-time rate of appointments pushed down to DuckDB and PostgreSQL: on time / late / missed /
 * pending / canceled and the sum of start delays, counted in the engine as `onTimeRateAccumulator`
 * classifies appointments; the finaliser builds its {@link OnTimeState} and calls its own `result`.
 *
 * @module
 */
import { parseInstant } from "../core/time.js";
import {
  type OnTimeRateAccumulatorOptions,
  type OnTimeRateResult,
  type OnTimeState,
  onTimeRateAccumulator,
} from "../service/on-time-rate.js";
import {
  type Problem,
  checkProblems,
  checkServiceDialect,
  classAggregates,
  countAgg,
  firstTrue,
  integerValue,
  intLiteral,
  msSql,
  readClasses,
  textSql,
  unreadableSql,
} from "./_tickets.js";
import type { AggregateSqlMetric } from "./metric.js";

const PROBLEMS: readonly Problem[] = [
  [
    "a_bad_time",
    "scheduledAt",
    "invalid_time",
    "have an instant the engine cannot read as a timestamp with time zone",
  ],
  ["a_no_scheduled", "scheduledAt", "missing_value", "have no scheduledAt (appointmentSchema requires one)"],
  [
    "a_bad_canceled",
    "canceled",
    "invalid_type",
    'have a canceled value that is not a boolean, 1/0 or "true"/"false" (appointmentSchema)',
  ],
];

/**
 * On-time rate as SQL: the state of `onTimeRateAccumulator(options)` counted by the engine and
 * finalised by its own `result` — the same object as `onTimeRate(appointments, options)` (with `by` /
 * `period` through `runMetric`; periods by `columns.at`, which should be the `scheduled_at` column).
 *
 * Per appointment (instants as epoch ms): canceled when `canceled` is true (a boolean, `1`, or the
 * text `true`; NULL, `0`, `false` and empty text are not canceled, as `appointmentSchema` reads them);
 * else started: on time when `started − scheduled ≤ floor(grace)` (integer ms, so exactly the
 * in-memory `≤ grace`), late otherwise; not started: missed when `scheduled ≤ s(grace)`, s the largest
 * integer with `asOf − s > grace` in float64, else pending. The delays of started appointments are
 * summed exactly (BIGINT / HUGEINT / numeric); the in-memory float sum is the same while it stays
 * below 2^53 ms.
 *
 * Columns (roles, defaults): `scheduledAt` `scheduled_at`, `startedAt` `started_at`, `canceled`
 * `canceled`. DuckDB and PostgreSQL only.
 *
 * @throws {InvalidInputError} `invalid_option` (grace, asOf, dialect); from the finaliser
 *   `missing_value` (NULL scheduledAt), `invalid_type` (an unreadable canceled value), `invalid_time`
 *   (unreadable instant, DuckDB).
 * @example
 * const con = await (await DuckDBInstance.create()).connect();
 * const r = await runMetric(duckdbEngine(con), onTimeRateSql({ grace: { minutes: 5 }, asOf: "2026-03-10T00:00:00Z" }), {
 *   table: readCsv("appointments.csv") });
 * [r.onTime, r.late, r.missed, r.rate]
 */
export function onTimeRateSql(
  options?: OnTimeRateAccumulatorOptions,
): AggregateSqlMetric<OnTimeState, OnTimeRateResult> {
  const fn = "onTimeRateSql";
  const acc = onTimeRateAccumulator(options);
  const graceMs = acc.result(acc.init()).graceMs;
  const asOfMs = options?.asOf === undefined ? null : parseInstant(options.asOf, { fn, path: ["asOf"] });
  // delay ≤ grace ⟺ (integer) ≤ floor(grace); asOf − scheduled > grace ⟺ scheduled ≤ the last integer where it holds
  const onTimeUpTo = intLiteral(Math.floor(graceMs));
  const missedUpTo = asOfMs === null ? null : intLiteral(firstTrue((s) => !(asOfMs - s > graceMs)) - 1);
  return {
    kind: "aggregate",
    name: "onTimeRate",
    inputs: { scheduledAt: "scheduled_at", startedAt: "started_at", canceled: "canceled" },
    aggregates(d, input) {
      checkServiceDialect(fn, d);
      const s = msSql(d, input("scheduledAt"));
      const st = msSql(d, input("startedAt"));
      const cv = textSql(d, input("canceled"));
      const missed = missedUpTo === null ? "FALSE" : `${s} <= ${missedUpTo}`;
      const noScheduled =
        d === "duckdb"
          ? `(${input("scheduledAt")} IS NULL OR ${s} IS NULL)`
          : `${input("scheduledAt")} IS NULL`;
      const live = `(${cv} IS NULL OR ${cv} IN ('false', '0', ''))`;
      // one class per row: 0 not counted (thrown), 1 canceled, 2 on time, 3 late, 4 missed, 5 pending
      const code =
        `(CASE WHEN ${noScheduled} THEN 0 WHEN ${cv} IN ('true', '1') THEN 1 WHEN NOT ${live} THEN 0 ` +
        `WHEN ${st} IS NOT NULL THEN CASE WHEN ${st} - ${s} <= ${onTimeUpTo} THEN 2 ELSE 3 END ` +
        `WHEN ${missed} THEN 4 ELSE 5 END)`;
      return [
        countAgg(d, "a_bad_time", unreadableSql(d, [input("scheduledAt"), input("startedAt")])),
        countAgg(d, "a_no_scheduled", noScheduled),
        countAgg(d, "a_bad_canceled", `${cv} IS NOT NULL AND NOT (${cv} IN ('true', '1') OR ${live})`),
        ...classAggregates(d, "a_", code, 6),
        {
          alias: "a_delay_sum",
          sql: `sum(${st} - ${s}) FILTER (WHERE NOT ${noScheduled} AND ${live} AND ${st} IS NOT NULL)`,
        },
      ];
    },
    state(row, where) {
      checkProblems(fn, row, where, PROBLEMS);
      const [, canceled, onTime, late, missed, pending] = readClasses(row, "a_", 6) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      return {
        onTime,
        late,
        missed,
        pending,
        canceled,
        started: onTime + late,
        delaySum: integerValue(row.a_delay_sum, "a_delay_sum"),
      };
    },
    accumulator: acc,
  };
}
