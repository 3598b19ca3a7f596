/**
 * Reading per-customer RFM summaries (rows or columns) into typed arrays, validating them, and
 * collapsing identical customers into weighted distinct rows so a fit costs what its distinct
 * (frequency, recency, T) triples cost.
 *
 * @module
 */
import { InsufficientDataError, InvalidInputError, formatValue } from "../core/errors.js";

/** One customer's calibration-period summary, as {@link rfmSummary} returns it (other fields are ignored). */
export interface RfmCustomer {
  /** Number of repeat purchases (distinct purchase days after the first), an integer ≥ 0. */
  frequency: number;
  /** Time from the first to the last purchase, in the model's time unit (0 when frequency is 0). */
  recency: number;
  /** Time from the first purchase to the end of the calibration period, in the same unit. */
  T: number;
  /** Mean value of the repeat purchases (Gamma-Gamma only); 0 when frequency is 0. */
  monetaryValue?: number;
}

/** The same summary as columns (arrays or typed arrays of equal length). */
export interface RfmColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetaryValue?: ArrayLike<number>;
}

/** Summary input accepted by the fits: an array of rows or an object of columns. */
export type RfmInput = ArrayLike<RfmCustomer> | RfmColumns;

function isColumns(input: RfmInput): input is RfmColumns {
  return (
    !Array.isArray(input) &&
    typeof input === "object" &&
    input !== null &&
    "frequency" in input &&
    typeof (input as RfmColumns).frequency === "object"
  );
}

function bad(fn: string, index: number, path: string, value: unknown, code: string, expected: string): never {
  throw new InvalidInputError(
    [{ index, path: [path], code, message: `${path} is ${formatValue(value)}; expected ${expected}` }],
    {
      context: fn,
    },
  );
}

function codeFor(v: unknown, integer: boolean): string {
  if (v === null || v === undefined) return "missing_value";
  if (typeof v !== "number") return "invalid_type";
  if (!Number.isFinite(v)) return "non_finite_value";
  if (integer && !Number.isInteger(v)) return "not_an_integer";
  return "out_of_range";
}

/** Validated columns. */
export interface RfmArrays {
  n: number;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  m: Float64Array | null;
}

/**
 * Read and validate: frequency an integer ≥ 0, 0 ≤ recency ≤ T, recency = 0 when frequency = 0,
 * T finite ≥ 0; monetaryValue finite when asked for. Throws `InvalidInputError` naming index and field.
 */
