/**
 * Shared SQL of the service pushdowns (ticket and issue FCR, SLA adherence, on-time rate): the
 * ticket columns, instants as epoch milliseconds, the ticket-validity rule of `ticketValidity`, the
 * list of invalid tickets, exact integer thresholds for the float comparisons of the in-memory
 * accumulators, and literals that never carry user text. Internal (not re-exported).
 *
 * @module
 */
import { compareKeys } from "../core/accumulator.js";
import { CxMetricsError, InvalidInputError, formatValue } from "../core/errors.js";
import type { InvalidTicket, TicketInvalidReason } from "../service/ticket-validity.js";
import { type Dialect, bigintCast, countIf } from "./dialect.js";
import type { SqlAggregate } from "./metric.js";
import { countValue } from "./metric.js";

/** The WHATWG TextEncoder (Node, Deno, browsers, workers); typed here because the library's lib has no DOM. */
declare const TextEncoder: new () => { encode(input: string): Uint8Array };

/**
 * Column of each ticket field (defaults: the snake_case names of a help-desk export, as in
 * `tickets.csv`). Instants must be instants: a zoned timestamp, or ISO-8601 text with an offset.
 */
export interface TicketColumns {
  /** Default `ticket_id` (text or integer; NULL and empty text are rejected, as by `ticketSchema`). */
  ticketId?: string;
  /** Default `issue_id` (NULL or empty: the ticket is an issue of its own). */
  issueId?: string;
  /** Default `created_at` (required). */
  createdAt?: string;
  /** Default `first_response_at` (NULL: never answered). */
  firstResponseAt?: string;
  /** Default `resolved_at` (NULL: open). */
  resolvedAt?: string;
  /** Default `reopened_at` (NULL: never reopened). */
  reopenedAt?: string;
  /** Default `priority` (read by SLA targets per priority; NULL or empty: none). */
  priority?: string;
  /**
   * The input position of each ticket (a unique row number). Invalid tickets are listed with it as
   * `index`, as the in-memory functions list them with their array index. No default: without it a
   * query that meets an invalid ticket throws instead of listing it. The aggregate metrics read this
   * role only when created with `indexColumn` (its default column).
   */
  index?: string;
}

/** Options of the service SQL metrics besides the accumulator's own. */
export interface TicketSqlOptions {
  /**
   * Default column of the `index` role: the input position of each ticket (a unique row number),
   * reported as `invalid[].index`. Without an index column a group that contains an invalid ticket
   * throws `invalid_record` (naming the tickets) instead of listing it.
   */
  indexColumn?: string | undefined;
}

/** Default column names of the ticket roles. */
export const TICKET_DEFAULTS = {
  ticketId: "ticket_id",
  issueId: "issue_id",
  createdAt: "created_at",
  firstResponseAt: "first_response_at",
  resolvedAt: "resolved_at",
  reopenedAt: "reopened_at",
  priority: "priority",
} as const;

/** The ticket roles every ticket metric reads (validity needs all four instants). */
export const TICKET_ROLES = [
  "ticketId",
  "issueId",
  "createdAt",
  "firstResponseAt",
  "resolvedAt",
  "reopenedAt",
] as const;

/** The input roles of a ticket metric (the six ticket roles, `priority` when asked, `index` when given). */
export function ticketInputs(indexColumn: string | undefined, priority = false): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const role of TICKET_ROLES) inputs[role] = TICKET_DEFAULTS[role];
  if (priority) inputs.priority = TICKET_DEFAULTS.priority;
  if (indexColumn !== undefined) inputs.index = indexColumn;
  return inputs;
}

/** Only DuckDB and PostgreSQL: the lists of invalid tickets and the window functions need them. */
export function checkServiceDialect(fn: string, d: Dialect): void {
  if (d !== "duckdb" && d !== "postgres") {
    throw new CxMetricsError(
      "invalid_option",
      `${fn}: dialect ${d} is not supported for the service metrics yet (DuckDB and PostgreSQL are)`,
    );
  }
}

/** Text cast. */
export function textSql(d: Dialect, x: string): string {
  return `CAST(${x} AS ${d === "duckdb" ? "VARCHAR" : "text"})`;
}

/**
 * Epoch milliseconds (BIGINT) of an instant column. DuckDB reads it with `TRY_CAST` (unreadable
 * text is counted by {@link unreadableInstantSql}; empty text is absent, as a blank cell is in
 * memory); PostgreSQL casts (unreadable text fails in the engine).
 */
