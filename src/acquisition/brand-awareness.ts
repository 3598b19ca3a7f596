/**
 * Brand awareness from a survey: unaided (spontaneous recall), aided (prompted recognition) and
 * top-of-mind (first brand named), each as a share of respondents with a Wilson interval.
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import { InvalidInputError, formatValue, invalidOption } from "../core/errors.js";
import type { ConfidenceInterval } from "../core/interval.js";
import { proportionInterval } from "../core/proportion.js";
import { type Warning, checkLevel, smallSampleWarning } from "../core/values.js";

/** Survey counts for one brand. */
export interface BrandAwarenessCounts {
  /** Respondents asked (the denominator of every share). */
  respondents: number;
  /** Named the brand without prompting (unaided recall). */
  unaided: number;
  /**
   * Recognised the brand when shown the list. By default this is **total** awareness and includes the
   * unaided recallers (so unaided ≤ aided); set `aidedIncludesUnaided: false` if your survey only
   * prompted those who did not recall it, and the two are added.
   */
  aided: number;
  /** Named the brand first (optional; ≤ unaided). */
  topOfMind?: number;
}

/** One survey response, for {@link brandAwarenessAccumulator}. */
export interface BrandAwarenessResponse {
  /** Named the brand unprompted. */
  unaided: boolean;
  /** Recognised it when prompted (recallers count as aware whatever this says). */
  aided: boolean;
  /** Named it first. */
  topOfMind?: boolean;
}

/** Options for {@link brandAwareness}. */
export interface BrandAwarenessOptions {
  /** Confidence level (default 0.95). */
  level?: number;
  /** Interval method (default `"wilson"`). */
  method?: "wilson" | "agrestiCoull" | "clopperPearson" | "jeffreys" | "wald";
  /** Whether `aided` already includes the unaided recallers (default `true`). */
  aidedIncludesUnaided?: boolean;
}

/** One awareness measure. */
export interface AwarenessShare {
  /** Respondents aware in this sense. */
  count: number;
  /** count / respondents (share 0–1); `null` when there are no respondents. */
  share: number | null;
  /** Interval for the share; `null` when there are no respondents. */
  ci: ConfidenceInterval | null;
}

/** Result of {@link brandAwareness}. */
export interface BrandAwarenessResult {
  /** Respondents. */
  n: number;
  unaided: AwarenessShare;
  /** Total (aided) awareness: recognised when prompted or recalled unprompted. */
  aided: AwarenessShare;
  /** `null` when top-of-mind was not collected. */
  topOfMind: AwarenessShare | null;
  /** unaided / aided: how many of those who know the brand also recall it (brand salience); `null` when aided is 0. */
  recallToRecognition: number | null;
  /** `no_respondents` when n = 0. */
  reason: "no_respondents" | null;
  warnings: Warning[];
}

/** Accumulator state (counts; merge adds them). */
export interface BrandAwarenessState {
  respondents: number;
  unaided: number;
  aided: number;
  topOfMind: number;
  topOfMindAsked: boolean;
}

const FN = "brandAwareness";

function count(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    const code =
      typeof v !== "number"
        ? "invalid_type"
        : !Number.isFinite(v)
          ? "non_finite_value"
          : !Number.isInteger(v)
            ? "not_an_integer"
            : "out_of_range";
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [name],
          code,
          message: `${name} is ${formatValue(v)}; expected a whole number ≥ 0`,
        },
      ],
      {
        context: FN,
        code,
      },
    );
  }
  return v;
}

function outOfRange(path: string, message: string): never {
  throw new InvalidInputError([{ index: null, path: [path], code: "out_of_range", message }], {
    context: FN,
    code: "out_of_range",
  });
}

/**
 * Brand awareness shares with confidence intervals (Wilson score by default, via the core
 * `proportionInterval`).
 *
 * unaided share = unaided / respondents; aided (total) share = aided / respondents; top-of-mind share =
 * topOfMind / respondents; recall-to-recognition = unaided / aided. Checks topOfMind ≤ unaided ≤ aided
 * ≤ respondents. No respondents → shares and intervals `null` with `reason: "no_respondents"`.
 *
 * @see Aaker (1996), Building Strong Brands (awareness pyramid: recognition, recall, top of mind);
 *   Wilson (1927), JASA 22:209–212.
 * @throws {InvalidInputError} `out_of_range` (a count above its bound), `not_an_integer`,
 *   `invalid_type`, `non_finite_value`, `invalid_option` (level, method).
 * @example
 * brandAwareness({ respondents: 400, unaided: 88, aided: 236 }).aided.share //=> 0.59
 */
