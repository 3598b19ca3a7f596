/**
 * Survival / acquisition benchmarks (issue 6): Kaplan–Meier on 1M right-censored durations.
 *
 *   node --expose-gc --import tsx bench/acquisition.bench.ts      (BENCH_SCALE=0.1 for 100k)
 *
 * Contenders on the same durations in the same run:
 * - cxmetrics `kaplanMeier` (log CI, median + Brookmeyer–Crowley interval, full curve);
 * - a naive JS implementation: sort {t, d} records with Array.prototype.sort, then one pass
 *   (product limit + Greenwood only, no intervals);
 * - R survival::survfit (conf.type "log", timefix = FALSE so that only exactly equal times tie, as here;
 *   the default merges times within ~1.5e-8 relative): time measured inside R (proc.time around survfit +
 *   quantile, data already in memory), median of the same number of rounds — the peer's compute
 *   only, without process start-up or data transfer.
 * Answers are checked equal (number of event times and S at the last event time within 1e-9).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "../src/core/random.js";
import { kaplanMeier } from "../src/retention/kaplan-meier.js";
import { type CaseResult, compare, hasCommand, peakRssMiB, writeResults } from "./harness.js";

const scale = Number(process.env.BENCH_SCALE ?? "1");
const n = Math.round(1_000_000 * scale);
const rounds = 7;
const rnd = seededRandom(6);
const durations = new Float64Array(n);
const events = new Uint8Array(n);
for (let i = 0; i < n; i++) {
  // Half the lifetimes end on whole billing months (heavy ties), half are continuous; ~45 % censored.
  const t = -Math.log(1 - rnd()) * 400;
  durations[i] = rnd() < 0.5 ? Math.ceil(t / 30) * 30 : t;
  events[i] = rnd() < 0.55 ? 1 : 0;
}

function naive(ts: Float64Array, ds: Uint8Array) {
  const recs = Array.from(ts, (t, i) => ({ t, d: ds[i]! }));
  recs.sort((a, b) => a.t - b.t);
  const time: number[] = [];
  const surv: number[] = [];
  const se: number[] = [];
  let s = 1;
  let g = 0;
  let i = 0;
  const len = recs.length;
  while (i < len) {
    const u = recs[i]!.t;
    const risk = len - i;
    let d = 0;
    while (i < len && recs[i]!.t === u) d += recs[i++]!.d;
    if (d > 0) {
      s *= 1 - d / risk;
      g += risk > d ? d / (risk * (risk - d)) : Number.NaN;
      time.push(u);
      surv.push(s);
      se.push(s * Math.sqrt(g));
    }
  }
  return { time, surv, se };
}

const summary = (x: unknown): [number, number] => {
  const r = x as { curve?: { time: number[]; survival: number[] }; time?: number[]; surv?: number[] };
  const time = r.curve ? r.curve.time : r.time!;
  const surv = r.curve ? r.curve.survival : r.surv!;
  return [time.length, surv[surv.length - 1]!];
};
const check = (a: unknown, b: unknown, name: string) => {
  const [na, sa] = summary(a);
  const [nb, sb] = summary(b);
  if (na !== nb || Math.abs(sa - sb) > 1e-9)
    throw new Error(`${name}: ${nb} event times, S_last ${sb}; expected ${na}, ${sa}`);
};

const cases: CaseResult[] = [];
const km = await compare(
  `Kaplan–Meier, ${n.toLocaleString("en")} durations (${Math.round((1 - events.reduce((a, b) => a + b, 0) / n) * 100)} % censored, heavy ties)`,
  [
    {
      name: "cxmetrics kaplanMeier (curve, log CI, median + CI)",
      run: () => kaplanMeier({ durations, events }),
    },
    { name: "naive JS (object sort + one pass, no CI)", run: () => naive(durations, events) },
  ],
  { rounds, warmup: 2, baseline: "naive JS (object sort + one pass, no CI)", check },
);
cases.push(km);

const notes: string[] = [];
if (hasCommand("Rscript", ["-e", "library(survival)"])) {
  const dir = mkdtempSync(join(tmpdir(), "cx-km-"));
  try {
    writeFileSync(join(dir, "t.bin"), Buffer.from(durations.buffer));
    writeFileSync(join(dir, "d.bin"), Buffer.from(events.buffer));
    const script = `
      suppressMessages(library(survival))
      n <- ${n}
      t <- readBin("${join(dir, "t.bin")}", "double", n); d <- readBin("${join(dir, "d.bin")}", "raw", n); d <- as.integer(d)
      ms <- numeric(0)
      for (r in 1:${rounds + 2}) { t0 <- proc.time()[["elapsed"]]
        f <- survfit(Surv(t, d) ~ 1, conf.type = "log", timefix = FALSE); q <- quantile(f, 0.5)
        if (r > 2) ms <- c(ms, (proc.time()[["elapsed"]] - t0) * 1000) }
      ev <- f$n.event > 0
      cat(median(ms), sum(ev), sprintf("%.17g", tail(f$surv[ev], 1)), "\\n")`;
    writeFileSync(join(dir, "km.R"), script);
    const [msR, nEv, sLast] = execFileSync("Rscript", [join(dir, "km.R")], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
    })
      .trim()
      .split(/\s+/)
      .map(Number);
    check(kaplanMeier({ durations, events }), { time: new Array(nEv), surv: [sLast] }, "R survfit");
    const base = km.rows.find((r) => r.name === km.baseline)!.medianMs!;
    km.rows.push({
      name: "R survival::survfit + quantile (time inside R; log CI, timefix = FALSE)",
      medianMs: msR!,
      ratio: msR! / base,
      note: "",
    });
    console.log(`  R survival::survfit (inside R): ${msR!.toFixed(2)} ms  ${(msR! / base).toFixed(3)}×`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  km.rows.push({
    name: "R survival::survfit",
    medianMs: null,
    ratio: null,
    note: "skipped: Rscript with survival not found",
  });
}

notes.push(
  `Peak RSS ${peakRssMiB().toFixed(0)} MiB (whole process, inputs included).`,
  "cxmetrics sorts a Float64Array copy of the durations and a second one of the event times (native numeric sort), then walks both once; it also computes pointwise intervals, the median and its Brookmeyer–Crowley interval, which the naive contender does not.",
  "R's time is measured inside R around survfit() + quantile() on vectors already in memory (compute only; no start-up or file transfer). Ratios are to the naive JS contender.",
  `${rounds} rounds after 2 warm-up rounds; the JS contenders interleaved.`,
);
writeResults("acquisition", cases, notes);