export function msSql(d: Dialect, x: string): string {
  return d === "duckdb"
    ? `epoch_ms(TRY_CAST(${x} AS TIMESTAMPTZ))`
    : `CAST(floor(extract(epoch FROM CAST(${x} AS timestamptz)) * 1000) AS bigint)`;
}

/** DuckDB: the column holds a value that is neither NULL, empty text nor a readable instant. */
export function unreadableInstantSql(d: Dialect, x: string): string {
  return d === "duckdb"
    ? `(${x} IS NOT NULL AND TRY_CAST(${x} AS TIMESTAMPTZ) IS NULL AND ${textSql(d, x)} <> '')`
    : "FALSE";
}

/**
 * A string as a SQL text literal that carries no user text: its UTF-8 bytes in hexadecimal, decoded
 * by the engine (`decode(from_hex('…'))` in DuckDB, `convert_from(decode('…', 'hex'), 'UTF8')` in
 * PostgreSQL). Safe whatever the server's string-escape settings.
 */
export function textLiteral(d: Dialect, s: string): string {
  let hex = "";
  for (const byte of new TextEncoder().encode(s)) hex += byte.toString(16).padStart(2, "0");
  return d === "duckdb" ? `decode(from_hex('${hex}'))` : `convert_from(decode('${hex}', 'hex'), 'UTF8')`;
}

const LIMIT = 2 ** 62;

/** An integral number as a BIGINT literal, clamped to ±2^62 (beyond any difference of instants in ms). */
export function intLiteral(x: number): string {
  const c = Number.isNaN(x) ? 0 : Math.max(-LIMIT, Math.min(LIMIT, Math.trunc(x)));
  return `CAST(${BigInt(c).toString()} AS BIGINT)`;
}

const SAFE = 2 ** 53;

/**
 * The smallest integer x in [−2^53, 2^53] for which `pred(x)` holds, `pred` being monotone
 * (false … false true … true); 2^53 + 1 when it never holds. Used to turn a float comparison of
 * the in-memory code (`res + window > asOf`) into an exact integer bound on a column.
 */
