/**
 * Subscription records: one row per subscription (or per plan of a subscription: an upgrade ends
 * one row and starts the next at the same instant). Validated with zod; every issue names the
 * record index and the field path.
 *
 * Parsed records keep instants as `Date` (UTC instants; the offset written in the input is not
 * kept, only the instant) and money as `Decimal`. Field names are camelCase; the snake_case names
 * of a CSV export (`subscription_id`, `customer_id`, `billing_interval`, `started_at`, `ended_at`,
 * `trial_end`, `acquisition_channel`, `acquisition_cost`, `interval_count`) are accepted as aliases,
 * and empty strings in optional fields mean "absent" (a blank CSV cell).
 *
 * @module
 */
import { z } from "zod";
import { formatValue } from "../core/errors.js";
import { Decimal } from "../core/money.js";
import { tryParseInstant } from "../core/time.js";
import { type SafeParseResult, requireOneCurrency, safeParseRecords } from "./parse.js";

/**
 * Billing intervals a subscription can have.
 *
 * @example
 * BILLING_INTERVALS //=> ["day", "week", "month", "quarter", "year"]
 */
export const BILLING_INTERVALS = ["day", "week", "month", "quarter", "year"] as const;
/** A billing interval: the period one `amount` pays for (times `intervalCount`). */
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Optional field: `undefined`, `null` and `""` (a blank CSV cell) all mean absent. */
const blankToNull = (v: unknown) => (v === undefined || v === null || v === "" ? null : v);

/**
 * An instant with an explicit offset (ISO string), a `Date` or epoch ms → `Date`.
 *
 * @example
 * instantSchema.parse("2026-03-01T10:00:00+01:00").toISOString() //=> "2026-03-01T09:00:00.000Z"
 * instantSchema.safeParse("2026-03-01 10:00").success //=> false
 */
export const instantSchema = z.unknown().transform((v, ctx): Date => {
  const r = tryParseInstant(v);
  if ("error" in r) {
    ctx.addIssue({
      code: "custom",
      message: `instant ${r.error}`,
      params: { code: "invalid_time" },
      input: v,
    });
    return z.NEVER;
  }
  return new Date(r.ms);
});

/**
 * A non-negative amount: a finite number, a decimal string or a `Decimal` → `Decimal`.
 *
 * @example
 * amountSchema.parse("19.990").toString() //=> "19.99"
 * amountSchema.safeParse(-1).success //=> false
 */
export const amountSchema = z.unknown().transform((v, ctx): Decimal => {
  let d: Decimal | null = null;
  if (Decimal.isDecimal(v)) d = v as Decimal;
  else if (typeof v === "number") d = Number.isFinite(v) ? new Decimal(v) : null;
  else if (typeof v === "string" && DECIMAL_RE.test(v.trim())) d = new Decimal(v.trim());
  if (d === null || !d.isFinite()) {
    ctx.addIssue({
      code: "custom",
      message: `amount is ${formatValue(v)}; expected a finite number or a decimal string such as "19.99"`,
      params: { code: typeof v === "number" ? "non_finite_value" : "invalid_type" },
      input: v,
    });
    return z.NEVER;
  }
  if (d.isNegative()) {
    ctx.addIssue({
      code: "custom",
      message: `amount is ${d.toString()}; expected a value >= 0`,
      params: { code: "out_of_range" },
      input: v,
    });
    return z.NEVER;
  }
  return d;
});

const idSchema = z.union([z.string().min(1), z.number().int().transform(String)]);
const optionalText = z
  .preprocess(blankToNull, z.string().nullable())
  .optional()
  .transform((v) => v ?? null);
const optionalInstant = z
  .preprocess(blankToNull, instantSchema.nullable())
  .optional()
  .transform((v) => v ?? null);
const optionalAmount = z
  .preprocess(blankToNull, amountSchema.nullable())
  .optional()
  .transform((v) => v ?? null);

