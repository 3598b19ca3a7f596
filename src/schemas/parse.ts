/**
 * The boundary between unknown input and typed records: run a zod schema over an array of
 * records and turn every zod issue into an {@link InputIssue} naming the record index and path.
 *
 * @module
 */
import type { z } from "zod";
import { type InputIssue, InvalidInputError, formatValue } from "../core/errors.js";

/** Result of a `safeParseX` function: the typed records, or the error listing every issue. */
export type SafeParseResult<T> = { success: true; data: T[] } | { success: false; error: InvalidInputError };

/**
 * Convert one zod issue (inside record `index`) to an {@link InputIssue}; a custom issue carrying
 * `params.code` keeps that cxmetrics code.
 *
 * @example
 * zodIssueToInputIssue({ code: "custom", path: ["amount"], message: "expected ≥ 0", input: -1 }, 3)
 * //=> { index: 3, path: ["amount"], code: "custom", message: "expected ≥ 0" }
 */
export function zodIssueToInputIssue(issue: z.core.$ZodIssue, index: number | null): InputIssue {
  // Custom issues raised by our refinements carry the cxmetrics code in params.code.
  const params = (issue as { params?: { code?: unknown } }).params;
  const code = issue.code === "custom" && typeof params?.code === "string" ? params.code : issue.code;
  return {
    index,
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    code,
    message: issue.message,
  };
}

/**
 * Validate `input` as an array of records with `schema`, collecting every issue of every record.
 * Returns the parsed records (new objects; the input is not mutated) or an `InvalidInputError`.
 *
 * @example
 * const r = safeParseRecords(activityEventSchema, [{ userId: "u1" }], "activity events");
 * r.success ? "" : r.error.message //=> "parse activity events: index 0 at occurredAt: instant is undefined; expected a Date or an ISO-8601 string"
 */
export function safeParseRecords<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): SafeParseResult<z.output<S>> {
  if (!Array.isArray(input)) {
    return {
      success: false,
      error: new InvalidInputError(
        [
          {
            index: null,
            path: [],
            code: "invalid_type",
            message: `expected an array of ${what}, found ${formatValue(input)}`,
          },
        ],
        { context: `parse ${what}` },
      ),
    };
  }
  const out: z.output<S>[] = new Array(input.length);
  const issues: InputIssue[] = [];
  for (let i = 0; i < input.length; i++) {
    const r = schema.safeParse(input[i]);
    if (r.success) out[i] = r.data;
    else for (const issue of r.error.issues) issues.push(zodIssueToInputIssue(issue, i));
  }
  if (issues.length > 0)
    return {
      success: false,
      error: new InvalidInputError(issues, { context: `parse ${what}`, code: "invalid_record" }),
    };
  return { success: true, data: out };
}

/**
 * Like {@link safeParseRecords} but throws the `InvalidInputError`.
 *
 * @example
 * parseRecords(activityEventSchema, [{ userId: 7, occurredAt: "2026-03-01T10:00:00Z" }], "activity events")[0]?.userId //=> "7"
 */
export function parseRecords<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S>[] {
  const r = safeParseRecords(schema, input, what);
  if (!r.success) throw r.error;
  return r.data;
}

/**
 * Reject parsed records in more than one currency (`invalid_currency`, naming the first record whose
 * currency differs from the first record's). Records without a currency are ignored.
 *
 * @example
 * requireOneCurrency({ success: true, data: [{ currency: "USD" }, { currency: null }] }, "orders", "").success //=> true
 * requireOneCurrency({ success: true, data: [{ currency: "USD" }, { currency: "EUR" }] }, "orders", "").success //=> false
 */
export function requireOneCurrency<T extends { currency: string | null }>(
  r: SafeParseResult<T>,
  what: string,
  hint: string,
): SafeParseResult<T> {
  if (!r.success) return r;
  let first: string | null = null;
  for (let i = 0; i < r.data.length; i++) {
    const c = r.data[i]!.currency;
    if (c === null) continue;
    if (first === null) first = c;
    else if (c !== first) {
      const issue = {
        index: i,
        path: ["currency"],
        code: "invalid_currency",
        message: `currency is ${c} but earlier ${what} are in ${first}; ${hint}`,
      };
      return {
        success: false,
        error: new InvalidInputError([issue], { context: `parse ${what}`, code: "invalid_currency" }),
      };
    }
  }
  return r;
}
