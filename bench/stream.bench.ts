/**
 * Streaming a survey CSV in worker threads (issue 10): `cxmetrics survey <file> --stream --by segment
 * --period month --tz Europe/Berlin --json` with `--workers 1` (the single-thread stream) against
 * `--workers 2` on this 2-core machine, one child process per run, interleaved rounds (harness
 * `compare`: median wall time, outputs checked byte-identical), peak RSS of each child
 * (`/usr/bin/time -v`).
 *
 * The CLI is bundled first the way tsup builds dist/ (esbuild, ESM, code splitting, packages
 * external) into bench/.cache/stream-cli/, so workers start from JavaScript as they do for users
 * (from the TypeScript sources each worker would compile them through tsx, ≈ 1 s). The CSVs are
 * shaped like examples/data/responses.csv (65 bytes a row, seeded), generated once into the OS temp
 * dir (never the repo) and shared with bench/scale.bench.ts.
 *
 * 1. Small files, to set the `--workers auto` threshold (STREAM_WORKERS_THRESHOLD_BYTES): 20k–600k rows
 *    (1.2–37 MiB).
 * 2. 1M and 10M rows (× BENCH_SCALE): rows/s and peak RSS.
 *
 * Run: node --expose-gc --import tsx bench/stream.bench.ts   (BENCH_SCALE=0.1 for a quick run;
 *      BENCH_ONLY=threshold | big for one part; BENCH_ROUNDS to change the rounds of part 1)
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type CaseResult, compare, hasCommand, writeResults } from "./harness.js";
import { surveyCsv as generateSurveyCsv } from "./survey-csv.js";

const SCALE = Number(process.env.BENCH_SCALE ?? "1");
const ONLY = process.env.BENCH_ONLY; // "threshold" or "big"
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? "5");
const root = fileURLToPath(new URL("..", import.meta.url));
const timeV = hasCommand("/usr/bin/time", ["-v", "true"]);
const ARGS = ["--stream", "--by", "segment", "--period", "month", "--tz", "Europe/Berlin", "--json"];

// ------------------------------------------------------------------ the CLI, bundled like dist/
const outdir = join(root, "bench", ".cache", "stream-cli");
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { "cli/main": join(root, "src/cli/main.ts") },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  outdir,
  logLevel: "silent",
});
const cli = join(outdir, "cli", "main.js");

interface Run {
  wallMs: number;
  rssMiB: number;
  /** User + system CPU seconds of the child (all its threads). */
  cpuS: number;
  stdout: string;
}
/** Peak RSS (MiB) and CPU seconds of each contender's runs, by case. */
const rss = new Map<string, number>();
const cpu = new Map<string, number[]>();

function runCli(file: string, workers: number): Run {
  const node = [process.execPath, cli, "survey", file, ...ARGS, "--workers", String(workers)];
  const cmd = timeV ? ["/usr/bin/time", "-v", ...node] : node;
  const t0 = performance.now();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { cwd: root, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`--workers ${workers}: exit ${r.status}\n${r.stderr}`);
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  return {
    wallMs,
    rssMiB: m ? Number(m[1]) / 1024 : Number.NaN,
    cpuS: user && sys ? Number(user[1]) + Number(sys[1]) : Number.NaN,
    stdout: r.stdout,
  };
}

const sameOutput = (a: unknown, b: unknown, name: string) => {
  if (a !== b) throw new Error(`${name}: output differs from the single-thread stream's`);
};

const cases: CaseResult[] = [];
const notes: string[] = [];
const summary: string[] = [];

