/**
 * Running a pipeline's first query in PostgreSQL, whose casts fail on a bad value instead of
 * yielding NULL: on a data exception, probe each column alone to name the one that holds it.
 *
 * Internal (the `_` prefix): not re-exported from `cxmetrics/sql`.
 *
 * @module
 */
import { type ErrorCode, InvalidInputError, formatValue } from "../core/errors.js";
import type { SqlEngine, SqlRow } from "./engine.js";

/** A PostgreSQL data exception (SQLSTATE class 22: a value the cast cannot read). */
export function isDataException(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("22");
}

/** A one-column query that fails when that column holds a value the engine cannot read. */
export interface ColumnProbe {
  /** The option path reported (`"columns.startedAt"`). */
  path: string;
  /** The error code reported (default `invalid_time`). */
  code?: ErrorCode;
  sql: string;
  params: unknown[];
}

/**
 * Run `query`; in PostgreSQL, turn a data exception into an `InvalidInputError` naming the first
 * probed column that fails alone (the engine's message kept as the cause). Other errors, and a data
 * exception no probe reproduces, are rethrown as they are.
 */
export async function runProbed(
  engine: SqlEngine,
  query: { sql: string; params: unknown[] },
  probes: readonly ColumnProbe[],
  context: string,
): Promise<SqlRow[]> {
  try {
    return await engine.query(query.sql, query.params, {});
  } catch (e) {
    if (engine.dialect !== "postgres" || !isDataException(e)) throw e;
    for (const p of probes) {
      try {
        await engine.query(p.sql, p.params, {});
      } catch (pe) {
        if (!isDataException(pe)) throw pe;
        const code = p.code ?? "invalid_time";
        const what =
          code === "invalid_time" ? "a value that is not an instant" : "a value the engine cannot read";
        throw new InvalidInputError(
          [
            {
              index: null,
              path: [p.path],
              code,
              message: `${p.path} holds ${what} (engine: ${pe instanceof Error ? pe.message : formatValue(pe)})`,
            },
          ],
          { context, code, cause: pe },
        );
      }
    }
    throw e;
  }
}
