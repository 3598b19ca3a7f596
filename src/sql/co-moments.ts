/**
 * Co-moments pushed down: the counts, means and centred cross-products of an outcome and its
 * drivers as SQL aggregates, so key-driver analysis (correlations, regression, R², LMG, relative
 * weights: every Pearson-based statistic) runs over a warehouse table of any size, per segment and
 * per period, and the engine returns one row of k(k+3)/2 + 1 numbers per group.
 *
 * @module
 */
import { InvalidInputError, invalidOption } from "../core/errors.js";
import { type CoMomentOptions, type CoMomentState, coMomentAccumulator } from "../drivers/co-moments.js";
import { type Dialect, bigintCast, countIf, doubleCast } from "./dialect.js";
import { type AggregateSqlMetric, type SqlAggregate, countValue } from "./metric.js";

/** The stable population co-moment aggregate of each dialect (ClickHouse's `covarPop` is not stable). */
function covarPop(d: Dialect, x: string, y: string): string {
  switch (d) {
    case "clickhouse":
      return `covarPopStable(${x}, ${y})`;
    case "bigquery":
    case "snowflake":
      return `COVAR_POP(${x}, ${y})`;
    default:
      return `covar_pop(${x}, ${y})`;
  }
}

function readFloat(v: unknown, what: string): number {
  if (v === null || v === undefined) return 0;
  const x = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(x)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [what],
          code: "non_finite_value",
          message: `the engine returned ${String(v)} for ${what}`,
        },
      ],
      { context: "coMomentsSql", code: "non_finite_value" },
    );
  }
  return x;
}

/**
 * The co-moment state of {@link coMomentAccumulator} as SQL aggregates — the same
 * {@link CoMomentState} (`n`, `mean`, `comoment`, `excluded.missing`), ready for
 * `keyDriversFromState` or `correlationFromState`. Use it with `runMetric` (`by`, `period`,
 * `from`/`to`, `timeZone`, `filter` as for every aggregate metric).
 *
 * Per group, over the complete rows (every variable non-NULL; listwise deletion as in memory):
 * n = the count of complete rows, x̄ᵢ = `avg(xᵢ)`, Cᵢⱼ = n · `covar_pop(xᵢ, xⱼ)` = Σ (xᵢ − x̄ᵢ)(xⱼ − x̄ⱼ).
 * `covar_pop` is computed by the engines with the stable updating formulas (Welford/Youngs–Cramer
 * per row, Chan et al.'s merge between partial states: the formulas of the in-memory accumulator),
 * so C agrees with the in-memory two-pass kernel to rounding (tested to 1e-12 relative); it is not
 * bit-for-bit equal, because the engines add in their own order and in parallel.
 *
 * Inputs: one role per variable, named like the variable (`columns: { nps: "q_nps" }` maps it to
 * another column; `at` is reserved for the instant of the periods). Values are read as double; integer, decimal and float columns all work.
 * Dialects: all six (`covarPopStable` in ClickHouse; `COVAR_POP` in BigQuery and Snowflake).
 *
 * Differences from memory: a non-finite value (±Infinity, NaN) is an error even in a row that also
 * has a NULL (in memory, the row is skipped when the NULL comes first); errors name the column and
 * the count, not the row index.
 *
 * @param variables The outcome first, then the drivers (at least two names, distinct).
 * @throws {InvalidInputError} `invalid_option` (variables, missing); from the finaliser
 *   `non_finite_value` (a column holds ±Infinity or NaN) and, under `missing: "throw"`,
 *   `missing_value` (a column holds NULLs), each with the count and the group.
 * @example
 * const con = await (await DuckDBInstance.create()).connect();
 * const bySegment = await runMetric(duckdbEngine(con), coMomentsSql(["nps", "speed", "price"]), {
 *   table: readParquet("responses.parquet"), by: "segment" });
 * keyDriversFromState(bySegment.get("enterprise")!).drivers.map((d) => [d.name, d.lmg]);
 */