export function brandAwareness(
  counts: BrandAwarenessCounts,
  options?: BrandAwarenessOptions,
): BrandAwarenessResult {
  const level = checkLevel(FN, options?.level ?? 0.95);
  const method = options?.method ?? "wilson";
  if (!["wilson", "agrestiCoull", "clopperPearson", "jeffreys", "wald"].includes(method)) {
    invalidOption(FN, "method", "wilson, agrestiCoull, clopperPearson, jeffreys or wald", method);
  }
  if (counts === null || typeof counts !== "object") {
    throw new InvalidInputError(
      [
        {
          index: null,
          path: [],
          code: "invalid_type",
          message: `expected survey counts, found ${formatValue(counts)}`,
        },
      ],
      {
        context: FN,
        code: "invalid_type",
      },
    );
  }
  const n = count("respondents", counts.respondents);
  const unaided = count("unaided", counts.unaided);
  const aidedRaw = count("aided", counts.aided);
  const aided = (options?.aidedIncludesUnaided ?? true) ? aidedRaw : aidedRaw + unaided;
  const top = counts.topOfMind === undefined ? null : count("topOfMind", counts.topOfMind);
  if (aided > n) outOfRange("aided", `aided awareness ${aided} exceeds respondents ${n}`);
  if (unaided > aided) {
    outOfRange(
      "unaided",
      `unaided ${unaided} exceeds aided ${aided}; aided (total) awareness includes unaided recall (pass aidedIncludesUnaided: false if it does not)`,
    );
  }
  if (top !== null && top > unaided) outOfRange("topOfMind", `top-of-mind ${top} exceeds unaided ${unaided}`);
  const share = (k: number): AwarenessShare => ({
    count: k,
    share: n === 0 ? null : k / n,
    ci: n === 0 ? null : proportionInterval(k, n, { method, level }),
  });
  return {
    n,
    unaided: share(unaided),
    aided: share(aided),
    topOfMind: top === null ? null : share(top),
    recallToRecognition: aided === 0 ? null : unaided / aided,
    reason: n === 0 ? "no_respondents" : null,
    warnings: smallSampleWarning(n),
  };
}

/**
 * Accumulator over individual responses (merge adds counts). A respondent who recalls the brand
 * unprompted counts as aware in the aided (total) sense too; top-of-mind implies unaided.
 *
 * @example
 * fold([{ unaided: true, aided: true }, { unaided: false, aided: false }], brandAwarenessAccumulator()).unaided.share //=> 0.5
 */
export function brandAwarenessAccumulator(
  options?: Omit<BrandAwarenessOptions, "aidedIncludesUnaided">,
): Accumulator<BrandAwarenessResponse, BrandAwarenessState, BrandAwarenessResult> {
  return {
    init: () => ({ respondents: 0, unaided: 0, aided: 0, topOfMind: 0, topOfMindAsked: false }),
    add: (st, r, index) => {
      for (const key of ["unaided", "aided", "topOfMind"] as const) {
        const v = r?.[key];
        if (typeof v !== "boolean" && !(key === "topOfMind" && v === undefined)) {
          throw new InvalidInputError(
            [
              {
                index,
                path: [key],
                code: "invalid_type",
                message: `${key} is ${formatValue(v)}; expected true or false`,
              },
            ],
            {
              context: FN,
              code: "invalid_type",
            },
          );
        }
      }
      const top = r.topOfMind === true;
      const un = r.unaided || top;
      st.respondents++;
      if (un) st.unaided++;
      if (un || r.aided) st.aided++;
      if (top) st.topOfMind++;
      if (r.topOfMind !== undefined) st.topOfMindAsked = true;
      return st;
    },
    merge: (a, b) => {
      a.respondents += b.respondents;
      a.unaided += b.unaided;
      a.aided += b.aided;
      a.topOfMind += b.topOfMind;
      a.topOfMindAsked ||= b.topOfMindAsked;
      return a;
    },
    result: (st) =>
      brandAwareness(
        {
          respondents: st.respondents,
          unaided: st.unaided,
          aided: st.aided,
          ...(st.topOfMindAsked ? { topOfMind: st.topOfMind } : {}),
        },
        options,
      ),
  };
}