export function readRfm(fn: string, input: RfmInput, withMonetary: boolean): RfmArrays {
  if (input === null || typeof input !== "object") {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected an array of customer summaries or an object of columns, found ${formatValue(input)}`,
        },
      ],
      { context: fn },
    );
  }
  let n: number;
  let getX: (i: number) => unknown;
  let getTx: (i: number) => unknown;
  let getT: (i: number) => unknown;
  let getM: (i: number) => unknown;
  if (isColumns(input)) {
    n = input.frequency.length;
    const others: [string, ArrayLike<number> | undefined][] = [
      ["recency", input.recency],
      ["T", input.T],
    ];
    if (withMonetary) others.push(["monetaryValue", input.monetaryValue]);
    for (const [k, col] of others) {
      if (!col || col.length !== n) {
        throw new InvalidInputError(
          [
            {
              index: null,
              path: [k],
              code: "length_mismatch",
              message: `column ${k} has ${col ? col.length : "no"} values; expected ${n} (as frequency)`,
            },
          ],
          { context: fn, code: "length_mismatch" },
        );
      }
    }
    const { frequency, recency, T, monetaryValue } = input;
    getX = (i) => frequency[i];
    getTx = (i) => recency[i];
    getT = (i) => T[i];
    getM = (i) => monetaryValue?.[i];
  } else {
    const rows = input as ArrayLike<RfmCustomer>;
    if (typeof rows.length !== "number") {
      throw new InvalidInputError(
        [
          {
            index: null,
            path: [],
            code: "invalid_type",
            message: "expected an array of customer summaries or an object of columns",
          },
        ],
        { context: fn },
      );
    }
    n = rows.length;
    const row = (i: number): RfmCustomer => {
      const r = rows[i];
      if (r === null || typeof r !== "object")
        bad(
          fn,
          i,
          "frequency",
          r,
          r == null ? "missing_value" : "invalid_type",
          "a customer summary { frequency, recency, T }",
        );
      return r;
    };
    getX = (i) => row(i).frequency;
    getTx = (i) => row(i).recency;
    getT = (i) => row(i).T;
    getM = (i) => row(i).monetaryValue;
  }
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const m = withMonetary ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const xi = getX(i);
    const ti = getTx(i);
    const Ti = getT(i);
    if (typeof xi !== "number" || !Number.isInteger(xi) || xi < 0)
      bad(fn, i, "frequency", xi, codeFor(xi, true), "an integer ≥ 0 (repeat purchases)");
    if (typeof Ti !== "number" || !Number.isFinite(Ti) || Ti < 0)
      bad(fn, i, "T", Ti, codeFor(Ti, false), "a finite number ≥ 0 (time since first purchase)");
    if (typeof ti !== "number" || !Number.isFinite(ti) || ti < 0 || ti > Ti * (1 + 1e-12)) {
      bad(fn, i, "recency", ti, codeFor(ti, false), `a number from 0 to T = ${Ti}`);
    }
    if (xi === 0 && ti !== 0) bad(fn, i, "recency", ti, "out_of_range", "0 when frequency is 0");
    x[i] = xi;
    tx[i] = Math.min(ti, Ti);
    T[i] = Ti;
    if (m) {
      const raw = getM(i);
      const mi = xi === 0 && (raw === undefined || raw === null) ? 0 : raw;
      if (typeof mi !== "number" || !Number.isFinite(mi))
        bad(fn, i, "monetaryValue", mi, codeFor(mi, false), "a finite number");
      if (xi > 0 && mi <= 0)
        bad(
          fn,
          i,
          "monetaryValue",
          mi,
          "out_of_range",
          "a positive mean spend when frequency > 0 (the Gamma-Gamma model needs positive values)",
        );
      m[i] = mi;
    }
  }
  return { n, x, tx, T, m };
}

/** Distinct rows with weights (how many customers share them). */
export interface Collapsed {
  /** Number of distinct rows. */
  k: number;
  cols: Float64Array[];
  w: Float64Array;
}

/**
 * Collapse identical rows of the given columns (compared as exact float64 values) into distinct
 * rows with integer weights, in order of first appearance. Open-addressing hash on the bit patterns.
 * When a sample of the first rows shows almost no duplicates (continuous-time data), collapsing
 * would not pay and the rows are returned as they are, each with weight 1.
 */
export function collapseRows(cols: Float64Array[], include?: (i: number) => boolean): Collapsed {
  const n = cols[0]?.length ?? 0;
  if (!include && n > 50_000) {
    const sample = collapseExact(cols.map((c) => c.subarray(0, 20_000)));
    if (sample.k > 0.9 * 20_000) return { k: n, cols, w: new Float64Array(n).fill(1) };
  }
  return collapseExact(cols, include);
}

function collapseExact(cols: Float64Array[], include?: (i: number) => boolean): Collapsed {
  const n = cols[0]?.length ?? 0;
  const d = cols.length;
  const c0 = cols[0]!;
  const c1 = d > 1 ? cols[1]! : c0;
  const c2 = d > 2 ? cols[2]! : c0;
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const o0 = new Float64Array(n);
  const o1 = new Float64Array(d > 1 ? n : 0);
  const o2 = new Float64Array(d > 2 ? n : 0);
  const w = new Float64Array(n);
  const buf = new Float64Array(3);
  const bits = new Int32Array(buf.buffer);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (include && !include(i)) continue;
    const v0 = c0[i]! + 0; // +0 folds −0 into 0
    const v1 = c1[i]! + 0;
    const v2 = c2[i]! + 0;
    buf[0] = v0;
    buf[1] = v1;
    buf[2] = v2;
    let h = Math.imul(bits[0]! ^ 0x811c9dc5, 0x01000193);
    h = Math.imul(h ^ bits[1]!, 0x01000193);
    h = Math.imul(h ^ bits[2]!, 0x01000193);
    h = Math.imul(h ^ bits[3]!, 0x01000193);
    h = Math.imul(h ^ bits[4]!, 0x01000193);
    h = Math.imul(h ^ bits[5]!, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    let slot = h & mask;
    while (true) {
      const j = table[slot]!;
      if (j === -1) {
        table[slot] = k;
        o0[k] = v0;
        if (d > 1) o1[k] = v1;
        if (d > 2) o2[k] = v2;
        w[k] = 1;
        k++;
        break;
      }
      if (o0[j] === v0 && (d < 2 || o1[j] === v1) && (d < 3 || o2[j] === v2)) {
        w[j] = w[j]! + 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  const out = [o0, o1, o2].slice(0, d).map((c) => c.subarray(0, k));
  return { k, cols: out, w: w.subarray(0, k) };
}

/** Throw `InsufficientDataError` (`empty_input`) when there is no customer. */
export function requireCustomers(fn: string, n: number, needed: string): void {
  if (n === 0) throw new InsufficientDataError(`${fn}: no customers given; ${needed}`, needed, "empty_input");
}
