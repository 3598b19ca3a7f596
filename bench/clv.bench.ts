/**
 * cxmetrics/clv benchmarks. Run: node --expose-gc --import tsx bench/clv.bench.ts
 *
 * 1. BG/NBD fit on CDNOW (2357 customers) vs scipy L-BFGS-B, single start from (1, 1, 1, 1), default
 *    options, on the same likelihood and analytic gradient (../shared/reference/clv_reference.py's
 *    `bgnbd_negll_grad_factory`). Python is run as a subprocess per round; its time is measured inside
 *    Python around `scipy.optimize.minimize` only (after two warm-up fits in the same process).
 * 2. rfmSummary over 10M transactions (1M customers), columnar input (customer ids, epoch ms, amounts).
 * 3. fitBgNbd on 1M simulated customers (daily resolution, as a transaction log gives; and continuous time).
 * Sizes scale with BENCH_SCALE (default 1 = the sizes).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fitBgNbd, rfmSummary, simulateBgNbd } from "../src/clv/index.js";
import { seededRandom } from "../src/core/random.js";
import { type CaseResult, hasCommand, peakRssMiB, writeResults } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const shared = resolve(process.env.CXMETRICS_SHARED ?? join(here, "..", "..", "shared"));
const scale = Number(process.env.BENCH_SCALE ?? 1);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const cases: CaseResult[] = [];
const notes: string[] = [];

// ---------------------------------------------------------------- 1. CDNOW fit vs scipy
const csv = join(shared, "data", "cdnow", "cdnow_customers_summary_with_transactions.csv");
if (!existsSync(csv)) {
  notes.push(`CDNOW case skipped: ${csv} not found`);
} else {
  const rows = readFileSync(csv, "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => {
      const [, x, tx, T] = l.split(",").map(Number) as [number, number, number, number];
      return { frequency: x, recency: tx, T };
    });
  const ref = JSON.parse(readFileSync(join(shared, "reference", "clv.json"), "utf8")).bgnbd.fit;
  const py = `
import sys, time, json
sys.path.insert(0, ${JSON.stringify(join(shared, "reference"))})
import numpy as np
from scipy import optimize
import clv_reference as R
s = R.read_summary_csv()
x = np.array([r["x"] for r in s], float); tx = np.array([r["t_x"] for r in s], float); T = np.array([r["T"] for r in s], float)
f = R.bgnbd_negll_grad_factory(x, tx, T)
for _ in range(2):
    optimize.minimize(f, np.zeros(4), jac=True, method="L-BFGS-B")
times = []
for _ in range(5):
    t0 = time.perf_counter()
    res = optimize.minimize(f, np.zeros(4), jac=True, method="L-BFGS-B")
    times.append((time.perf_counter() - t0) * 1000)
ms = sorted(times)[2]
print(json.dumps({"ms": ms, "params": np.exp(res.x).tolist(), "ll": -float(res.fun), "nfev": int(res.nfev)}))
`;
  const python = hasCommand("python3", ["-c", "import scipy, numpy"]) ? "python3" : null;
  const jsTimes: number[] = [];
  const pyTimes: number[] = [];
  const cold0 = performance.now();
  let jsFit = fitBgNbd(rows);
  const coldMs = performance.now() - cold0;
  for (let k = 0; k < 20; k++) fitBgNbd(rows); // JIT warm-up (scipy is timed warm too: 2 fits first in its process)
  let pyOut: { ms: number; params: number[]; ll: number; nfev: number } | null = null;
  for (let r = 0; r < 2 + 9; r++) {
    gc();
    fitBgNbd(rows);
    fitBgNbd(rows);
    const inner: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      jsFit = fitBgNbd(rows);
      inner.push(performance.now() - t0);
    }
    const dt = median(inner);
    if (r >= 2) jsTimes.push(dt);
    if (python) {
      pyOut = JSON.parse(
        execFileSync(python, ["-c", py], {
          encoding: "utf8",
          env: { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" },
        }),
      );
      if (r >= 2) pyTimes.push(pyOut!.ms);
    }
  }
  const names = ["r", "alpha", "a", "b"] as const;
  const relRef = Math.max(...names.map((k) => Math.abs(jsFit.params[k] / ref.params[k] - 1)));
  const jsMed = median(jsTimes);
  const rowsOut: CaseResult["rows"] = [
    { name: "cxmetrics fitBgNbd (BFGS, collapsed triples, + SEs)", medianMs: jsMed, ratio: null, note: "" },
  ];
  if (python && pyOut) {
    const pyMed = median(pyTimes);
    rowsOut[0]!.ratio = jsMed / pyMed;
    rowsOut.push({
      name: "scipy L-BFGS-B, start (1,1,1,1), default options",
      medianMs: pyMed,
      ratio: 1,
      note: "",
    });
    const llRel = Math.abs(jsFit.logLikelihood - pyOut.ll) / Math.abs(pyOut.ll);
    const relPy = Math.max(...names.map((k, i) => Math.abs(jsFit.params[k] / pyOut!.params[i]! - 1)));
    if (llRel > 1e-6)
      throw new Error(`CDNOW: log-likelihoods differ: ${jsFit.logLikelihood} vs scipy ${pyOut.ll}`);
    if (relRef > 1e-6) throw new Error(`CDNOW: parameters differ from the reference optimum by ${relRef}`);
    notes.push(
      `CDNOW: same optimum — LL ${jsFit.logLikelihood.toFixed(6)} vs scipy ${pyOut.ll.toFixed(6)} (relative difference ${llRel.toExponential(1)}); cxmetrics parameters within ${relRef.toExponential(1)} of the reference optimum (clv.json, tight multi-start fit); scipy with default tolerances stops ${relPy.toExponential(1)} away from cxmetrics (its own error; nfev ${pyOut.nfev}).`,
      `CDNOW: cxmetrics time includes validation, collapsing ${jsFit.n} customers into ${jsFit.distinct} distinct triples, ${jsFit.iterations} BFGS iterations, the Newton polish and the numeric Hessian for standard errors; scipy time is the minimize call only, measured inside Python (process start and imports excluded). Both are timed the same way: per round, two warm-up fits then the median of five timed fits in the same process, rounds interleaved (python with OPENBLAS_NUM_THREADS=1: vectors of 2357 gain nothing from threads); the very first cxmetrics fit in a fresh process (JIT cold) took ${coldMs.toFixed(1)} ms.`,
    );
  } else {
    rowsOut.push({
      name: "scipy L-BFGS-B",
      medianMs: null,
      ratio: null,
      note: "skipped: python3 with scipy not found",
    });
  }
  const c: CaseResult = {
    case: "BG/NBD fit on CDNOW (2357 customers)",
    baseline: python ? "scipy L-BFGS-B, start (1,1,1,1), default options" : "—",
    rows: rowsOut,
  };
  console.log(`\n${c.case}`);
  for (const r of c.rows)
    console.log(
      `  ${r.name.padEnd(56)} ${r.medianMs?.toFixed(2) ?? "—"} ms ${r.ratio?.toFixed(3) ?? ""}× ${r.note}`,
    );
  cases.push(c);
}

// ---------------------------------------------------------------- 2. rfmSummary, 10M transactions
{
  const nTx = Math.round(10_000_000 * scale);
  const nCust = Math.max(1, Math.round(nTx / 10));
  const rnd = seededRandom(11);
  const customerId = new Int32Array(nTx);
  const at = new Float64Array(nTx);
  const amount = new Float64Array(nTx);
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < nTx; i++) {
    customerId[i] = Math.floor(rnd() * nCust);
    at[i] = t0 + Math.floor(rnd() * 730 * 86_400_000);
    amount[i] = Math.round(rnd() * 10_000) / 100;
  }
  gc();
  const rssBefore = peakRssMiB();
  const times: number[] = [];
  let rows = 0;
  for (let r = 0; r < 4; r++) {
    gc();
    const s = performance.now();
    rows = rfmSummary(
      { customerId, at, amount },
      { calibrationEnd: "2025-06-30", timeUnit: "week", holdoutEnd: "2025-12-31" },
    ).length;
    const dt = performance.now() - s;
    if (r >= 1) times.push(dt);
  }
  const rssAfter = peakRssMiB();
  const med = median(times);
  cases.push({
    case: `rfmSummary, ${nTx.toLocaleString("en")} transactions, ${nCust.toLocaleString("en")} customers (columns, UTC, weeks, holdout)`,
    baseline: "target 3 s",
    rows: [{ name: "cxmetrics rfmSummary", medianMs: med, ratio: med / 3000, note: "" }],
  });
  notes.push(
    `rfmSummary ${nTx.toLocaleString("en")} transactions → ${rows.toLocaleString("en")} rows: median ${med.toFixed(0)} ms (target < 3 s); peak RSS ${rssAfter.toFixed(0)} MiB (${rssBefore.toFixed(0)} MiB before, inputs included: ${((nTx * 16 + nTx * 4) / 2 ** 20).toFixed(0)} MiB of typed arrays).`,
  );
  console.log(`\nrfmSummary ${nTx} tx: ${med.toFixed(0)} ms, peak RSS ${rssAfter.toFixed(0)} MiB`);
}

// ---------------------------------------------------------------- 3. fit on 1M simulated customers
for (const [label, resolution] of [
  ["daily resolution", 1 / 7],
  ["continuous time", undefined],
] as const) {
  const n = Math.round(1_000_000 * scale);
  const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
  const sim = simulateBgNbd(truth, {
    customers: n,
    T: [26, 78],
    seed: 5,
    ...(resolution ? { resolution } : {}),
  });
  gc();
  const times: number[] = [];
  let fit = fitBgNbd(sim);
  for (let r = 0; r < 3; r++) {
    gc();
    const s = performance.now();
    fit = fitBgNbd(sim);
    times.push(performance.now() - s);
  }
  const med = median(times);
  const dev = (["r", "alpha", "a", "b"] as const)
    .map(
      (k) =>
        `${k} ${fit.params[k].toFixed(4)} (truth ${truth[k]}, ${((fit.params[k] - truth[k]) / fit.standardErrors![k]).toFixed(1)} SE)`,
    )
    .join(", ");
  cases.push({
    case: `fitBgNbd, ${n.toLocaleString("en")} simulated customers, ${label} (${fit.distinct.toLocaleString("en")} distinct triples)`,
    baseline: "target 3 s",
    rows: [{ name: "cxmetrics fitBgNbd", medianMs: med, ratio: med / 3000, note: "" }],
  });
  notes.push(
    `fit on ${n.toLocaleString("en")} simulated customers (${label}): median ${med.toFixed(0)} ms (target < 3 s), ${fit.distinct.toLocaleString("en")} distinct triples, ${fit.iterations} iterations; peak RSS so far ${peakRssMiB().toFixed(0)} MiB; recovered ${dev}.`,
  );
  console.log(`\nfit ${n} (${label}): ${med.toFixed(0)} ms, distinct ${fit.distinct}, ${dev}`);
}

notes.push(
  "Daily-resolution data merge purchases on the same day and floor times to days, which the continuous-time BG/NBD does not model: its estimates deviate by more than their standard errors at this size (a property of the data, not of the fit); the continuous-time case recovers the truth.",
);
notes.push(`BENCH_SCALE=${scale}. Peak RSS is the process maximum (monotonic), read after each case.`);
writeResults("clv", cases, notes);
