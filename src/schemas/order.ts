/**
 * Order records (one row per order of a web shop or any one-off purchase). Validated with zod;
 * every issue names the record index and the field path.
 *
 * Parsed records keep the instant as a `Date` (the UTC instant; the offset written in the input is
 * not kept — pass the reporting `timeZone` to the metric instead) and the amount as `Decimal`.
 * Field names are camelCase; the snake_case names of a CSV export (`order_id`, `customer_id`,
 * `ordered_at`) are accepted as aliases, and a blank optional cell means "absent".
 *
 * @module
 */
import { z } from "zod";
import { type SafeParseResult, requireOneCurrency, safeParseRecords } from "./parse.js";
import { amountSchema, instantSchema } from "./subscription.js";

const blankToNull = (v: unknown) => (v === undefined || v === null || v === "" ? null : v);
const idSchema = z.union([z.string().min(1), z.number().int().transform(String)]);

const SNAKE_ALIASES: readonly (readonly [string, string])[] = [
  ["order_id", "orderId"],
  ["customer_id", "customerId"],
  ["ordered_at", "orderedAt"],
];

function aliasKeys(v: unknown): unknown {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const [snake, camel] of SNAKE_ALIASES) {
    if (Object.hasOwn(o, snake) && !Object.hasOwn(o, camel)) {
      copy ??= { ...o };
      copy[camel] = o[snake];
    }
  }
  return copy ?? v;
}

/**
 * zod schema of one order record.
 *
 * Fields: `orderId` (optional, `null` when absent), `customerId` (required: buyers are counted by
 * it), `orderedAt` (a `Date`, epoch ms, or an ISO-8601 string **with an offset**; output `Date`),
 * `amount` (number, decimal string or `Decimal`, ≥ 0; output `Decimal`), `currency` (optional
 * three-letter ISO-4217 code, upper-cased; `null` when absent).
 *
 * Issue codes: `invalid_time` (instant without offset or unparsable), `invalid_type` /
 * `non_finite_value` (amount not a number or decimal string), `out_of_range` (negative amount),
 * zod's own codes for missing or mistyped ids.
 *
 * @example
 * orderSchema.parse({ customer_id: "c1", ordered_at: "2025-03-01T00:00:00-05:00", amount: "19.99" })
 *   .orderedAt.toISOString() //=> "2025-03-01T05:00:00.000Z"
 */
export const orderSchema = z.preprocess(
  aliasKeys,
  z.object({
    /** Order id (optional; kept for reporting). */
    orderId: z
      .preprocess(blankToNull, idSchema.nullable())
      .optional()
      .transform((v) => v ?? null),
    /** The buyer. */
    customerId: idSchema,
    /** When the order was placed (an instant; the written offset is not kept). */
    orderedAt: instantSchema,
    /** Order value, ≥ 0, exact. */
    amount: amountSchema,
    /** ISO-4217 code; `null` when not given (then every order is taken to be in one currency). */
    currency: z
      .preprocess(
        blankToNull,
        z
          .string()
          .regex(/^[A-Za-z]{3}$/, "expected a three-letter ISO-4217 code")
          .nullable(),
      )
      .optional()
      .transform((v) => (v == null ? null : v.toUpperCase())),
  }),
);

/** A validated order record (output of {@link orderSchema}): `orderedAt: Date`, `amount: Decimal`. */
export type Order = z.output<typeof orderSchema>;

/** Options for {@link parseOrders}. */
export interface ParseOrdersOptions {
  /**
   * `"error"` (default): orders in different currencies are rejected (`invalid_currency`, naming the
   * first order whose currency differs from the first one given). `"allow"`: keep them.
   */
  mixedCurrencies?: "error" | "allow";
}

/**
 * Validate an array of order records; returns `{ success: true, data }` or `{ success: false, error }`
 * with an `InvalidInputError` listing every issue with its record index and path.
 *
 * @example
 * safeParseOrders([{ customerId: "c1", orderedAt: "2025-03-01 10:00", amount: 5 }]).success //=> false
 */
export function safeParseOrders(input: unknown, options?: ParseOrdersOptions): SafeParseResult<Order> {
  const r = safeParseRecords(orderSchema, input, "orders");
  if (!r.success || options?.mixedCurrencies === "allow") return r;
  return requireOneCurrency(
    r,
    "orders",
    'convert amounts to one currency first or pass mixedCurrencies: "allow"',
  );
}

/**
 * Validate an array of order records (see {@link orderSchema}); throws `InvalidInputError` listing
 * every issue with its record index and path.
 *
 * @throws {InvalidInputError} `invalid_record` listing each issue with its own code (`invalid_time`
 * for an instant without offset, `out_of_range` for a negative amount, …); `invalid_currency` for
 * mixed currencies.
 * @example
 * parseOrders([{ order_id: "o1", customer_id: "c1", ordered_at: "2026-01-01T04:59:59.999Z",
 *   amount: "12.50" }])[0]?.amount.toString() //=> "12.5"
 */
export function parseOrders(input: unknown, options?: ParseOrdersOptions): Order[] {
  const r = safeParseOrders(input, options);
  if (!r.success) throw r.error;
  return r.data;
}
