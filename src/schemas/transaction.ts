/**
 * Transaction records: one purchase by one customer, the input of RFM summaries, historical CLV and
 * customer profitability (`cxmetrics/clv`).
 *
 * A record carries either a calendar `date` (`"YYYY-MM-DD"`, no time of day, no zone: the day the
 * purchase belongs to, as in the CDNOW log) or an instant `at` (a `Date`, epoch milliseconds or an
 * ISO-8601 string **with** an offset). Which calendar day an instant falls on is decided later, by the
 * function that uses it, in its `timeZone` option.
 *
 * Parsed records are new objects: `customerId` and `amount` are kept as given (an amount stays a
 * `number`, decimal string or `Decimal`, so no precision is lost before exact sums), `date` stays the
 * validated string, and `at` becomes a `Date`.
 *
 * @module
 */
import { z } from "zod";
import { Decimal } from "../core/money.js";
import { tryParseInstant } from "../core/time.js";
import { type SafeParseResult, parseRecords, safeParseRecords } from "./parse.js";

const DECIMAL_RE = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real calendar date written `YYYY-MM-DD` (proleptic Gregorian). */
function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(2000, mo - 1, d));
  dt.setUTCFullYear(y);
  return dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

const amountSchema = z.union(
  [
    z.number(),
    z.string().regex(DECIMAL_RE, { message: 'expected a decimal string such as "19.99"' }),
    z.custom<Decimal>((v) => Decimal.isDecimal(v) && (v as Decimal).isFinite(), {
      message: "expected a finite Decimal",
    }),
  ],
  { error: "expected an amount: a finite number, a decimal string or a Decimal" },
);

const instantSchema = z.union([z.date(), z.string(), z.number()]).transform((v, ctx) => {
  const r = tryParseInstant(v);
  if ("ms" in r) return new Date(r.ms);
  ctx.addIssue({ code: "custom", message: `instant ${r.error}`, params: { code: "invalid_time" } });
  return z.NEVER;
});

/**
 * One purchase: `{ customerId, date | at, amount }`.
 *
 * - `customerId`: non-empty string or integer number; any string is data (even `"__proto__"`).
 * - `date`: calendar day `"YYYY-MM-DD"`; or `at`: an instant (Date, epoch ms, ISO-8601 with offset).
 *   Exactly one of the two.
 * - `amount`: the purchase value in the currency of the data set (negative for refunds is allowed).
 *
 * @example
 * transactionSchema.parse({ customerId: "c1", date: "1997-01-01", amount: "29.33" })
 */
export const transactionSchema = z
  .object({
    customerId: z.union([z.string().min(1), z.number().int()], {
      error: "expected a non-empty string or an integer",
    }),
    date: z.string().refine(isCalendarDate, { message: 'expected a calendar date "YYYY-MM-DD"' }).optional(),
    at: instantSchema.optional(),
    amount: amountSchema,
  })
  .superRefine((r, ctx) => {
    if (r.date === undefined && r.at === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["date"],
        message: "expected a date (YYYY-MM-DD) or an instant `at`; found neither",
      });
    } else if (r.date !== undefined && r.at !== undefined) {
      ctx.addIssue({ code: "custom", path: ["at"], message: "expected either `date` or `at`, found both" });
    }
  });

/** A validated transaction record (see {@link transactionSchema}). */
export type Transaction = z.output<typeof transactionSchema>;

/**
 * Validate an array of transaction records; throws `InvalidInputError` listing every issue with its
 * record index and path.
 *
 * @example
 * parseTransactions([{ customerId: 1, at: "1997-01-01T10:00:00Z", amount: 12 }])[0]?.at instanceof Date //=> true
 */
export function parseTransactions(input: unknown): Transaction[] {
  return parseRecords(transactionSchema, input, "transactions");
}

/**
 * Like {@link parseTransactions} but returns `{ success, data }` or `{ success: false, error }`.
 *
 * @example
 * safeParseTransactions([{ customerId: "c1", at: "1997-01-01", amount: 12 }]).success //=> false (no offset)
 */
export function safeParseTransactions(input: unknown): SafeParseResult<Transaction> {
  return safeParseRecords(transactionSchema, input, "transactions");
}
