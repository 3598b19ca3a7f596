/**
 * Key drivers against R and Python reference values.
 *
 * 1. ../shared/reference/drivers.json, computed by ../shared/reference/drivers.R (base R 4.2.2: cor.test with
 *    exact = FALSE, lm, all-subsets R², LMG, dominance, Johnson's relative weights) on the R datasets swiss and
 *    mtcars (../shared/data/drivers/*.csv). Tolerance: 1e-8 relative (issue #4), with an absolute floor of 1e-15
 *    for values near 0.
 *    Known defect of that file: `relative_weights_detail.eigenvalues` repeats the first eigenvalue p times (the R
 *    JSON writer's `ifelse(is.integer(x), …)` recycles its first element for numeric vectors), so only the
 *    largest eigenvalue and the trace are checked from it; Λ and β_z (written element by element) are checked in full.
 * 2. The "drivers" block of ../shared/reference/survey.json (../shared/reference/survey_reference.py: scipy,
 *    statsmodels, numpy) for the five driver ratings vs NPS in ../shared/data/survey/responses.csv. Same tolerance;
 *    p-values that underflow to 0.0 in scipy are checked to be below 1e-300.
 */
import { describe, expect, it } from "vitest";
import { correlation } from "../../src/drivers/correlation.js";
import { correlationMatrix } from "../../src/drivers/correlation-matrix.js";
import { keyDrivers } from "../../src/drivers/key-drivers.js";
import { jacobiEigen } from "../../src/drivers/linalg.js";
import { relativeWeights } from "../../src/drivers/relative-weights.js";
import { describeShared, parseCsv, readShared, readSharedJson } from "../helpers/shared.js";

const REL = 1e-8;
function close(actual: number | null | undefined, expected: number | null, what: string, rel = REL): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(typeof actual, what).toBe("number");
  const tol = Math.max(rel * Math.abs(expected), 1e-15);
  if (!(Math.abs((actual as number) - expected) <= tol)) {
    throw new Error(
      `${what}: got ${actual}, expected ${expected} (|diff| ${Math.abs((actual as number) - expected)} > ${tol})`,
    );
  }
}

interface Corr {
  driver: string;
  pearson: {
    r: number;
    t: number;
    df?: number;
    p_value: number;
    ci95: { lower: number; upper: number; level: number };
  };
  spearman: { rho: number; S?: number; t: number; df: number; p_value: number };
  kendall: { tau_b: number; z?: number; p_value: number };
}
interface Coef {
  term: string;
  estimate: number;
  std_error: number;
  t: number;
  p_value: number;
  standardized_beta: number | null;
}
interface Importance {
  driver: string;
  lmg: number;
  lmg_share_of_r2: number;
  dominance_conditional: Record<string, number>;
  dominance_general?: number;
  relative_weight_raw: number;
  relative_weight_rescaled: number;
}
interface Block {
  outcome: string;
  drivers: string[];
  n: number;
  correlations: Corr[];
  ols: {
    coefficients: Coef[];
    r_squared: number;
    adj_r_squared: number;
    sigma: number;
    f_statistic?: number;
    df_model?: number;
    df_residual: number;
    f_p_value?: number;
  };
  importance: Importance[];
  lmg_sum: number;
  r_squared: number;
  subset_r_squared: Record<string, number>;
  correlation_matrix?: {
    variables: string[];
    pearson: Record<string, Record<string, number>>;
    spearman: Record<string, Record<string, number>>;
    kendall_tau_b: Record<string, Record<string, number>>;
  };
  relative_weights_detail?: {
    eigenvalues: number[];
    lambda_sqrt_Rxx: Record<string, Record<string, number>>;
    beta_on_orthogonal_z: Record<string, number>;
  };
}

