/**
 * Importance–performance analysis (IPA): each driver placed by how much it matters for the outcome
 * (importance) and how well it is rated (performance), split into four quadrants by cut lines.
 *
 * @see J. A. Martilla, J. C. James (1977), "Importance-performance analysis", Journal of Marketing
 *   41(1):77–79 (quadrants "keep up the good work", "concentrate here", "low priority", "possible overkill").
 * @module
 */
import { InvalidInputError, invalidOption } from "../core/errors.js";
import { type Column, checkColumns } from "./columns.js";
import {
  type KeyDriversAccessors,
  type KeyDriversData,
  type KeyDriversOptions,
  type KeyDriversResult,
  keyDrivers,
} from "./key-drivers.js";

/**
 * The Vega-Lite v6 schema URL the quadrant chart declares.
 *
 * @example
 * IPA_VEGA_LITE_SCHEMA //=> "https://vega.github.io/schema/vega-lite/v6.json"
 */
export const IPA_VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Quadrant labels (Martilla & James 1977). */
export type IpaQuadrant = "keep up" | "concentrate here" | "low priority" | "possible overkill";

/** Options for {@link importancePerformance}. */
export interface ImportancePerformanceOptions extends KeyDriversOptions {
  /** Importance measure: `"lmg"` (default), `"relativeWeight"` (raw), `"pearson"` (r with the outcome) or `"standardizedBeta"`. */
  importance?: "lmg" | "relativeWeight" | "pearson" | "standardizedBeta";
  /** Performance measure: `"mean"` rating (default) or `"topBox"` share (ratings ≥ `topBox`, 0–1). */
  performance?: "mean" | "topBox";
  /** Smallest rating counted as top box (e.g. 4 on a 1–5 scale); required with `performance: "topBox"`. */
  topBox?: number;
  /** Cut lines: the `"mean"` (default) or `"median"` of the drivers' values, or fixed values. */
  cut?: "mean" | "median" | { importance: number; performance: number };
  /** Chart title (default "Importance–performance"). */
  title?: string;
}

/** One driver in the grid. */
export interface IpaDriver {
  name: string;
  importance: number;
  performance: number;
  quadrant: IpaQuadrant;
}

/** Result of {@link importancePerformance}: data plus a Vega-Lite spec. */
export interface ImportancePerformanceResult {
  importanceMeasure: NonNullable<ImportancePerformanceOptions["importance"]>;
  performanceMeasure: NonNullable<ImportancePerformanceOptions["performance"]>;
  /** Cut lines: a value at or above the line counts as high. */
  cut: { importance: number; performance: number; method: "mean" | "median" | "fixed" };
  drivers: IpaDriver[];
  /** The key-driver analysis the importance came from. */
  keyDrivers: KeyDriversResult;
  /** Vega-Lite v5 quadrant chart (plain JSON): performance on x, importance on y, cut lines as rules. */
  spec: { $schema: string } & Record<string, unknown>;
}

