/**
 * Loads ../shared/data/survey/responses.csv and ../shared/reference/survey.json (made by
 * shared/reference/survey_reference.py with numpy/scipy/statsmodels; see its `definitions` block).
 * Only call inside a `describeShared` block.
 */
import { expect } from "vitest";
import type { SurveyResponse } from "../../src/schemas/survey.js";
import { parseSurveyResponses } from "../../src/schemas/survey.js";
import { ces } from "../../src/survey/ces.js";
import { csat } from "../../src/survey/csat.js";
import { type NpsResult, nps } from "../../src/survey/nps.js";
import { parseCsv, readShared, readSharedJson } from "../helpers/shared.js";

export interface RefInterval {
  lower: number;
  upper: number;
  level: number;
  method: string;
}
export interface RefNps {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  pct_promoters: number | null;
  pct_passives: number | null;
  pct_detractors: number | null;
  nps: number | null;
  variance: number | null;
  se: number | null;
  ci_wald: RefInterval | null;
  adjusted_wald: {
    n_adjusted: number;
    promoters_adjusted: number;
    detractors_adjusted: number;
    passives_adjusted: number;
    nps_adjusted: number;
    variance_adjusted: number;
    se_adjusted: number;
    ci: RefInterval;
  } | null;
}
export interface RefShare {
  count: number;
  n: number;
  share: number | null;
  wilson: RefInterval | null;
  agresti_coull: RefInterval | null;
  clopper_pearson: RefInterval | null;
  jeffreys: RefInterval | null;
  wald: RefInterval | null;
}
export interface RefMean {
  n: number;
  mean: number | null;
  sd: number | null;
  se: number | null;
  df: number | null;
  t_crit: number | null;
  ci_t: RefInterval | null;
}
export interface RefGroup {
  key?: string;
  n_rows: number;
  nps: RefNps;
  csat: {
    answered: number;
    skipped: number;
    distribution_1_5: number[];
    top2box: RefShare;
    mean_score: RefMean;
  };
  ces: {
    answered: number;
    skipped: number;
    distribution_1_7: number[];
    mean_score: RefMean;
    share_ge_5: RefShare;
  };
}
export interface RefDifference {
  a: string;
  b: string;
  n_a: number;
  n_b: number;
  nps_a: number;
  nps_b: number;
  difference: number;
  se: number;
  z: number;
  p_value: number;
  ci: RefInterval;
  adjusted_wald: { difference: number; se: number; z: number; p_value: number; ci: RefInterval };
}
export interface SurveyReference {
  z_975: number;
  overall: RefGroup;
  by_segment: RefGroup[];
  by_channel: RefGroup[];
  by_month: Record<"Europe/Berlin" | "UTC", RefGroup[]>;
  month_changes: { rows_with_different_month: number };
  nps_difference: { primary: RefDifference; segment_pairs: RefDifference[] };
  input: { rows: number; segments: string[]; channels: string[] };
}

let cache: { ref: SurveyReference; rows: Record<string, string>[]; records: SurveyResponse[] } | null = null;

/** The reference JSON, the raw CSV rows and the parsed records (cached). */
export function loadSurvey(): {
  ref: SurveyReference;
  rows: Record<string, string>[];
  records: SurveyResponse[];
} {
  if (cache) return cache;
  const ref = readSharedJson<SurveyReference>("reference", "survey.json");
  const rows = parseCsv(readShared("data", "survey", "responses.csv"));
  cache = { ref, rows, records: parseSurveyResponses(rows) };
  return cache;
}

/** Absolute tolerance for closed forms (the issue asks for 1e-9). */
export const TOL = 1e-9;

/** |a − b| ≤ tol, with null matching null. */
export function close(
  actual: number | null | undefined,
  expected: number | null | undefined,
  tol = TOL,
  what = "",
): void {
  if (expected === null || expected === undefined) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tol,
  );
}

/** Compare interval bounds (scaled by `scale`, e.g. 100 for percent) with a reference interval. */
export function closeInterval(
  actual: { lower: number; upper: number; level: number } | null,
  expected: RefInterval | null,
  scale = 1,
  what = "",
): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  close(actual!.lower / scale, expected.lower, TOL, `${what}.lower`);
  close(actual!.upper / scale, expected.upper, TOL, `${what}.upper`);
  expect(actual!.level).toBe(expected.level);
}