export function coMomentsSql(
  variables: readonly string[],
  options: CoMomentOptions = {},
): AggregateSqlMetric<CoMomentState, CoMomentState> {
  const fn = "coMomentsSql";
  if (
    !Array.isArray(variables) ||
    variables.length < 2 ||
    variables.some((v) => typeof v !== "string" || v === "") ||
    new Set(variables).size !== variables.length
  ) {
    invalidOption(fn, "variables", "at least two distinct non-empty names (the outcome first)", variables);
  }
  if (variables.includes("at")) {
    // `columns.at` is the instant of the periods; map a variable to a column named "at" instead.
    invalidOption(
      fn,
      "variables",
      'names other than "at" (name it otherwise and map it: columns: { x: "at" })',
      "at",
    );
  }
  const missing = options.missing ?? "listwise";
  if (missing !== "listwise" && missing !== "throw")
    invalidOption(fn, "missing", '"listwise" or "throw"', missing);
  const names = [...variables];
  const k = names.length;
  return {
    kind: "aggregate",
    name: "coMoments",
    inputs: Object.fromEntries(names.map((v) => [v, v])),
    aggregates(d, input) {
      const x = names.map((v) => doubleCast(d, input(v)));
      const complete = x.map((e) => `${e} IS NOT NULL`).join(" AND ");
      const only = (e: string) => `CASE WHEN ${complete} THEN ${e} END`;
      const out: SqlAggregate[] = [{ alias: "n", sql: bigintCast(d, countIf(d, complete)) }];
      for (let i = 0; i < k; i++) {
        // finite ⟺ x − x = 0 (±Infinity and NaN give NaN, which equals nothing but NaN)
        out.push({
          alias: `bad_${i}`,
          sql: bigintCast(d, countIf(d, `${x[i]} IS NOT NULL AND NOT (${x[i]} - ${x[i]} = 0)`)),
        });
        out.push({ alias: `null_${i}`, sql: bigintCast(d, countIf(d, `${x[i]} IS NULL`)) });
        out.push({ alias: `m_${i}`, sql: `avg(${only(x[i]!)})` });
      }
      for (let i = 0; i < k; i++)
        for (let j = i; j < k; j++)
          out.push({ alias: `c_${i}_${j}`, sql: covarPop(d, only(x[i]!), only(x[j]!)) });
      out.push({ alias: "rows", sql: bigintCast(d, "count(*)") });
      return out;
    },
    state(row, where) {
      const bad = names.map((_, i) => countValue(row[`bad_${i}`], `bad_${i}`));
      const nulls = names.map((_, i) => countValue(row[`null_${i}`], `null_${i}`));
      const fail = (code: "non_finite_value" | "missing_value", counts: number[], what: string) => {
        const issues = counts.flatMap((c, i) =>
          c === 0
            ? []
            : [
                {
                  index: null,
                  path: [names[i]!],
                  code,
                  message: `${c} value(s) of "${names[i]}"${where} are ${what}`,
                },
              ],
        );
        if (issues.length > 0) throw new InvalidInputError(issues, { context: `${fn}`, code });
      };
      fail("non_finite_value", bad, "±Infinity or NaN; expected finite numbers");
      if (missing === "throw")
        fail("missing_value", nulls, 'NULL; pass missing: "listwise" to skip such rows');
      const n = countValue(row.n, "n");
      const rows = countValue(row.rows, "rows");
      const mean = names.map((_, i) => (n === 0 ? 0 : readFloat(row[`m_${i}`], `m_${i}`)));
      const comoment = new Array<number>(k * k).fill(0);
      if (n > 0) {
        for (let i = 0; i < k; i++)
          for (let j = i; j < k; j++) {
            const c = readFloat(row[`c_${i}_${j}`], `c_${i}_${j}`) * n;
            comoment[i * k + j] = c;
            comoment[j * k + i] = c;
          }
      }
      return { variables: [...names], n, mean, comoment, excluded: { missing: rows - n } };
    },
    accumulator: coMomentAccumulator(names, options),
  };
}