function checkBlock(label: string, ref: Block, columns: Record<string, number[]>): void {
  const drivers: Record<string, number[]> = {};
  for (const d of ref.drivers) drivers[d] = columns[d]!;
  const kd = keyDrivers(
    { outcome: columns[ref.outcome]!, drivers, outcomeName: ref.outcome },
    { subsets: true },
  );

  it(`${label}: n, R², adjusted R², sigma, F`, () => {
    expect(kd.n).toBe(ref.n);
    close(kd.r2, ref.r_squared, "r2");
    close(kd.r2, ref.ols.r_squared, "ols r2");
    close(kd.adjustedR2, ref.ols.adj_r_squared, "adj r2");
    close(kd.sigma, ref.ols.sigma, "sigma");
    expect(kd.dfResidual).toBe(ref.ols.df_residual);
    if (ref.ols.f_statistic !== undefined) close(kd.fStatistic, ref.ols.f_statistic, "F");
    if (ref.ols.df_model !== undefined) expect(kd.dfModel).toBe(ref.ols.df_model);
    if (ref.ols.f_p_value !== undefined) close(kd.fPValue, ref.ols.f_p_value, "F p");
    close(
      kd.drivers.reduce((s, d) => s + d.lmg!, 0),
      ref.lmg_sum,
      "lmg sum",
    );
  });

  it(`${label}: OLS coefficients, standard errors, t, p, standardized betas`, () => {
    for (const c of ref.ols.coefficients) {
      if (c.term === "(Intercept)") {
        close(kd.intercept.estimate, c.estimate, "intercept");
        close(kd.intercept.stdError, c.std_error, "intercept se");
        close(kd.intercept.t, c.t, "intercept t");
        close(kd.intercept.pValue, c.p_value, "intercept p");
        continue;
      }
      const d = kd.drivers.find((x) => x.name === c.term)!;
      close(d.coefficient, c.estimate, `${c.term} b`);
      close(d.stdError, c.std_error, `${c.term} se`);
      close(d.t, c.t, `${c.term} t`);
      if (c.p_value === 0) expect(d.pValue!).toBeLessThan(1e-300);
      else close(d.pValue, c.p_value, `${c.term} p`);
      close(d.standardizedBeta, c.standardized_beta, `${c.term} beta`);
    }
  });

  it(`${label}: bivariate Pearson, Spearman, Kendall with p-values`, () => {
    for (const c of ref.correlations) {
      const d = kd.drivers.find((x) => x.name === c.driver)!;
      const pv = (got: number, want: number, what: string) =>
        want === 0 ? expect(got, what).toBeLessThan(1e-300) : close(got, want, what);
      close(d.pearson.r, c.pearson.r, `${c.driver} r`);
      close(d.pearson.t, c.pearson.t, `${c.driver} t`);
      pv(d.pearson.pValue, c.pearson.p_value, `${c.driver} pearson p`);
      close(d.pearson.ci!.lower, c.pearson.ci95.lower, `${c.driver} ci lower`);
      close(d.pearson.ci!.upper, c.pearson.ci95.upper, `${c.driver} ci upper`);
      close(d.spearman!.r, c.spearman.rho, `${c.driver} rho`);
      if (c.spearman.S !== undefined) close(d.spearman!.statistic, c.spearman.S, `${c.driver} S`);
      close(d.spearman!.t, c.spearman.t, `${c.driver} spearman t`);
      expect(d.spearman!.df).toBe(c.spearman.df);
      pv(d.spearman!.pValue, c.spearman.p_value, `${c.driver} spearman p`);
      close(d.kendall!.r, c.kendall.tau_b, `${c.driver} tau`);
      if (c.kendall.z !== undefined) close(d.kendall!.statistic, c.kendall.z, `${c.driver} z`);
      pv(d.kendall!.pValue, c.kendall.p_value, `${c.driver} kendall p`);
      // the standalone function gives the same
      const y = columns[ref.outcome]!;
      const x = columns[c.driver]!;
      close(correlation(x, y).r, c.pearson.r, "correlation()");
      close(correlation(x, y, { method: "spearman" }).pValue, d.spearman!.pValue, "correlation() spearman");
      close(correlation(x, y, { method: "kendall" }).pValue, d.kendall!.pValue, "correlation() kendall");
    }
  });

  it(`${label}: LMG, shares, conditional and general dominance, relative weights`, () => {
    for (const imp of ref.importance) {
      const d = kd.drivers.find((x) => x.name === imp.driver)!;
      close(d.lmg, imp.lmg, `${imp.driver} lmg`);
      close(d.lmg! / kd.r2, imp.lmg_share_of_r2, `${imp.driver} lmg share`);
      if (imp.dominance_general !== undefined) close(d.dominance!.general, imp.dominance_general, "general");
      ref.drivers.forEach((_, k) => {
        close(d.dominance!.conditional[k], imp.dominance_conditional[`k${k}`]!, `k${k}`);
      });
      close(d.relativeWeight.raw, imp.relative_weight_raw, `${imp.driver} rw`);
      close(d.relativeWeight.rescaled, imp.relative_weight_rescaled, `${imp.driver} rw rescaled`);
    }
    // ranks follow LMG
    const byLmg = [...ref.importance].sort((a, b) => b.lmg - a.lmg).map((x) => x.driver);
    expect(byLmg.map((nm) => kd.drivers.find((d) => d.name === nm)!.rank)).toEqual(
      byLmg.map((_, i) => i + 1),
    );
  });

  it(`${label}: R² of every driver subset`, () => {
    const got = new Map(kd.subsetR2!.map((s) => [s.drivers.join("+"), s.r2]));
    const keys = Object.keys(ref.subset_r_squared);
    expect(got.size).toBe(keys.length);
    for (const key of keys) close(got.get(key), ref.subset_r_squared[key]!, `R²(${key})`);
  });

  if (ref.correlation_matrix) {
    const cm = ref.correlation_matrix;
    it(`${label}: Pearson, Spearman and Kendall correlation matrices`, () => {
      const cols: Record<string, number[]> = {};
      for (const v of cm.variables) cols[v] = columns[v]!;
      for (const [method, refM] of [
        ["pearson", cm.pearson],
        ["spearman", cm.spearman],
        ["kendall", cm.kendall_tau_b],
      ] as const) {
        const m = correlationMatrix(cols, { method });
        expect(m.variables).toEqual(cm.variables);
        cm.variables.forEach((a, i) => {
          cm.variables.forEach((b, j) => {
            close(m.matrix[i]![j], refM[a]![b]!, `${method}[${a},${b}]`);
          });
        });
      }
    });
  }

  if (ref.relative_weights_detail) {
    const det = ref.relative_weights_detail;
    it(`${label}: relative-weight internals (Λ = R_xx^½, β_z, largest eigenvalue)`, () => {
      const cols: Record<string, number[]> = {};
      for (const v of ref.drivers) cols[v] = columns[v]!;
      cols[ref.outcome] = columns[ref.outcome]!;
      const m = correlationMatrix(cols).matrix;
      const p = ref.drivers.length;
      const Rxx = new Float64Array(p * p);
      const rxy = new Float64Array(p);
      for (let i = 0; i < p; i++) {
        rxy[i] = m[i]![p]!;
        for (let j = 0; j < p; j++) Rxx[i * p + j] = m[i]![j]!;
      }
      const rw = relativeWeights(Rxx, rxy, p);
      ref.drivers.forEach((a, i) => {
        close(rw.betaZ[i], det.beta_on_orthogonal_z[a]!, `beta_z ${a}`);
        ref.drivers.forEach((b, j) => {
          close(rw.lambda[i * p + j], det.lambda_sqrt_Rxx[a]![b]!, `Λ[${a},${b}]`);
        });
      });
      close(rw.eigenvalues[0], det.eigenvalues[0]!, "largest eigenvalue");
      close(
        jacobiEigen(Rxx, p).values.reduce((s, v) => s + v, 0),
        p,
        "trace",
      );
    });
  }
}