/** Check NPS results (wald and adjustedWald) against a reference nps block. */
export function checkNps(wald: NpsResult, adj: NpsResult, ref: RefNps, what: string): void {
  expect([wald.n, wald.promoters, wald.passives, wald.detractors], what).toEqual([
    ref.n,
    ref.promoters,
    ref.passives,
    ref.detractors,
  ]);
  close(wald.score, ref.nps, TOL, `${what} nps`);
  close(wald.variance, ref.variance, TOL, `${what} variance`);
  close(wald.standardError, ref.se, TOL, `${what} se`);
  close(
    wald.shares === null ? null : 100 * wald.shares.promoters,
    ref.pct_promoters,
    TOL,
    `${what} pct_promoters`,
  );
  close(
    wald.shares === null ? null : 100 * wald.shares.passives,
    ref.pct_passives,
    TOL,
    `${what} pct_passives`,
  );
  close(
    wald.shares === null ? null : 100 * wald.shares.detractors,
    ref.pct_detractors,
    TOL,
    `${what} pct_detractors`,
  );
  closeInterval(wald.ci, ref.ci_wald, 1, `${what} ci_wald`);
  if (wald.ci) expect(wald.ci.method).toBe("wald");
  const ra = ref.adjusted_wald;
  if (ra === null) {
    expect(adj.adjusted).toBeNull();
    expect(adj.ci).toBeNull();
    return;
  }
  const a = adj.adjusted!;
  expect(a.n).toBe(ra.n_adjusted);
  close(a.promoters, ra.promoters_adjusted, TOL, `${what} promoters_adjusted`);
  close(a.passives, ra.passives_adjusted, TOL, `${what} passives_adjusted`);
  close(a.detractors, ra.detractors_adjusted, TOL, `${what} detractors_adjusted`);
  close(a.score, ra.nps_adjusted, TOL, `${what} nps_adjusted`);
  close(a.variance, ra.variance_adjusted, TOL, `${what} variance_adjusted`);
  close(a.standardError, ra.se_adjusted, TOL, `${what} se_adjusted`);
  closeInterval(adj.ci, ra.ci, 1, `${what} adjusted ci`);
  expect(adj.ci!.method).toBe("adjustedWald");
}

const PROPORTION: readonly [
  keyof RefShare,
  "wilson" | "agrestiCoull" | "clopperPearson" | "jeffreys" | "wald",
][] = [
  ["wilson", "wilson"],
  ["agresti_coull", "agrestiCoull"],
  ["clopper_pearson", "clopperPearson"],
  ["jeffreys", "jeffreys"],
  ["wald", "wald"],
];

/** Check every metric of a group of records against a reference group block. */
export function checkGroup(records: readonly SurveyResponse[], ref: RefGroup, what: string): void {
  expect(records.length, `${what} n_rows`).toBe(ref.n_rows);
  checkNps(
    nps(records, (r) => r.nps),
    nps(records, (r) => r.nps, { ci: "adjustedWald" }),
    ref.nps,
    `${what} nps`,
  );

  // CSAT: top-2-box share with every interval (percent in the result; proportions in the reference)
  const rc = ref.csat;
  for (const [refKey, method] of PROPORTION) {
    const c = csat(records, (r) => r.csat, { missing: "omit", ci: method });
    expect([c.n, c.satisfied, c.excluded.missing], what).toEqual([rc.answered, rc.top2box.count, rc.skipped]);
    close(c.share, rc.top2box.share, TOL, `${what} csat share`);
    close(c.score === null ? null : c.score / 100, rc.top2box.share, TOL, `${what} csat score`);
    closeInterval(c.ci, rc.top2box[refKey] as RefInterval | null, 100, `${what} csat ${method}`);
    if (method === "wilson") {
      expect(c.distribution).toEqual(rc.distribution_1_5);
      checkMean(c.mean, rc.mean_score, `${what} csat mean`);
    }
  }

  // CES: mean with t interval; share ≥ 5 with every interval
  const re = ref.ces;
  for (const [refKey, method] of PROPORTION) {
    const e = ces(records, (r) => r.ces, { missing: "omit", ci: method });
    expect([e.n, e.easy, e.excluded.missing], what).toEqual([re.answered, re.share_ge_5.count, re.skipped]);
    close(e.shareEasy, re.share_ge_5.share, TOL, `${what} ces share`);
    closeInterval(e.shareEasyCi, re.share_ge_5[refKey] as RefInterval | null, 1, `${what} ces ${method}`);
    if (method === "wilson") {
      expect(e.distribution).toEqual(re.distribution_1_7);
      checkMean(
        { mean: e.mean, sd: e.sd, standardError: e.standardError, df: e.n > 1 ? e.n - 1 : null, ci: e.ci },
        re.mean_score,
        `${what} ces mean`,
      );
      close(e.score, re.mean_score.mean, TOL, `${what} ces score`);
    }
  }
}

function checkMean(
  m: {
    mean: number | null;
    sd: number | null;
    standardError: number | null;
    df: number | null;
    ci: { lower: number; upper: number; level: number; method: string } | null;
  },
  ref: RefMean,
  what: string,
): void {
  close(m.mean, ref.mean, TOL, `${what} mean`);
  close(m.sd, ref.sd, TOL, `${what} sd`);
  close(m.standardError, ref.se, TOL, `${what} se`);
  expect(m.df).toBe(ref.df);
  closeInterval(m.ci, ref.ci_t, 1, `${what} ci_t`);
}
