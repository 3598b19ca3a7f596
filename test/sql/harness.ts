/**
 * Helpers for the engine tests: the in-memory composition that `runMetric` must equal (fold,
 * groupBy by key order, byPeriod, and groupBy × byPeriod on one shared grid), and table loaders.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { type Accumulator, fold, groupBy, mapInput } from "../../src/core/accumulator.js";
import { byPeriod } from "../../src/core/by-period.js";
import type { Period } from "../../src/core/time.js";
import { quoteIdent } from "../../src/sql/index.js";

/** A survey-like row as the tests hold it in memory. */
export interface Row {
  segment: string | null;
  at: string;
  score: number | null;
}

/** The in-memory result `runMetric` must reproduce for the given options. */
export function inMemory<S, O>(
  rows: readonly Row[],
  acc: Accumulator<number | null, S, O>,
  options: { by?: boolean; period?: Period; timeZone?: string; weekStartsOn?: 0 | 1 | 2 | 3 | 4 | 5 | 6 },
): unknown {
  const racc = mapInput(acc, (r: Row) => r.score);
  const periodOptions = (from?: string, to?: string) => ({
    at: (r: Row) => r.at,
    period: options.period!,
    timeZone: options.timeZone ?? "UTC",
    weekStartsOn: options.weekStartsOn ?? 1,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  });
  if (!options.by && options.period === undefined) return fold(rows, racc);
  if (options.period === undefined) return groupBy(rows, (r) => r.segment, racc, { order: "key" });
  if (!options.by) return byPeriod(rows, periodOptions(), racc);
  // One grid for every group: from the first to the last instant of the whole input.
  let min = "";
  let max = "";
  let minMs = Number.POSITIVE_INFINITY;
  let maxMs = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    const t = Date.parse(r.at);
    if (t < minMs) [minMs, min] = [t, r.at];
    if (t > maxMs) [maxMs, max] = [t, r.at];
  }
  const groups = groupBy(
    rows,
    (r) => r.segment,
    {
      init: () => [] as Row[],
      add: (s, r) => {
        s.push(r);
        return s;
      },
      merge: (a, b) => a.concat(b),
      result: (s) => s,
    },
    { order: "key" },
  );
  return new Map([...groups].map(([k, list]) => [k, byPeriod(list, periodOptions(min, max), racc)]));
}

/** Create a DuckDB table `name` with columns (segment VARCHAR, at TIMESTAMPTZ, score DOUBLE) under the given column names. */
export async function loadDuck(
  con: DuckDBConnection,
  name: string,
  rows: readonly Row[],
  cols: { segment: string; at: string; score: string } = { segment: "segment", at: "at", score: "score" },
  scoreType = "DOUBLE",
): Promise<void> {
  const q = (s: string) => quoteIdent("duckdb", s);
  await con.run(
    `CREATE OR REPLACE TABLE ${q(name)} (${q(cols.segment)} VARCHAR, ${q(cols.at)} TIMESTAMPTZ, ${q(cols.score)} ${scoreType})`,
  );
  for (let i = 0; i < rows.length; i += 1000) {
    const part = rows.slice(i, i + 1000);
    const values: (string | number | null)[] = [];
    const tuples = part.map((r) => {
      values.push(r.segment, r.at, r.score);
      const k = values.length;
      return `(CAST($${k - 2} AS VARCHAR), CAST($${k - 1} AS TIMESTAMPTZ), CAST($${k} AS ${scoreType}))`;
    });
    if (tuples.length > 0) await con.run(`INSERT INTO ${q(name)} VALUES ${tuples.join(", ")}`, values);
  }
}
