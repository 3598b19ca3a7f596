/**
 * Service benchmarks (issue 7): quantiles of 5M ticket response times, exact and approximate.
 *
 *   node --expose-gc --import tsx bench/service.bench.ts        (BENCH_SCALE=0.1 for 500k)
 *
 * Cases, each on the same values in the same run, answers checked equal:
 * 1. Exact type-7 quantiles (p = 0.5, 0.9, 0.99) of 5M response times (integer milliseconds,
 *    log-normal mixture like tickets.csv):
 *    - cxmetrics `quantiles` (Floyd–Rivest selection of the needed order statistics on a Float64Array copy);
 *    - cxmetrics `quantiles` with `algorithm: "sort"` (Float64Array copy, native sort);
 *    - baseline: `Array.prototype.sort` with a comparator on a plain-array copy, then type 7;
 *    - `Float64Array.prototype.sort` on a copy, then type 7;
 *    - numpy `np.quantile` (introselect partition; time measured inside Python around the call on an
 *      array already in memory — the peer's compute only).
 * 2. Approximate mode: building a t-digest (δ = 100) of the same values vs the exact selection, and the
 *    t-digest's max rank error and max relative value error over p = 0.001 … 0.999 against the exact
 *    quantiles (reported in the notes).
 * 3. End to end: `responseTimes` over 1M parsed tickets (exact vs `quantileMethod: "tdigest"`).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "../src/core/random.js";
import type { Ticket } from "../src/schemas/ticket.js";
import { quantileSorted, quantiles } from "../src/service/quantile.js";
import { responseTimes } from "../src/service/response-times.js";
import { tdigest, tdigestQuantile } from "../src/service/tdigest.js";
import { type CaseResult, compare, hasCommand, peakRssMiB, writeResults } from "./harness.js";

const scale = Number(process.env.BENCH_SCALE ?? "1");
const n = Math.round(5_000_000 * scale);
const rounds = 5;
const PS = [0.5, 0.9, 0.99];
const rnd = seededRandom(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
// Channel mixture of log-normal first-response times (medians 3 min … 2.8 h), whole milliseconds.
const MEDIANS_MS = [3 * 60_000, 9 * 60_000, 2.2 * 3_600_000, 2.8 * 3_600_000];
const values = new Float64Array(n);
for (let i = 0; i < n; i++) values[i] = Math.round(MEDIANS_MS[i & 3]! * Math.exp(1.1 * normal()));
const plain = Array.from(values);

const type7 = (sorted: ArrayLike<number>) => PS.map((p) => quantileSorted(sorted, p, 7));
const check = (a: unknown, b: unknown, name: string) => {
  const x = a as number[];
  const y = b as number[];
  x.forEach((v, k) => {
    if (Math.abs(v - y[k]!) > 1e-9 * Math.max(1, Math.abs(v))) throw new Error(`${name}: ${y} vs ${x}`);
  });
};

const cases: CaseResult[] = [];
const baselineName = "Array.prototype.sort (comparator) on a plain-array copy";
const exact = await compare(
  `Exact type-7 quantiles (p = ${PS.join(", ")}) of ${n.toLocaleString("en")} response times`,
  [
    { name: "cxmetrics quantiles (Floyd–Rivest selection)", run: () => quantiles(values, PS) },
    { name: "cxmetrics quantiles, algorithm: sort", run: () => quantiles(values, PS, { algorithm: "sort" }) },
    { name: "Float64Array.prototype.sort on a copy", run: () => type7(values.slice().sort()) },
    { name: baselineName, run: () => type7(plain.slice().sort((a, b) => a - b)) },
  ],
  { rounds, warmup: 1, baseline: baselineName, check },
);
cases.push(exact);

const notes: string[] = [];
const exactAnswer = quantiles(values, PS) as number[];
if (hasCommand("python3", ["-c", "import numpy"])) {
  const dir = mkdtempSync(join(tmpdir(), "cx-q-"));
  try {
    writeFileSync(join(dir, "x.bin"), Buffer.from(values.buffer));
    const script = `
import time, numpy as np
x = np.fromfile(${JSON.stringify(join(dir, "x.bin"))}, dtype=np.float64)
ts = []
for r in range(${rounds + 1}):
    t0 = time.perf_counter(); q = np.quantile(x, ${JSON.stringify(PS)}); dt = (time.perf_counter() - t0) * 1000
    if r >= 1: ts.append(dt)
print(float(np.median(ts)), *[repr(float(v)) for v in q])`;
    const out = execFileSync("python3", ["-c", script], { encoding: "utf8", maxBuffer: 1 << 24 })
      .trim()
      .split(/\s+/)
      .map(Number);
    const ms = out[0]!;
    check(exactAnswer, out.slice(1), "numpy");
    const base = exact.rows.find((r) => r.name === exact.baseline)!.medianMs!;
    exact.rows.push({
      name: "numpy np.quantile (introselect; time inside Python)",
      medianMs: ms,
      ratio: ms / base,
      note: "",
    });
    console.log(`  numpy np.quantile (inside Python): ${ms.toFixed(2)} ms  ${(ms / base).toFixed(3)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  exact.rows.push({
    name: "numpy np.quantile",
    medianMs: null,
    ratio: null,
    note: "skipped: python3 with numpy not found",
  });
}

// 2. Approximate mode.
const approx = await compare(
  `t-digest (δ = 100) vs exact selection, ${n.toLocaleString("en")} values`,
  [
    {
      name: "cxmetrics tdigest (build) + 3 quantiles",
      run: () => {
        const d = tdigest(values);
        return PS.map((p) => tdigestQuantile(d, p));
      },
    },
    { name: "cxmetrics quantiles (exact selection)", run: () => quantiles(values, PS) },
  ],
  { rounds, warmup: 1, baseline: "cxmetrics quantiles (exact selection)" },
);
cases.push(approx);

const sorted = values.slice().sort();
const digest = tdigest(values);
let maxRank = 0;
let maxRel = 0;
let maxRankP = 0;
let maxRelP = 0;
const lowerBound = (x: number, strict: boolean) => {
  let a = 0;
  let b = n;
  while (a < b) {
    const m = (a + b) >> 1;
    if (strict ? sorted[m]! < x : sorted[m]! <= x) a = m + 1;
    else b = m;
  }
  return a / n;
};
const grid = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];
for (const p of grid) {
  const est = tdigestQuantile(digest, p)!;
  const lo = lowerBound(est, true);
  const hi = lowerBound(est, false);
  const rank = p < lo ? lo - p : p > hi ? p - hi : 0;
  const ex = quantileSorted(sorted, p, 7)!;
  const rel = Math.abs(est - ex) / Math.abs(ex);
  if (rank > maxRank) [maxRank, maxRankP] = [rank, p];
  if (rel > maxRel) [maxRel, maxRelP] = [rel, p];
}

// 3. End to end over parsed tickets.
const nt = Math.round(1_000_000 * scale);
const T0 = Date.UTC(2025, 0, 1);
const tickets: Ticket[] = new Array(nt);
for (let i = 0; i < nt; i++) {
  const c = T0 + Math.floor(rnd() * 365 * 86_400) * 1000;
  tickets[i] = {
    ticketId: `T${i}`,
    issueId: null,
    customerId: null,
    channel: "chat",
    priority: null,
    createdAt: new Date(c),
    firstResponseAt: new Date(c + values[i]!),
    resolvedAt: null,
    reopenedAt: null,
  };
}
const e2e = await compare(
  `responseTimes over ${nt.toLocaleString("en")} parsed tickets (n, mean, median, p90, p99)`,
  [
    { name: "responseTimes exact (type 7)", run: () => responseTimes(tickets, { quantiles: [0.9, 0.99] }).n },
    {
      name: "responseTimes quantileMethod: tdigest",
      run: () => responseTimes(tickets, { quantiles: [0.9, 0.99], quantileMethod: "tdigest" }).n,
    },
  ],
  {
    rounds: 3,
    warmup: 1,
    baseline: "responseTimes exact (type 7)",
    check: (a, b) => {
      if (a !== b) throw new Error("n differs");
    },
  },
);
cases.push(e2e);

notes.push(
  `t-digest δ = 100 (${digest.means.length} centroids) on the ${n.toLocaleString("en")} values: max rank error ${maxRank.toExponential(2)} (at p = ${maxRankP}; documented bound 2π√(p(1−p))/δ = ${((2 * Math.PI * Math.sqrt(maxRankP * (1 - maxRankP))) / 100).toExponential(2)} there), max relative value error ${maxRel.toExponential(2)} (at p = ${maxRelP}) over p ∈ {${grid.join(", ")}}.`,
  `Peak RSS ${peakRssMiB().toFixed(0)} MiB (whole process: the Float64Array, its plain-array copy, ${nt.toLocaleString("en")} ticket objects).`,
  "Exact quantiles need all values in memory; cxmetrics copies the input into a Float64Array (never reorders the caller's array) and selects only the order statistics needed; the copy is included in its time. The sort contenders include their copy too.",
  "numpy's time is measured inside Python around np.quantile on an array already in memory (compute only; its own copy + partition). Ratios are to the Array.prototype.sort baseline.",
  `${rounds} rounds after 1 warm-up round (3 for the end-to-end case); JS contenders interleaved.`,
);
writeResults("service", cases, notes);
