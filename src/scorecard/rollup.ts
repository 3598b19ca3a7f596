import { compareKeys } from "../core/accumulator.js";
import { STATUS_POINTS, type Status } from "./status.js";

/** How objective, perspective and scorecard statuses are derived from their parts. */
export type RollUpRule = "weightedScore" | "worst";

/** Counts of parts by status. */
export type StatusCounts = Record<Status, number>;

/** How much of a roll-up is backed by data. */
export interface Coverage {
  /** Measures under this node. */
  measures: number;
  /** Of which with an actual value. */
  measuresWithData: number;
  /**
   * Share (0–1) of this node's total weight, pushed down to the measures, that has data: at an
   * objective Σ weights with data / Σ weights; above, Σ over parts of (normalised part weight ×
   * part coverage). `null` when every weight is 0.
   */
  weightShare: number | null;
}

/** Weighted roll-up of a node (objective, perspective, whole scorecard). */
export interface RollUp {
  /**
   * Weighted mean of the parts' scores over the parts with data (weights re-normalised over them);
   * a measure's score is its status points (green 1, amber ½, red 0). 0–1; `null` when no part has data.
   */
  score: number | null;
  /** Weighted mean of the parts' clamped progress (0–1) over the parts that have one; `null` when none. */
  progress: number | null;
  /** Status of the node (see {@link statusFromScore} and the `rollUp` option). */
  status: Status;
  coverage: Coverage;
  /** Measures under this node by status. */
  counts: StatusCounts;
}

/**
 * Score thresholds of the weighted roll-up: green ≥ 2/3, amber ≥ 1/3, red below (thirds of the 0–1 score).
 *
 * @example
 * ROLL_UP_THRESHOLDS //=> { green: 0.6666666666666666, amber: 0.3333333333333333 }
 */
export const ROLL_UP_THRESHOLDS = { green: 2 / 3, amber: 1 / 3 } as const;

/**
 * Status from a 0–1 roll-up score: green ≥ 2/3, amber ≥ 1/3, red below; `no_data` for `null`.
 * All-green parts give 1, all-amber ½, all-red 0; one red among three greens (equal weights) stays green (0.75).
 *
 * @example
 * statusFromScore(0.5) //=> "amber"
 */
export function statusFromScore(score: number | null): Status {
  if (score === null) return "no_data";
  return score >= ROLL_UP_THRESHOLDS.green ? "green" : score >= ROLL_UP_THRESHOLDS.amber ? "amber" : "red";
}

const SEVERITY: Record<Status, number> = { no_data: -1, green: 0, amber: 1, red: 2 };

/**
 * The worst status among parts with data (`no_data` when none has data).
 *
 * @example
 * worstStatus(["green", "no_data", "amber"]) //=> "amber"
 * worstStatus([]) //=> "no_data"
 */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = "no_data";
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

/**
 * Zero counts.
 *
 * @example
 * emptyCounts() //=> { green: 0, amber: 0, red: 0, no_data: 0 }
 */
export function emptyCounts(): StatusCounts {
  return { green: 0, amber: 0, red: 0, no_data: 0 };
}

/**
 * Add `b` into `a` (mutates and returns `a`).
 *
 * @example
 * addCounts({ green: 1, amber: 0, red: 0, no_data: 0 }, { green: 1, amber: 2, red: 0, no_data: 1 })
 * //=> { green: 2, amber: 2, red: 0, no_data: 1 }
 */
export function addCounts(a: StatusCounts, b: StatusCounts): StatusCounts {
  a.green += b.green;
  a.amber += b.amber;
  a.red += b.red;
  a.no_data += b.no_data;
  return a;
}

/** One part of a roll-up. */
export interface RollUpPart {
  id: string;
  weight: number;
  /** Score 0–1 (measure: status points), `null` when no data. */
  score: number | null;
  progress: number | null;
  status: Status;
  /** Coverage of the part itself: 1/0 for a measure, the part's weightShare above. */
  coverage: number | null;
  measures: number;
  measuresWithData: number;
  counts: StatusCounts;
}

/**
 * Roll parts up into their parent. Sums run over the parts sorted by id (code-point order), so the
 * result does not depend on declaration order, to the last bit.
 *
 * @example
 * const parts = [
 *   measurePart({ id: "nps", weight: 1, status: "green", progress: 1 }),
 *   measurePart({ id: "ces", weight: 1, status: "red", progress: 0.2 }),
 * ];
 * rollUp(parts, "weightedScore") //=> { score: 0.5, progress: 0.6, status: "amber", … }
 * rollUp(parts, "worst").status //=> "red"
 */
export function rollUp(parts: readonly RollUpPart[], rule: RollUpRule): RollUp {
  const sorted = [...parts].sort((a, b) => compareKeys(a.id, b.id));
  let wAll = 0;
  let wScore = 0;
  let sScore = 0;
  let wProg = 0;
  let sProg = 0;
  let measures = 0;
  let withData = 0;
  const counts = emptyCounts();
  for (const p of sorted) {
    wAll += p.weight;
    if (p.score !== null) {
      wScore += p.weight;
      sScore += p.weight * p.score;
    }
    if (p.progress !== null) {
      wProg += p.weight;
      sProg += p.weight * p.progress;
    }
    measures += p.measures;
    withData += p.measuresWithData;
    addCounts(counts, p.counts);
  }
  let share: number | null = null;
  if (wAll > 0) {
    share = 0;
    for (const p of sorted) share += (p.weight / wAll) * (p.coverage ?? 0);
  }
  const score = wScore > 0 ? sScore / wScore : null;
  const status =
    rule === "worst"
      ? worstStatus(sorted.filter((p) => p.weight > 0).map((p) => p.status))
      : statusFromScore(score);
  return {
    score,
    progress: wProg > 0 ? sProg / wProg : null,
    status: score === null ? "no_data" : status,
    coverage: { measures, measuresWithData: withData, weightShare: share },
    counts,
  };
}

/**
 * A measure as a roll-up part: score = status points, coverage 1 with data and 0 without.
 *
 * @example
 * measurePart({ id: "nps", weight: 2, status: "amber", progress: 0.9 }) //=> { id: "nps", weight: 2, score: 0.5, coverage: 1, … }
 */
export function measurePart(m: {
  id: string;
  weight: number;
  status: Status;
  progress: number | null;
}): RollUpPart {
  const hasData = m.status !== "no_data";
  const counts = emptyCounts();
  counts[m.status] = 1;
  return {
    id: m.id,
    weight: m.weight,
    score: hasData ? STATUS_POINTS[m.status as Exclude<Status, "no_data">] : null,
    progress: m.progress,
    status: m.status,
    coverage: hasData ? 1 : 0,
    measures: 1,
    measuresWithData: hasData ? 1 : 0,
    counts,
  };
}