const SNAKE_ALIASES: readonly (readonly [string, string])[] = [
  ["subscription_id", "subscriptionId"],
  ["customer_id", "customerId"],
  ["billing_interval", "billingInterval"],
  ["interval_count", "intervalCount"],
  ["started_at", "startedAt"],
  ["ended_at", "endedAt"],
  ["trial_end", "trialEnd"],
  ["acquisition_channel", "acquisitionChannel"],
  ["acquisition_cost", "acquisitionCost"],
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

const subscriptionObject = z.object({
  /** Subscription (row) id; optional, used to order rows that start at the same instant. */
  subscriptionId: z
    .preprocess(blankToNull, idSchema.nullable())
    .optional()
    .transform((v) => v ?? null),
  /** The customer the row belongs to: every customer-level metric groups rows by it. */
  customerId: idSchema,
  /** Segment (free text; `__proto__` is a valid segment name). */
  segment: optionalText,
  /** Plan name (free text). */
  plan: optionalText,
  /** What one `amount` pays for. */
  billingInterval: z.enum(BILLING_INTERVALS, {
    error: (iss) =>
      `billing interval is ${formatValue(iss.input)}; expected one of ${BILLING_INTERVALS.join(", ")}`,
  }),
  /** Number of intervals one `amount` pays for (Stripe's `interval_count`), default 1. */
  intervalCount: z
    .preprocess(blankToNull, z.coerce.number().int().positive().nullable())
    .optional()
    .transform((v) => v ?? 1),
  /** Price per billing interval(s), ≥ 0, exact. */
  amount: amountSchema,
  /** ISO-4217 code; `null` when not given (then every row is taken to be in one currency). */
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
  /** When the row started (sign-up, trial included). Must carry an offset. */
  startedAt: instantSchema,
  /** When the row stopped; `null` = still active. */
  endedAt: optionalInstant,
  /** End of a free trial that began at `startedAt`; `null` = no trial. */
  trialEnd: optionalInstant,
  /** Acquisition channel (free text). */
  acquisitionChannel: optionalText,
  /** Acquisition cost carried by this row (usually only a customer's first row). */
  acquisitionCost: optionalAmount,
});

/**
 * zod schema of one subscription record. Output: instants as `Date`, money as `Decimal`,
 * absent optional fields as `null`, `intervalCount` defaulting to 1.
 *
 * Checks: `customerId` present; `billingInterval` one of day, week, month, quarter, year;
 * `amount` ≥ 0; instants carry an offset (`invalid_time`); `endedAt` ≥ `startedAt` and
 * `trialEnd` ≥ `startedAt` (`out_of_range`, path `endedAt` / `trialEnd`).
 *
 * @example
 * subscriptionSchema.parse({ customerId: "c1", billingInterval: "year", amount: "290.00",
 *   currency: "USD", startedAt: "2025-01-01T00:00:00Z" }).amount.toString() //=> "290"
 */
export const subscriptionSchema = z.preprocess(
  aliasKeys,
  subscriptionObject.superRefine((r, ctx) => {
    if (r.endedAt !== null && r.endedAt.getTime() < r.startedAt.getTime()) {
      ctx.addIssue({
        code: "custom",
        path: ["endedAt"],
        message: `endedAt ${r.endedAt.toISOString()} is before startedAt ${r.startedAt.toISOString()}`,
        params: { code: "out_of_range" },
      });
    }
    if (r.trialEnd !== null && r.trialEnd.getTime() < r.startedAt.getTime()) {
      ctx.addIssue({
        code: "custom",
        path: ["trialEnd"],
        message: `trialEnd ${r.trialEnd.toISOString()} is before startedAt ${r.startedAt.toISOString()}`,
        params: { code: "out_of_range" },
      });
    }
  }),
);

/** A validated subscription record (output of {@link subscriptionSchema}). */
export type Subscription = z.output<typeof subscriptionSchema>;

/** Options for {@link parseSubscriptions}. */
export interface ParseSubscriptionsOptions {
  /**
   * `"error"` (default): rows in different currencies are rejected (`invalid_currency`, naming the
   * first row whose currency differs from the first row's). `"allow"`: keep them (convert later,
   * e.g. with the `exchangeRates` option of the retention functions).
   */
  mixedCurrencies?: "error" | "allow";
}

/**
 * Validate an array of subscription records; returns `{ success, data }` or
 * `{ success: false, error }` with an `InvalidInputError` listing every issue (index and path).
 *
 * @example
 * const r = safeParseSubscriptions([{ customerId: "c1", billingInterval: "fortnight", amount: "10",
 *   startedAt: "2025-01-01T00:00:00Z" }]);
 * r.success ? [] : r.error.issues.map((i) => [i.index, i.path]) //=> [[0, ["billingInterval"]]]
 */
export function safeParseSubscriptions(
  input: unknown,
  options?: ParseSubscriptionsOptions,
): SafeParseResult<Subscription> {
  const r = safeParseRecords(subscriptionSchema, input, "subscriptions");
  if (!r.success || options?.mixedCurrencies === "allow") return r;
  return requireOneCurrency(
    r,
    "subscriptions",
    'convert amounts to one currency first or pass mixedCurrencies: "allow" and exchange rates to the metric',
  );
}

/**
 * Validate an array of subscription records (see {@link subscriptionSchema}); throws
 * `InvalidInputError` listing every issue with its record index and path.
 *
 * @throws {InvalidInputError} `invalid_record` listing each issue with its own code (`invalid_time`
 * for an instant without offset, `out_of_range` for end before start or a negative amount, …);
 * `invalid_currency` for mixed currencies.
 * @example
 * parseSubscriptions([{ customer_id: "c1", billing_interval: "month", amount: "29.00",
 *   currency: "USD", started_at: "2025-01-01T00:00:00Z", ended_at: "" }])[0]?.endedAt //=> null
 */
export function parseSubscriptions(input: unknown, options?: ParseSubscriptionsOptions): Subscription[] {
  const r = safeParseSubscriptions(input, options);
  if (!r.success) throw r.error;
  return r.data;
}