export function firstTrue(pred: (x: number) => boolean): number {
  let lo = -SAFE;
  let hi = SAFE;
  if (pred(lo)) return lo;
  if (!pred(hi)) return hi + 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The per-row SQL of a ticket: ms instants, validity reason bits, text ids, optional index. */
export interface TicketRowSql {
  /** createdAt, firstResponseAt, resolvedAt, reopenedAt in epoch ms. */
  c: string;
  f: string;
  r: string;
  o: string;
  /** 1 = first_response_before_created, 2 = resolved_before_created, 4 = reopened_without_resolution. */
  bits: string;
  /** The ticket is invalid (never NULL when createdAt is not NULL). */
  bad: string;
  /** createdAt is NULL (or, in DuckDB, empty or unreadable text). */
  missing: string;
  /** Ticket id and issue id (empty issue = NULL) as text; the index as BIGINT (or NULL). */
  tid: string;
  iss: string;
  idx: string;
  /** Any of the four instants is unreadable (DuckDB). */
  unreadable: string;
}

/**
 * The validity rule of `ticketValidity` on epoch-ms expressions: reason bits and the "invalid" test
 * (equal instants are valid; a reopening needs a resolution at or before it).
 */
export function validitySql(c: string, f: string, r: string, o: string): { bits: string; bad: string } {
  const badF = `(${f} IS NOT NULL AND ${f} < ${c})`;
  const badR = `(${r} IS NOT NULL AND ${r} < ${c})`;
  const badO = `(${o} IS NOT NULL AND (${r} IS NULL OR ${o} < ${r}))`;
  return {
    bits: `(CASE WHEN ${badF} THEN 1 ELSE 0 END + CASE WHEN ${badR} THEN 2 ELSE 0 END + CASE WHEN ${badO} THEN 4 ELSE 0 END)`,
    bad: `(${badF} OR ${badR} OR ${badO})`,
  };
}

/** Build {@link TicketRowSql} from the column SQL of each role (`index` may be absent). */
export function ticketRowSql(
  d: Dialect,
  col: (role: (typeof TICKET_ROLES)[number]) => string,
  index: string | undefined,
): TicketRowSql {
  const c = msSql(d, col("createdAt"));
  const f = msSql(d, col("firstResponseAt"));
  const r = msSql(d, col("resolvedAt"));
  const o = msSql(d, col("reopenedAt"));
  const { bits, bad } = validitySql(c, f, r, o);
  // PostgreSQL's cast never turns a value into NULL (it fails instead): no conversion needed
  const missing =
    d === "duckdb" ? `(${col("createdAt")} IS NULL OR ${c} IS NULL)` : `${col("createdAt")} IS NULL`;
  return {
    missing,
    c,
    f,
    r,
    o,
    bits,
    bad,
    tid: textSql(d, col("ticketId")),
    iss: `NULLIF(${textSql(d, col("issueId"))}, '')`,
    idx: index === undefined ? "CAST(NULL AS BIGINT)" : `CAST(${index} AS BIGINT)`,
    unreadable: unreadableSql(d, [
      col("createdAt"),
      col("firstResponseAt"),
      col("resolvedAt"),
      col("reopenedAt"),
    ]),
  };
}

/** Any of the instant columns is unreadable (DuckDB; `FALSE` in PostgreSQL, where the cast fails). */
export function unreadableSql(d: Dialect, cols: readonly string[]): string {
  return d === "duckdb" ? `(${cols.map((x) => unreadableInstantSql(d, x)).join(" OR ")})` : "FALSE";
}

const FIELD_BITS = 40n;
const FIELD = 1n << FIELD_BITS;

/**
 * Counts of the values 0 … k − 1 of a per-row class code. DuckDB: one `count_if(code = j)` per class
 * (`${prefix}${j}`). PostgreSQL, which evaluates every aggregate's argument anew (so k counts would
 * convert every instant k times): the code is evaluated once per row and the counts are packed into
 * one exact `numeric` sum, 2^(40·j) per row of class j (`${prefix}packed`; < 2^40 rows per group).
 */
export function classAggregates(d: Dialect, prefix: string, code: string, k: number): SqlAggregate[] {
  if (d === "duckdb") {
    return Array.from({ length: k }, (_, j) => countAgg(d, `${prefix}${j}`, `${code} = ${j}`));
  }
  const whens = Array.from({ length: k }, (_, j) => `WHEN ${j} THEN ${(FIELD ** BigInt(j)).toString()}`);
  return [
    {
      alias: `${prefix}packed`,
      sql: `CAST(sum(CAST(CASE ${code} ${whens.join(" ")} END AS numeric)) AS text)`,
    },
  ];
}

/** Read the k class counts written by {@link classAggregates} (either form). */
export function readClasses(row: Readonly<Record<string, unknown>>, prefix: string, k: number): number[] {
  const packed = row[`${prefix}packed`];
  if (packed === undefined)
    return Array.from({ length: k }, (_, j) => countValue(row[`${prefix}${j}`], `${prefix}${j}`));
  if (countValue(row.n_rows, "n_rows") >= 2 ** 40) {
    throw new CxMetricsError(
      "out_of_range",
      "sql finaliser: a group has 2^40 rows or more; the PostgreSQL counts are packed in 40 bits each",
    );
  }
  let v = packed === null ? 0n : BigInt(String(packed));
  const out: number[] = [];
  for (let j = 0; j < k; j++) {
    out.push(Number(v % FIELD));
    v /= FIELD;
  }
  if (v !== 0n) {
    throw new CxMetricsError(
      "internal_error",
      `sql finaliser: internal error (please report): packed counts ${String(packed)} overflow`,
    );
  }
  return out;
}

/** A count aggregate. */
export function countAgg(d: Dialect, alias: string, cond: string): SqlAggregate {
  return { alias, sql: bigintCast(d, countIf(d, cond)) };
}

/** The aggregates of the schema checks: NULL or empty ticket id, NULL createdAt, unreadable instants. */
export function ticketCheckAggregates(
  d: Dialect,
  t: TicketRowSql,
  col: (role: string) => string,
): SqlAggregate[] {
  return [
    countAgg(d, "x_no_id", `${col("ticketId")} IS NULL`),
    countAgg(d, "x_empty_id", `${t.tid} = ''`),
    countAgg(d, "x_no_created", t.missing),
    countAgg(d, "x_bad_time", t.unreadable),
  ];
}

/**
 * The invalid tickets where `filter` holds, as one aggregate value: a DuckDB `list` of structs or a
 * PostgreSQL `json_agg` of objects `{ i: index, t: ticket id, u: issue id, r: reason bits }`.
 */
export function invalidListSql(d: Dialect, t: TicketRowSql, filter: string): string {
  return d === "duckdb"
    ? `list({'i': ${t.idx}, 't': ${t.tid}, 'u': ${t.iss}, 'r': ${t.bits}}) FILTER (WHERE ${filter})`
    : `json_agg(json_build_object('i', ${t.idx}, 't', ${t.tid}, 'u', ${t.iss}, 'r', ${t.bits})) FILTER (WHERE ${filter})`;
}

/** A problem the aggregates count: [alias, path, error code, what the rows have]. */
export type Problem = readonly [string, string, "missing_value" | "invalid_type" | "invalid_time", string];

/** The ticket problems counted by {@link ticketCheckAggregates}, in the order they are reported. */
export const TICKET_PROBLEMS: readonly Problem[] = [
  [
    "x_bad_time",
    "createdAt",
    "invalid_time",
    "have an instant the engine cannot read as a timestamp with time zone",
  ],
  ["x_no_id", "ticketId", "missing_value", "have no ticket id (ticketSchema requires one)"],
  ["x_empty_id", "ticketId", "invalid_type", "have an empty ticket id (ticketSchema requires one)"],
  ["x_no_created", "createdAt", "missing_value", "have no createdAt (ticketSchema requires one)"],
];

/** Throw for counted problems (no row index: the engine only counted), naming the group. */
export function checkProblems(
  fn: string,
  row: Readonly<Record<string, unknown>>,
  where: string,
  problems: readonly Problem[],
): void {
  for (const [alias, path, code, what] of problems) {
    const n = countValue(row[alias], alias);
    if (n > 0) {
      throw new InvalidInputError(
        [{ index: null, path: [path], code, message: `${n} row(s) ${what}${where}` }],
        {
          context: fn,
          code,
        },
      );
    }
  }
}

/** The engine listed as many invalid tickets as it counted (a broken invariant otherwise). */
export function checkListed(fn: string, listed: number, counted: number, where: string): void {
  if (listed !== counted) {
    throw new CxMetricsError(
      "internal_error",
      `${fn}: internal error (please report): the engine counted ${counted} invalid ticket(s) but listed ${listed}${where}`,
    );
  }
}

const REASONS: readonly [number, TicketInvalidReason][] = [
  [1, "first_response_before_created"],
  [2, "resolved_before_created"],
  [4, "reopened_without_resolution"],
];

/** Flatten nested arrays (the issue pipeline returns a list of per-issue lists). */
function flat(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) flat(x, out);
  else if (v !== null && v !== undefined) out.push(v);
}

