/**
 * Error model for cxmetrics: one base class with a stable machine-readable `code`,
 * and one subclass per kind of failure. Catch `CxMetricsError` to catch everything the
 * library throws on purpose; switch on `code` (a documented snake_case union) rather than
 * on messages, which may be reworded.
 *
 * @module
 */

/**
 * Every error code the library throws. Stable across minor versions.
 *
 * - `invalid_record`: a record failed schema validation (see {@link InvalidInputError.issues}).
 * - `non_finite_value`: NaN or ±Infinity where a finite number is required.
 * - `out_of_range`: a value outside its scale or domain (an NPS score of 11).
 * - `not_an_integer`: a value that must be an integer is not.
 * - `invalid_type`: a value of the wrong type (a string where a number is expected).
 * - `missing_value`: `null` / `undefined` while `missing: "throw"` (the default).
 * - `invalid_option`: an option is out of its domain (a confidence level of 1.2).
 * - `length_mismatch`: columns that must align have different lengths.
 * - `empty_input`: a computation that needs data got none (most aggregates return `n: 0` instead).
 * - `insufficient_data`: too few observations, or degenerate data, for the requested statistic.
 * - `constant_column`: a column has zero variance where variation is needed.
 * - `singular_matrix`: a linear system is singular (perfectly collinear columns).
 * - `did_not_converge`: an iterative fit stopped without meeting its convergence criterion.
 * - `too_many_variables`: an exact method would enumerate too many subsets.
 * - `invalid_time`: an instant without an offset and no time zone, an unknown time zone, or an unparsable date.
 * - `invalid_currency`: money in different currencies mixed without a conversion.
 * - `internal_error`: a broken internal invariant — a bug in cxmetrics, not in the input; please report it.
 */
export type ErrorCode =
  | "invalid_record"
  | "non_finite_value"
  | "out_of_range"
  | "not_an_integer"
  | "invalid_type"
  | "missing_value"
  | "invalid_option"
  | "length_mismatch"
  | "empty_input"
  | "insufficient_data"
  | "constant_column"
  | "singular_matrix"
  | "did_not_converge"
  | "too_many_variables"
  | "invalid_time"
  | "invalid_currency"
  | "internal_error";

/**
 * Base class of every error cxmetrics throws on purpose. `code` is stable; `message` is for people.
 *
 * @example
 * const err = new CxMetricsError("empty_input", "no rows");
 * [err instanceof Error, err.code, err.name] //=> [true, "empty_input", "CxMetricsError"]
 */
export class CxMetricsError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CxMetricsError";
    this.code = code;
  }
}

/** One problem found in the input: where (record index and path inside it), what kind, and a message. */
export interface InputIssue {
  /** Index of the offending record or value in the input (0-based); `null` when the problem is the input as a whole. */
  index: number | null;
  /** Path inside the record, e.g. `["submittedAt"]` or `["drivers", "speed"]`; empty for a bare value. */
  path: (string | number)[];
  /** The kind of problem (same union as error codes, or a zod issue code for schema failures). */
  code: string;
  /** What was expected and what was found. */
  message: string;
}

function describeIssue(issue: InputIssue): string {
  const where = issue.index === null ? "input" : `index ${issue.index}`;
  const path = issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  return `${where}${path}: ${issue.message}`;
}

/**
 * Input that does not meet a function's or schema's contract. `issues` lists every problem found
 * (schema validation lists all of them; hot numeric functions stop at the first).
 *
 * @example
 * const err = (() => { try { return proportionInterval(1, 2, { level: 2 }); } catch (e) { return e; } })();
 * err instanceof InvalidInputError && err.issues //=> [{ index: null, path: ["level"], code: "invalid_option", message: "expected a number strictly between 0 and 1, found 2" }]
 * const bad = new InvalidInputError([{ index: 1, path: ["score"], code: "out_of_range", message: "score is 11" }]);
 * [bad.code, bad.message] //=> ["out_of_range", "index 1 at score: score is 11"]
 */