function centre(values: number[], how: "mean" | "median"): number {
  if (how === "mean") return values.reduce((a, b) => a + b, 0) / values.length;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Quadrant of a driver (Martilla & James 1977): high importance means importance ≥ cut (likewise
 * performance).
 *
 * @example
 * ipaQuadrant(0.4, 0.3, { importance: 0.25, performance: 0.5 }) //=> "concentrate here"
 * ipaQuadrant(0.1, 0.8, { importance: 0.25, performance: 0.5 }) //=> "possible overkill"
 */
export function ipaQuadrant(
  importance: number,
  performance: number,
  cut: { importance: number; performance: number },
): IpaQuadrant {
  const hi = importance >= cut.importance;
  const hp = performance >= cut.performance;
  return hi ? (hp ? "keep up" : "concentrate here") : hp ? "possible overkill" : "low priority";
}

/**
 * Importance–performance grid of the drivers of an outcome. Importance comes from
 * {@link keyDrivers} (LMG by default); performance is each driver's mean rating, or its top-box share,
 * over the same complete rows. Quadrants (Martilla & James 1977), with performance on x and importance on y:
 * high importance and low performance → "concentrate here"; both high → "keep up"; both low →
 * "low priority"; low importance and high performance → "possible overkill".
 *
 * @throws whatever {@link keyDrivers} throws; `invalid_option` for a bad measure, cut, or a missing `topBox`.
 * @example
 * const nps = [9, 7, 10, 4, 8, 6, 10, 3, 9, 5];
 * const speed = [5, 4, 5, 2, 4, 3, 5, 1, 4, 3];
 * const price = [3, 4, 4, 2, 5, 3, 4, 3, 3, 2];
 * const ease = [4, 3, 5, 3, 4, 4, 5, 2, 5, 2];
 * const ipa = importancePerformance({ outcome: nps, drivers: { speed, price, ease } }, { performance: "topBox", topBox: 4 });
 * // importance = LMG share of R²; performance = share of ratings ≥ 4
 * ipa.drivers.map((d) => [d.name, d.performance, d.quadrant])
 * //=> [["speed", 0.6, "keep up"], ["price", 0.4, "low priority"], ["ease", 0.6, "keep up"]]
 */
export function importancePerformance(
  data: KeyDriversData,
  options?: ImportancePerformanceOptions,
): ImportancePerformanceResult;
export function importancePerformance<T>(
  rows: ArrayLike<T> | Iterable<T>,
  accessors: KeyDriversAccessors<T>,
  options?: ImportancePerformanceOptions,
): ImportancePerformanceResult;
export function importancePerformance<T>(
  a: KeyDriversData | ArrayLike<T> | Iterable<T>,
  b?: KeyDriversAccessors<T> | ImportancePerformanceOptions,
  c?: ImportancePerformanceOptions,
): ImportancePerformanceResult {
  const fn = "importancePerformance";
  let data: KeyDriversData;
  let options: ImportancePerformanceOptions;
  if (b !== undefined && typeof (b as KeyDriversAccessors<T>).outcome === "function") {
    const acc = b as KeyDriversAccessors<T>;
    const rows: T[] = Array.isArray(a) ? (a as T[]) : Array.from(a as Iterable<T>);
    const drivers: Record<string, Column> = {};
    for (const name of Object.keys(acc.drivers)) drivers[name] = rows.map((r, i) => acc.drivers[name]!(r, i));
    data = { outcome: rows.map((r, i) => acc.outcome(r, i)), drivers };
    if (acc.outcomeName !== undefined) data.outcomeName = acc.outcomeName;
    options = c ?? {};
  } else {
    data = a as KeyDriversData;
    options = (b as ImportancePerformanceOptions | undefined) ?? {};
  }
  const importance = options.importance ?? "lmg";
  if (!["lmg", "relativeWeight", "pearson", "standardizedBeta"].includes(importance)) {
    invalidOption(fn, "importance", '"lmg", "relativeWeight", "pearson" or "standardizedBeta"', importance);
  }
  const performance = options.performance ?? "mean";
  if (performance !== "mean" && performance !== "topBox")
    invalidOption(fn, "performance", '"mean" or "topBox"', performance);
  if (performance === "topBox" && (typeof options.topBox !== "number" || !Number.isFinite(options.topBox))) {
    invalidOption(fn, "topBox", 'a finite rating threshold with performance: "topBox"', options.topBox);
  }
  const cutOpt = options.cut ?? "mean";
  if (
    cutOpt !== "mean" &&
    cutOpt !== "median" &&
    !(
      typeof cutOpt === "object" &&
      cutOpt !== null &&
      Number.isFinite(cutOpt.importance) &&
      Number.isFinite(cutOpt.performance)
    )
  ) {
    invalidOption(fn, "cut", '"mean", "median" or { importance, performance } with finite numbers', cutOpt);
  }
  const kdOptions: KeyDriversOptions = { ...options };
  if (importance !== "lmg" && options.lmg === undefined) kdOptions.lmg = "none";
  if (importance === "lmg" && options.lmg === "none") {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: ["lmg"],
          code: "invalid_option",
          message: 'importance "lmg" needs lmg: "exact" or "sampled"',
        },
      ],
      { context: fn, code: "invalid_option" },
    );
  }
  const kd = keyDrivers(data, kdOptions);
  // performance over the same complete rows
  const names = kd.drivers.map((d) => d.name);
  const checked = checkColumns(
    fn,
    ["outcome", ...names],
    [data.outcome, ...names.map((nm) => data.drivers[nm]!)],
    options.missing ?? "listwise",
  );
  const perf = names.map((_, j) => {
    const col = checked.columns[j + 1]!;
    let s = 0;
    for (let i = 0; i < checked.n; i++) {
      const v = col[i]!;
      s += performance === "mean" ? v : v >= options.topBox! ? 1 : 0;
    }
    return s / checked.n;
  });
  const imp = kd.drivers.map((d) =>
    importance === "lmg"
      ? d.lmg!
      : importance === "relativeWeight"
        ? d.relativeWeight.raw
        : importance === "pearson"
          ? d.pearson.r
          : d.standardizedBeta,
  );
  const cut =
    typeof cutOpt === "object"
      ? { importance: cutOpt.importance, performance: cutOpt.performance, method: "fixed" as const }
      : { importance: centre(imp, cutOpt), performance: centre(perf, cutOpt), method: cutOpt };
  const drivers: IpaDriver[] = names.map((name, j) => ({
    name,
    importance: imp[j]!,
    performance: perf[j]!,
    quadrant: ipaQuadrant(imp[j]!, perf[j]!, cut),
  }));
  return {
    importanceMeasure: importance,
    performanceMeasure: performance,
    cut,
    drivers,
    keyDrivers: kd,
    spec: quadrantSpec(drivers, cut, importance, performance, options.title ?? "Importance–performance"),
  };
}