describeShared("drivers.json (R 4.2.2, base R)", () => {
  const ref = readSharedJson<{ datasets: Record<string, Block> }>("reference", "drivers.json");
  for (const [name, file] of [
    ["swiss", "swiss.csv"],
    ["mtcars", "mtcars.csv"],
  ] as const) {
    const rows = parseCsv(readShared("data", "drivers", file));
    const block = ref.datasets[name]!;
    const cols: Record<string, number[]> = {};
    for (const v of [block.outcome, ...block.drivers]) cols[v] = rows.map((r) => Number(r[v]));
    describe(name, () => checkBlock(name, block, cols));
  }
});

describeShared("survey.json drivers block (scipy / statsmodels)", () => {
  const ref = readSharedJson<{
    drivers: Block & { correlation_matrix_pearson: { variables: string[]; rows: number[][] } };
  }>("reference", "survey.json").drivers;
  const rows = parseCsv(readShared("data", "survey", "responses.csv"));
  const cols: Record<string, number[]> = {};
  for (const v of [ref.outcome, ...ref.drivers]) cols[v] = rows.map((r) => Number(r[v]));
  checkBlock("survey", ref, cols);
  it("survey: Pearson matrix of nps and the five drivers", () => {
    const cm = ref.correlation_matrix_pearson;
    const sub: Record<string, number[]> = {};
    for (const v of cm.variables) sub[v] = cols[v]!;
    const m = correlationMatrix(sub);
    cm.rows.forEach((row, i) => {
      row.forEach((v, j) => {
        close(m.matrix[i]![j], i === j ? 1 : v, `[${i},${j}]`, 1e-12);
      });
    });
  });
});
