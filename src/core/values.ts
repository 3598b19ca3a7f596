/**
 * Shared checks for the hot numeric functions: how a bad value is reported, and how the
 * array / rows-plus-accessor overloads are read. Validation happens in the same pass as the
 * computation, and the first bad value throws naming its index.
 *
 * @module
 */
import { InvalidInputError, formatValue } from "./errors.js";

/** How `null` / `undefined` values are treated: `"throw"` (default) or `"omit"` (skip and count in `excluded`). */
export type MissingPolicy = "throw" | "omit";

/** Options shared by functions that accept missing values. */
export interface MissingOptions {
  /** `"throw"` (default): a `null`/`undefined` value is an error. `"omit"`: skip it and count it in `excluded.missing`. */
  missing?: MissingPolicy;
}

/** Counts of values left out of a computation, by reason. */
export interface Excluded {
  /** `null` / `undefined` values skipped under `missing: "omit"`. */
  missing: number;
}

/** An accessor that reads a value from a row. */
export type Accessor<T, V = number | null | undefined> = (row: T, index: number) => V;

/**
 * Throw the right `InvalidInputError` for a value that is not a valid score.
 * Distinguishes missing, wrong type, non-finite, non-integer and out-of-range values.
 *
 * @param fn function name for the message (e.g. `"nps"`)
 * @param index position of the value in the input
 * @param value the offending value
 * @param expected what was expected, in words ("an integer from 0 to 10")
 * @param integer whether integers are required
 * @param path the column or field the value came from (e.g. `["durations"]`), for the issue
 *
 * @example
 * const err = (() => { try { throwBadValue("nps", 3, 11, "an integer from 0 to 10"); } catch (e) { return e; } })();
 * err instanceof InvalidInputError && err.code //=> "out_of_range"
 * err instanceof InvalidInputError && err.message //=> "nps: index 3: value is 11; expected an integer from 0 to 10"
 */
export function throwBadValue(
  fn: string,
  index: number,
  value: unknown,
  expected: string,
  integer = true,
  path: (string | number)[] = [],
): never {
  let code: "missing_value" | "invalid_type" | "non_finite_value" | "not_an_integer" | "out_of_range";
  if (value === null || value === undefined) code = "missing_value";
  else if (typeof value !== "number") code = "invalid_type";
  else if (!Number.isFinite(value)) code = "non_finite_value";
  else if (integer && !Number.isInteger(value)) code = "not_an_integer";
  else code = "out_of_range";
  const hint = code === "missing_value" ? ' (pass { missing: "omit" } to skip missing values)' : "";
  throw new InvalidInputError(
    [
      {
        index,
        path,
        code,
        message: `value is ${formatValue(value)}; expected ${expected}${hint}`,
      },
    ],
    { context: fn, code },
  );
}

/**
 * Read the overloaded `(values, options)` / `(rows, accessor, options)` arguments into a uniform
 * iteration: calls `visit(value, index)` for each value.
 *
 * @example
 * const seen: unknown[] = [];
 * forEachValue([{ x: 1 }, { x: 2 }], (r: { x: number }) => r.x, (v, i) => seen.push([i, v]));
 * seen //=> [[0, 1], [1, 2]]
 */
export function forEachValue<T>(
  data: ArrayLike<unknown> | Iterable<T>,
  accessor: Accessor<T, unknown> | undefined,
  visit: (value: unknown, index: number) => void,
): void {
  if (accessor) {
    if (isArrayLikeData(data)) {
      for (let i = 0; i < data.length; i++) visit(accessor(data[i] as T, i), i);
    } else {
      let i = 0;
      for (const row of data as Iterable<T>) {
        visit(accessor(row, i), i);
        i++;
      }
    }
    return;
  }
  if (isArrayLikeData(data)) {
    for (let i = 0; i < data.length; i++) visit(data[i], i);
  } else {
    let i = 0;
    for (const v of data as Iterable<unknown>) visit(v, i++);
  }
}

function isArrayLikeData(x: unknown): x is ArrayLike<unknown> {
  return typeof x === "object" && x !== null && typeof (x as ArrayLike<unknown>).length === "number";
}

/** Warning codes attached to results. */
export interface Warning {
  code: "small_sample" | "assumption_violated" | "zero_variance" | "boundary_estimate" | string;
  message: string;
}

/**
 * The conventional small-sample warning: one `small_sample` warning when 0 < n < `threshold`
 * (default 30, the usual rule of thumb for normal-approximation intervals), none otherwise.
 *
 * @example
 * smallSampleWarning(12).map((w) => w.code) //=> ["small_sample"]
 * smallSampleWarning(30) //=> []
 */
export function smallSampleWarning(n: number, threshold = 30): Warning[] {
  return n > 0 && n < threshold
    ? [
        {
          code: "small_sample",
          message: `n = ${n} is below ${threshold}; the normal-approximation interval may be unreliable`,
        },
      ]
    : [];
}

/**
 * Validate a confidence level in (0, 1): return it, or throw `InvalidInputError` code
 * `invalid_option` naming `fn`.
 *
 * @example
 * checkLevel("myMetric", 0.9) //=> 0.9
 */
export function checkLevel(fn: string, level: number): number {
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["level"],
          code: "invalid_option",
          message: `expected a number in (0, 1), found ${formatValue(level)}`,
        },
      ],
      { context: fn, code: "invalid_option" },
    );
  }
  return level;
}