async function sizeCase(rows: number, rounds: number, warmup: number): Promise<CaseResult> {
  const file = surveyCsv(rows);
  const bytes = statSync(file).size;
  const label = `${rows.toLocaleString("en")} rows (${(bytes / 2 ** 20).toFixed(1)} MiB)`;
  const contender = (workers: number) => {
    const name = workers === 1 ? "--workers 1 (one thread)" : `--workers ${workers}`;
    return {
      name,
      run: () => {
        const r = runCli(file, workers);
        const key = `${label} ${name}`;
        rss.set(key, Math.max(rss.get(key) ?? 0, r.rssMiB));
        cpu.set(key, [...(cpu.get(key) ?? []), r.cpuS]);
        return r.stdout;
      },
    };
  };
  const c = await compare(label, [contender(1), contender(2)], {
    rounds,
    warmup,
    baseline: "--workers 1 (one thread)",
    check: sameOutput,
  });
  const load = loadavg()[0]!.toFixed(1);
  for (const row of c.rows) {
    if (row.medianMs === null) continue;
    const peak = rss.get(`${label} ${row.name}`) ?? Number.NaN;
    const cpus = (cpu.get(`${label} ${row.name}`) ?? []).sort((a, b) => a - b);
    const cpuMedian = cpus.length ? cpus[cpus.length >> 1]! : Number.NaN;
    summary.push(
      `| ${label} | ${row.name} | ${(row.medianMs / 1000).toFixed(2)} s | ${Math.round(rows / (row.medianMs / 1000)).toLocaleString("en")} | ${row.ratio?.toFixed(2)}× | ${cpuMedian.toFixed(1)} s | ${peak.toFixed(0)} MiB | ${load} |`,
    );
  }
  cases.push(c);
  return c;
}

if (ONLY === undefined || ONLY === "threshold") {
  console.log("\n1. Small files: where do two workers start to pay?");
  let pays: number | null = null;
  for (const n of [20_000, 60_000, 100_000, 200_000, 600_000]) {
    const rows = Math.max(1000, Math.round(n * Math.min(1, SCALE)));
    const c = await sizeCase(rows, ROUNDS, 1);
    const ratio = c.rows[1]?.ratio ?? Number.POSITIVE_INFINITY;
    if (pays === null && ratio <= 0.9) pays = statSync(surveyCsv(rows)).size;
    if (ratio > 0.9) pays = null; // must keep paying at every larger size
  }
  notes.push(
    pays === null
      ? "Two workers did not pay by 10 % at any of the small sizes in this run."
      : `Two workers were ≥ 10 % faster from ${(pays / 2 ** 20).toFixed(1)} MiB on (and at every larger size measured here).`,
  );
}

if (ONLY === undefined || ONLY === "big") {
  console.log("\n2. 1M and 10M rows");
  await sizeCase(Math.round(1_000_000 * SCALE), 3, 0);
  await sizeCase(Math.round(10_000_000 * SCALE), 2, 0);
}

notes.push(
  "Each run is one child process of the CLI bundled like dist/ (`node bench/.cache/stream-cli/cli/main.js survey <file> " +
    `${ARGS.join(" ")} --workers N\`): wall time includes Node start-up, starting the workers and printing. ` +
    "Outputs of both contenders were checked byte-identical.",
  "CPU is the child's user + system time over all its threads (median of the rounds): it moves much less with the machine's other load than wall time does; on an otherwise idle 2-core machine two workers take about half their CPU in wall time.",
  `Load average at the end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(", ")} (2 cores, shared with other jobs: absolute times move a lot between runs).`,
);
writeResults("stream", cases, notes);
appendFileSync(
  join(root, "bench", "results", "stream.md"),
  [
    "### Summary",
    "",
    "| file | contender | median wall | rows/s | ratio | CPU (user + sys, all threads) | peak RSS | load (1 min) after |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...summary,
    "",
  ].join("\n"),
);

/** A survey CSV of `rows` rows (bench/survey-csv.ts), generated once into the temp dir. */
function surveyCsv(rows: number): string {
  const dir = join(tmpdir(), "cxmetrics-bench");
  mkdirSync(dir, { recursive: true });
  return generateSurveyCsv(dir, rows);
}