export class InvalidInputError extends CxMetricsError {
  /** Every problem found, in input order. */
  readonly issues: InputIssue[];
  constructor(
    issues: InputIssue[],
    options?: { code?: ErrorCode; context?: string; maxListed?: number; cause?: unknown },
  ) {
    const max = options?.maxListed ?? 10;
    const head = issues.slice(0, max).map(describeIssue);
    const more = issues.length > max ? `\n  … and ${issues.length - max} more issue(s)` : "";
    const prefix = options?.context ? `${options.context}: ` : "";
    const message =
      issues.length === 1
        ? `${prefix}${head[0]}`
        : `${prefix}${issues.length} invalid input issue(s):\n  ${head.join("\n  ")}${more}`;
    super(options?.code ?? (issues.length === 1 ? asErrorCode(issues[0]!.code) : "invalid_record"), message, {
      cause: options?.cause,
    });
    this.name = "InvalidInputError";
    this.issues = issues;
  }
}

const KNOWN_CODES = new Set<string>([
  "invalid_record",
  "non_finite_value",
  "out_of_range",
  "not_an_integer",
  "invalid_type",
  "missing_value",
  "invalid_option",
  "length_mismatch",
  "empty_input",
  "insufficient_data",
  "constant_column",
  "singular_matrix",
  "did_not_converge",
  "too_many_variables",
  "invalid_time",
  "invalid_currency",
  "internal_error",
]);

function asErrorCode(code: string): ErrorCode {
  return KNOWN_CODES.has(code) ? (code as ErrorCode) : "invalid_record";
}

/**
 * Too few observations (or degenerate data) for the statistic asked for; `needed` says what would suffice.
 *
 * @example
 * const err = new InsufficientDataError("correlation: 2 complete rows", "at least 3 complete rows");
 * [err.code, err.needed] //=> ["insufficient_data", "at least 3 complete rows"]
 */
export class InsufficientDataError extends CxMetricsError {
  /** What the computation needed, in words (e.g. "at least 3 complete rows"). */
  readonly needed: string;
  constructor(
    message: string,
    needed: string,
    code: Extract<
      ErrorCode,
      "insufficient_data" | "constant_column" | "singular_matrix" | "too_many_variables" | "empty_input"
    > = "insufficient_data",
  ) {
    super(code, message);
    this.name = "InsufficientDataError";
    this.needed = needed;
  }
}

/**
 * An iterative fit stopped without converging. Carries the iteration count and the last gradient.
 *
 * @example
 * const err = new ConvergenceError("fitBgNbd: no convergence", 200, [0.1, -0.2]);
 * [err.code, err.iterations, err.lastGradient] //=> ["did_not_converge", 200, [0.1, -0.2]]
 */
export class ConvergenceError extends CxMetricsError {
  readonly iterations: number;
  readonly lastGradient: number[];
  constructor(message: string, iterations: number, lastGradient: number[]) {
    super("did_not_converge", message);
    this.name = "ConvergenceError";
    this.iterations = iterations;
    this.lastGradient = lastGradient;
  }
}

/**
 * Throw an `InvalidInputError` with code `invalid_option` for an option out of its domain.
 *
 * @example
 * const err = (() => { try { invalidOption("nps", "level", "a number in (0, 1)", 95); } catch (e) { return e; } })();
 * err instanceof InvalidInputError && err.message //=> "nps: option level: input at level: expected a number in (0, 1), found 95"
 */
export function invalidOption(fn: string, name: string, expected: string, found: unknown): never {
  throw new InvalidInputError(
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

/**
 * Short, safe rendering of a value for error messages (strings quoted and cut at 40 characters,
 * objects named by type only, so no record contents leak into messages).
 *
 * @example
 * [formatValue("x"), formatValue(NaN), formatValue([1]), formatValue({ a: 1 })] //=> ['"x"', "NaN", "an array", "an object"]
 */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