/**
 * Read the list of invalid tickets an aggregate returned (see {@link invalidListSql}), ordered by
 * index then ticket id as `mergeInvalid` orders them. Without an index column (`hasIndex` false) a
 * non-empty list throws `invalid_record`, naming the tickets and their reasons.
 */
export function readInvalid(fn: string, value: unknown, hasIndex: boolean, where: string): InvalidTicket[] {
  const items: unknown[] = [];
  flat(typeof value === "string" ? JSON.parse(value) : value, items);
  const out: InvalidTicket[] = [];
  for (const it of items) {
    const o = it as { i?: unknown; t?: unknown; u?: unknown; r?: unknown };
    const bits = Number(o.r);
    const reasons = REASONS.filter(([b]) => (bits & b) !== 0).map(([, r]) => r);
    const index = o.i === null || o.i === undefined ? null : Number(o.i);
    out.push({
      index: index ?? -1,
      ticketId: String(o.t),
      issueId: o.u === null || o.u === undefined ? null : String(o.u),
      reasons,
    });
    if (hasIndex && (index === null || !Number.isSafeInteger(index))) {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: ["index"],
            code: "missing_value",
            message: `invalid ticket ${formatValue(String(o.t))} has index ${formatValue(o.i)}${where}; expected an integer row number`,
          },
        ],
        { context: fn, code: "missing_value" },
      );
    }
  }
  out.sort((x, y) => x.index - y.index || compareKeys(x.ticketId, y.ticketId));
  if (!hasIndex && out.length > 0) {
    throw new InvalidInputError(
      out.map((x) => ({
        index: null,
        path: ["ticketId"],
        code: "invalid_record",
        message: `ticket ${formatValue(x.ticketId)}${x.issueId === null ? "" : ` (issue ${formatValue(x.issueId)})`}: ${x.reasons.join(", ")}${where}`,
      })),
      {
        context: `${fn}: ${out.length} invalid ticket(s); pass indexColumn (a row-number column) to have them listed by index and left out, as in memory`,
        code: "invalid_record",
      },
    );
  }
  return out;
}

/** A signed integer the driver returned as number, bigint or numeric string (NULL → 0). */
export function integerValue(v: unknown, what: string): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === "bigint" ? Number(v) : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n === "number" && Number.isInteger(n)) return n;
  throw new InvalidInputError(
    [
      {
        index: null,
        path: [what],
        code: "invalid_type",
        message: `engine returned ${formatValue(v)} for an integer sum`,
      },
    ],
    { context: "sql finaliser", code: "invalid_type" },
  );
}
