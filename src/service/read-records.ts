/**
 * Reading records at the entry of the service functions: records that already have the parsed
 * shape are used as they are; raw ones (CSV rows, JSON) go through the zod schema.
 *
 * @module
 */
import type { z } from "zod";
import { type InputIssue, InvalidInputError, formatValue } from "../core/errors.js";

/**
 * Validate `input` (an array or iterable of records) with `schema` unless `isParsed(record)`.
 * Throws `InvalidInputError` listing every bad record (index and path). Returns the input array
 * itself when every record is already parsed.
 */
export function readRecords<S extends z.ZodType>(
  fn: string,
  input: unknown,
  schema: S,
  what: string,
  isParsed: (r: Record<string, unknown>) => boolean,
): z.output<S>[] {
  if (!Array.isArray(input) && !(typeof input === "object" && input !== null && Symbol.iterator in input)) {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected an array of ${what}, found ${formatValue(input)}`,
        },
      ],
      { context: fn, code: "invalid_type" },
    );
  }
  const list = Array.isArray(input) ? (input as unknown[]) : Array.from(input as Iterable<unknown>);
  let out: z.output<S>[] | null = null;
  const issues: InputIssue[] = [];
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (typeof r === "object" && r !== null && isParsed(r as Record<string, unknown>)) {
      if (out) out[i] = r as z.output<S>;
      continue;
    }
    if (!out) out = list.slice(0, i) as z.output<S>[];
    const p = schema.safeParse(r);
    if (p.success) out[i] = p.data;
    else
      for (const issue of p.error.issues) {
        const params = (issue as { params?: { code?: unknown } }).params;
        issues.push({
          index: i,
          path: issue.path.map((x) => (typeof x === "symbol" ? String(x) : x)),
          code: issue.code === "custom" && typeof params?.code === "string" ? params.code : issue.code,
          message: issue.message,
        });
      }
  }
  if (issues.length > 0) throw new InvalidInputError(issues, { context: fn });
  return out ?? (list as z.output<S>[]);
}
