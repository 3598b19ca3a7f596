/**
 * Scale benchmarks (issue 10; targets in ../shared/BENCHMARKS.md):
 * (The parallel part runs first, in a fresh heap: the 10M-row part leaves large arrays that slow
 * worker start-up and the JIT for everything after it.)
 * 1. NPS by segment × month (Europe/Berlin) over a DuckDB table of 10M rows: cxmetrics pushdown
 *    (`runMetric(duckdbEngine(con), npsSql(), …)`, the SQL generated from the accumulator, result
 *    objects with CIs) vs the hand-written SQL (n, promoters, detractors and the score per group,
 *    DuckDB at its best: TINYINT scores, TIMESTAMPTZ instants, count_if) vs the in-memory library
 *    (groupBy × byPeriod over columns already in JS memory: index rows, Float64Array instants,
 *    Uint8Array scores; the transfer out of DuckDB is not timed). Target: pushdown ≤ 1.1× hand-written.
 *    The issue asks for 100M rows in a DuckDB file; the default here is 10M in memory (the 2-core
 *    machine runs it in ≈ 1.5 s per query); set BENCH_SCALE=10 for 100M.
 * 2. parallelFold vs fold: NPS over Uint8Array and Float64Array scores at 10^5 … 10^7 (× BENCH_SCALE),
 *    2 workers on this 2-core machine; worker start-up and module loading are inside the timing.
 *
 * 3. Streaming a 10M-row CSV (× BENCH_SCALE) through the CLI: `cxmetrics survey <file> --stream --by
 *    segment --period month --tz Europe/Berlin --json` in a child process, wall time and the child's
 *    peak RSS (`/usr/bin/time -v`, else the child's own process.resourceUsage) against the file size,
 *    next to the in-memory path at a tenth of the rows and `--engine duckdb` on the same file. The
 *    CSV is generated once into the OS temp dir (not the repo) and reused. This part writes its own
 *    section of bench/results/scale.md and keeps the rest of the file, so `BENCH_ONLY=stream` runs it
 *    alone without re-running parts 1–2.
 *
 * Run: node --expose-gc --import tsx bench/scale.bench.ts   (BENCH_SCALE=0.1 for a quick run;
 *      BENCH_ONLY=parallel | sql | stream for one part)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { build } from "esbuild";
import { fold, groupBy, mapInput } from "../src/core/accumulator.js";
import { byPeriod } from "../src/core/by-period.js";
import { createWorkerPool, parallelFold } from "../src/parallel/index.js";
import { duckdbEngine, npsSql, runMetric } from "../src/sql/index.js";
import { nps, npsAccumulator } from "../src/survey/nps.js";
import { type CaseResult, compare, hasCommand, machineLine, peakRssMiB, writeResults } from "./harness.js";
import { surveyCsv } from "./survey-csv.js";

const SCALE = Number(process.env.BENCH_SCALE ?? "1");
const ROWS = Math.round(10_000_000 * SCALE);
const TZ = "Europe/Berlin";
const notes: string[] = [];
const cases: CaseResult[] = [];

// ------------------------------------------------------------------ 1. parallelFold vs fold
// Workers import plain JavaScript, as with the built package: bundle the survey module once (not timed).
const bundled = join(mkdtempSync(join(tmpdir(), "cxm-bench-")), "survey.mjs");
await build({
  entryPoints: [fileURLToPath(new URL("../src/survey/nps.ts", import.meta.url))],
  bundle: true,
  format: "esm",
  platform: "neutral",
  outfile: bundled,
  logLevel: "silent",
});
const ref = { module: pathToFileURL(bundled).href, accumulator: "npsAccumulator", args: [{ ci: "wald" }] };
const pool = await createWorkerPool({ workers: 2 });
const ONLY = process.env.BENCH_ONLY; // "parallel", "sql" or "stream" to run one part
for (const n of ONLY === "sql" || ONLY === "stream"
  ? []
  : [1e5, 1e6, 1e7].map((x) => Math.round(x * SCALE))) {
  const u8 = Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) % 11);
  const f64 = Float64Array.from(u8);
  for (const [label, values] of [
    ["Uint8Array", u8],
    ["Float64Array", f64],
  ] as const) {
    cases.push(
      await compare(
        `NPS of ${n.toLocaleString("en")} scores (${label}): workers vs one thread`,
        [
          { name: "nps(values) (one thread, typed-array fast path)", run: () => nps(values).score },
          {
            name: "fold(values, npsAccumulator()) (one thread, add per value)",
            run: () => fold(values, npsAccumulator({ ci: "wald" })).score,
          },
          {
            name: "parallelFold, 2 workers (add per value)",
            run: async () =>
              ((await parallelFold(values, ref, { workers: 2, threshold: 0 })) as { score: number | null })
                .score,
          },
          {
            name: "worker pool, 2 workers started once (add per value)",
            run: async () => (await pool.fold<{ score: number | null }>(values, ref, { threshold: 0 })).score,
          },
        ],
        {
          rounds: 5,
          warmup: 1,
          baseline: "fold(values, npsAccumulator()) (one thread, add per value)",
          check: (a, b, name) => {
            if (a !== b) throw new Error(`${name}: ${a} ≠ ${b}`);
          },
        },
      ),
    );
  }
}
await pool.close();
// ------------------------------------------------------------------ 2. pushdown vs hand-written vs in-memory
if (ONLY !== "parallel" && ONLY !== "stream") {
  const instance = await DuckDBInstance.create();
  const con = await instance.connect();
  let t0 = performance.now();
  await con.run(`CREATE TABLE responses AS SELECT
  (['enterprise', 'mid_market', 'smb', '__proto__'])[1 + (hash(i) % 4)::INTEGER] AS segment,
  TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds((hash(i * 3 + 1) % 31536000)::BIGINT) AS submitted_at,
  (hash(i * 7 + 2) % 11)::TINYINT AS nps
  FROM range(${ROWS}) t(i)`);
  notes.push(
    `DuckDB table of ${ROWS.toLocaleString("en")} rows (segment VARCHAR, submitted_at TIMESTAMPTZ, nps TINYINT) built in ${(performance.now() - t0).toFixed(0)} ms (not timed).`,
  );

  const engine = duckdbEngine(con);
  const metric = npsSql({ ci: "wald" });
  const pushdown = async () => {
    const r = await runMetric(engine, metric, {
      table: "responses",
      columns: { value: "nps", at: "submitted_at" },
      by: "segment",
      period: "month",
      timeZone: TZ,
    });
    const out: Record<string, number | null> = {};
    for (const [k, series] of r) for (const p of series) out[`${k}|${p.label}`] = p.result.score;
    return out;
  };
  // Hand-written at its best: group on the truncated timestamp (formatting only the ~50 group rows).
  const handWritten = async () => {
    const reader = await con.runAndReadAll(
      `SELECT segment, strftime(m, '%Y-%m') AS m, n, p, d, 100.0 * (p - d) / n AS score FROM (
       SELECT segment, date_trunc('month', timezone('${TZ}', submitted_at)) AS m,
         count(*) AS n, count_if(nps >= 9) AS p, count_if(nps <= 6) AS d
       FROM responses GROUP BY ALL)`,
    );
    const out: Record<string, number | null> = {};
    for (const row of reader.getRowObjectsJS()) out[`${row.segment}|${row.m}`] = row.score as number;
    return out;
  };

  // In-memory: the columns pulled out of DuckDB once (not timed), folded with groupBy × byPeriod.
  t0 = performance.now();
  const cols = await con.runAndReadAll("SELECT segment, epoch_ms(submitted_at) AS t, nps FROM responses");
  const segCol: string[] = cols.getColumnsJS()[0] as string[];
  const tCol = Float64Array.from(cols.getColumnsJS()[1] as (number | bigint)[], Number);
  const sCol = Uint8Array.from(cols.getColumnsJS()[2] as number[]);
  notes.push(
    `In-memory columns pulled from DuckDB in ${(performance.now() - t0).toFixed(0)} ms (not timed).`,
  );
  const index = Int32Array.from({ length: ROWS }, (_, i) => i);
  const inMemory = () => {
    const acc = mapInput(npsAccumulator({ ci: "wald" }), (i: number) => sCol[i]!);
    const groups = groupBy(index, (i) => segCol[i]!, {
      init: () => [] as number[],
      add: (s, i) => {
        s.push(i);
        return s;
      },
      merge: (a, b) => a.concat(b),
      result: (s) => s,
    });
    const out: Record<string, number | null> = {};
    for (const [k, list] of groups) {
      for (const p of byPeriod(list, { at: (i) => tCol[i]!, period: "month", timeZone: TZ }, acc))
        out[`${k}|${p.label}`] = p.result.score;
    }
    return out;
  };

  const close = (a: unknown, b: unknown, name: string) => {
    const x = a as Record<string, number | null>;
    const y = b as Record<string, number | null>;
    for (const k of Object.keys(x)) {
      if (!(k in y)) continue; // the in-memory and pushdown series fill empty months; the hand-written query does not
      if (Math.abs((x[k] ?? 0) - (y[k] ?? 0)) > 1e-9) throw new Error(`${name}: ${k} ${x[k]} ≠ ${y[k]}`);
    }
  };
  cases.push(
    await compare(
      `NPS by segment × month (${TZ}), ${ROWS.toLocaleString("en")} rows in DuckDB`,
      [
        { name: "cxmetrics pushdown (runMetric, npsSql)", run: pushdown },
        { name: "hand-written SQL (DuckDB best form)", run: handWritten },
        { name: "cxmetrics in memory (groupBy × byPeriod, columns in JS)", run: inMemory },
      ],
      { rounds: 5, warmup: 1, baseline: "hand-written SQL (DuckDB best form)", check: close },
    ),
  );
  const push = cases.at(-1)!.rows[0]!.ratio;
  notes.push(
    `Pushdown / hand-written SQL = ${push?.toFixed(3)}× (target ≤ 1.1×). Most of both queries is the per-row time-zone conversion (ICU).`,
  );
  con.closeSync();
}
(globalThis as { gc?: () => void }).gc?.();

notes.push(
  `Load average at the end of the run: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(", ")} (2 cores; other jobs may share the machine).`,
  "parallelFold timings include starting the workers, loading the accumulator module in each (a JavaScript bundle of src/survey/nps.ts, as a built package would load) and sharing the typed array through a SharedArrayBuffer (one copy of the input).",
  `Peak RSS: ${peakRssMiB().toFixed(0)} MiB.`,
);
if (ONLY !== "stream") writeResults("scale", cases, notes);
if (ONLY === undefined || ONLY === "stream") await streamingPart();

// ------------------------------------------------------------------ 3. streaming a big CSV through the CLI
async function streamingPart(): Promise<void> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const dir = join(tmpdir(), "cxmetrics-bench");
  mkdirSync(dir, { recursive: true });
  const big = Math.round(10_000_000 * SCALE);
  const small = Math.round(big / 10);
  const bigFile = surveyCsv(dir, big);
  const smallFile = surveyCsv(dir, small);
  const timeV = hasCommand("/usr/bin/time", ["-v", "true"]);
  const args = ["--by", "segment", "--period", "month", "--tz", TZ, "--json"];

  interface Run {
    label: string;
    rows: number;
    bytes: number;
    wallMs: number;
    rssMiB: number;
    stdout: string;
  }
  const run = (label: string, file: string, rows: number, extra: string[]): Run => {
    const node = [process.execPath, "--import", "tsx", "src/cli/main.ts", "survey", file, ...args, ...extra];
    const cmd = timeV ? ["/usr/bin/time", "-v", ...node] : node;
    const t0 = performance.now();
    const r = spawnSync(cmd[0]!, cmd.slice(1), {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 256 * 2 ** 20,
    });
    const wallMs = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${r.stderr}`);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    const rssMiB = m ? Number(m[1]) / 1024 : Number.NaN;
    console.log(
      `  ${label.padEnd(56)} ${(wallMs / 1000).toFixed(1).padStart(7)} s  ${rssMiB.toFixed(0).padStart(6)} MiB`,
    );
    return { label, rows, bytes: statSync(file).size, wallMs, rssMiB, stdout: r.stdout };
  };

  console.log(`\nStreaming ${big.toLocaleString("en")} rows through the CLI`);
  const runs: Run[] = [];
  runs.push(run("in memory (default path)", smallFile, small, []));
  runs.push(run("--stream", smallFile, small, ["--stream"]));
  if (runs[0]!.stdout !== runs[1]!.stdout)
    throw new Error("--stream output differs from the in-memory output");
  runs.push(run("--stream", bigFile, big, ["--stream"]));
  runs.push(run("--engine duckdb (DuckDB reads the CSV)", bigFile, big, ["--engine", "duckdb"]));
  const a = JSON.parse(runs[2]!.stdout);
  const b = JSON.parse(runs[3]!.stdout);
  if (JSON.stringify(a.overall) !== JSON.stringify(b.overall) || a.n !== b.n)
    throw new Error("--engine duckdb result differs from the streamed one");

  const mib = (n: number) => n / 2 ** 20;
  const lines = [
    "<!-- stream:start -->",
    `### Streaming a ${big.toLocaleString("en")}-row CSV through \`cxmetrics survey\` (by segment × month, ${TZ}, --json)`,
    "",
    `Machine: ${machineLine()}`,
    "",
    "| path | rows | file | wall time | rows/s | MiB/s | peak RSS |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...runs.map(
      (r) =>
        `| ${r.label} | ${r.rows.toLocaleString("en")} | ${mib(r.bytes).toFixed(0)} MiB | ${(r.wallMs / 1000).toFixed(1)} s | ${Math.round(
          r.rows / (r.wallMs / 1000),
        ).toLocaleString(
          "en",
        )} | ${(mib(r.bytes) / (r.wallMs / 1000)).toFixed(1)} | ${r.rssMiB.toFixed(0)} MiB |`,
    ),
    "",
    `- Each row is one child process \`node --import tsx src/cli/main.ts survey <file> ${args.join(" ")}\`: wall time includes start-up (≈ 1 s through tsx) and printing; peak RSS is the child's maximum resident set (${timeV ? "`/usr/bin/time -v`" : "not measured: /usr/bin/time missing"}).`,
    `- Streaming memory is bounded: ${runs[1]!.rssMiB.toFixed(0)} MiB at ${small.toLocaleString("en")} rows and ${runs[2]!.rssMiB.toFixed(0)} MiB at ${big.toLocaleString("en")} rows (the in-memory path holds every record: ${runs[0]!.rssMiB.toFixed(0)} MiB at ${small.toLocaleString("en")} rows). Its JSON output is byte-identical to the in-memory path's (checked here and in test/cli/survey-stream.test.ts).`,
    "- Where the streamed time goes (1M rows of the same CSV, measured once in-process on 2026-11-25, not by this script): csv-parse alone 3.2 s; plus building the record objects 3.8 s; plus per-record validation (`fastParseSurveyResponse`: instants, scores, drivers) 6.0 s; the whole command 7.3 s wall with start-up and the folds. The CSV parser is the floor of this path; DuckDB's parallel C++ reader is the fast way for files this size (same result objects, but no per-record validation of ids and channels).",
    `- Load average at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(", ")} (2 cores, shared with other jobs).`,
    "<!-- stream:end -->",
    "",
  ];
  const out = join(root, "bench", "results", "scale.md");
  const previous = existsSync(out) ? readFileSync(out, "utf8") : "## scale\n\n";
  const kept = previous.replace(/<!-- stream:start -->[\s\S]*?<!-- stream:end -->\n*/, "").trimEnd();
  writeFileSync(out, `${kept}\n\n${lines.join("\n")}`);
}