const QUADRANT_COLORS: Record<IpaQuadrant, string> = {
  "concentrate here": "#D55E00",
  "keep up": "#009E73",
  "low priority": "#999999",
  "possible overkill": "#0072B2",
};

function quadrantSpec(
  drivers: IpaDriver[],
  cut: { importance: number; performance: number },
  importance: string,
  performance: string,
  title: string,
): { $schema: string } & Record<string, unknown> {
  const quadrants = Object.keys(QUADRANT_COLORS) as IpaQuadrant[];
  const x = {
    field: "performance",
    type: "quantitative",
    title: performance === "mean" ? "Performance (mean rating)" : "Performance (top-box share)",
    scale: { zero: false },
  };
  const y = {
    field: "importance",
    type: "quantitative",
    title: `Importance (${importance})`,
    scale: { zero: false },
  };
  return {
    $schema: IPA_VEGA_LITE_SCHEMA,
    title,
    width: 480,
    height: 360,
    data: { values: drivers.map((d) => ({ ...d })) },
    layer: [
      {
        mark: { type: "rule", strokeDash: [4, 4], color: "#666666" },
        data: { values: [{ performance: cut.performance }] },
        encoding: { x: { field: "performance", type: "quantitative" } },
      },
      {
        mark: { type: "rule", strokeDash: [4, 4], color: "#666666" },
        data: { values: [{ importance: cut.importance }] },
        encoding: { y: { field: "importance", type: "quantitative" } },
      },
      {
        mark: { type: "point", filled: true, size: 90 },
        encoding: {
          x,
          y,
          color: {
            field: "quadrant",
            type: "nominal",
            title: "Quadrant",
            scale: { domain: quadrants, range: quadrants.map((q) => QUADRANT_COLORS[q]) },
          },
          tooltip: [
            { field: "name", type: "nominal", title: "Driver" },
            { field: "importance", type: "quantitative", format: ".3f" },
            { field: "performance", type: "quantitative", format: ".3f" },
            { field: "quadrant", type: "nominal" },
          ],
        },
      },
      {
        mark: { type: "text", align: "left", dx: 7, dy: -7, fontSize: 11 },
        encoding: { x, y, text: { field: "name", type: "nominal" } },
      },
    ],
  };
}
