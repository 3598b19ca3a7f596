/**
 * Validation and listwise deletion for named numeric columns (internal to `drivers/`).
 *
 * @module
 */
import { InsufficientDataError, InvalidInputError, formatValue } from "../core/errors.js";

/** A numeric column: an array (with `null`/`undefined` for missing values) or a typed array. */
export type Column = ArrayLike<number | null | undefined>;

/** Columns after checking: equal length, finite, complete rows only. */
export interface CheckedColumns {
  names: string[];
  /** Complete rows only, as Float64Arrays, or the caller's typed arrays when nothing was dropped. */
  columns: ArrayLike<number>[];
  /** Rows kept. */
  n: number;
  /** Rows dropped because some value was `null`/`undefined`. */
  missing: number;
  /** Total input rows. */
  rows: number;
}

function isTyped(x: unknown): x is Float64Array | Float32Array | Int32Array | Uint8Array {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** Throw `length_mismatch` unless every column has the first one's length. */
export function checkLengths(fn: string, names: string[], columns: Column[]): number {
  const len = columns[0]?.length ?? 0;
  for (let c = 1; c < columns.length; c++) {
    if (columns[c]!.length !== len) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: [names[c]!],
            code: "length_mismatch",
            message: `column "${names[c]}" has ${columns[c]!.length} values but "${names[0]}" has ${len}; columns must have equal lengths`,
          },
        ],
        { context: fn, code: "length_mismatch" },
      );
    }
  }
  return len;
}

function badValue(fn: string, name: string, index: number, value: unknown): never {
  const code =
    value === null || value === undefined
      ? "missing_value"
      : typeof value !== "number"
        ? "invalid_type"
        : "non_finite_value";
  const hint =
    code === "missing_value" ? ' (pass { missing: "listwise" } or "pairwise" to skip missing values)' : "";
  throw new InvalidInputError(
    [
      {
        index,
        path: [name],
        code,
        message: `column "${name}" at index ${index} is ${formatValue(value)}; expected a finite number${hint}`,
      },
    ],
    { context: fn, code },
  );
}

/**
 * Check columns and drop incomplete rows. `missing: "throw"` makes `null`/`undefined` an error;
 * `"listwise"` drops any row with a missing value. NaN, ±Infinity and non-numbers always throw,
 * naming the column and index.
 */
export function checkColumns(
  fn: string,
  names: string[],
  columns: Column[],
  missing: "throw" | "listwise",
): CheckedColumns {
  const rows = checkLengths(fn, names, columns);
  let keep: Uint8Array | null = null;
  let dropped = 0;
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c]!;
    const name = names[c]!;
    if (isTyped(col)) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += col[i]! * 0;
      if (s !== 0) {
        for (let i = 0; i < rows; i++) if (!Number.isFinite(col[i]!)) badValue(fn, name, i, col[i]);
      }
      continue;
    }
    for (let i = 0; i < rows; i++) {
      const v = col[i];
      if (typeof v === "number" && v - v === 0) continue;
      if ((v === null || v === undefined) && missing === "listwise") {
        if (keep === null) keep = new Uint8Array(rows).fill(1);
        if (keep[i] === 1) {
          keep[i] = 0;
          dropped++;
        }
        continue;
      }
      badValue(fn, name, i, v);
    }
  }
  const n = rows - dropped;
  let out: ArrayLike<number>[];
  if (keep === null) out = columns as ArrayLike<number>[];
  else {
    out = columns.map((col) => {
      const a = new Float64Array(n);
      let k = 0;
      for (let i = 0; i < rows; i++) if (keep![i] === 1) a[k++] = col[i] as number;
      return a;
    });
  }
  return { names, columns: out, n, missing: dropped, rows };
}

/** Throw `insufficient_data` when fewer than `min` complete rows remain. */
export function requireRows(fn: string, n: number, min: number, what = "complete rows"): void {
  if (n < min) {
    throw new InsufficientDataError(
      `${fn}: ${n} ${what} left after removing missing values; at least ${min} are needed`,
      `at least ${min} ${what}`,
    );
  }
}

/** Throw `constant_column` naming the column. */
export function constantColumn(fn: string, name: string): never {
  throw new InsufficientDataError(
    `${fn}: column "${name}" is constant (zero variance), so its correlations are undefined; remove it`,
    `variation in column "${name}"`,
    "constant_column",
  );
}
