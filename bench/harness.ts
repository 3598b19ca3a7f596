/**
 * Benchmark harness: the library and its peers on the same input in the same run, interleaved
 * (one call of each per round), median of the rounds after a warm-up, answers checked equal,
 * and times reported as ratios to a baseline. Results go to bench/results/<suite>.md.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** One contender: a name and an (optionally async) function returning a comparable answer. */
export interface Contender {
  name: string;
  run: () => unknown | Promise<unknown>;
  /** Skip reason when the peer is unavailable (shown in the table). */
  skip?: string;
}

export interface CaseResult {
  case: string;
  baseline: string;
  rows: { name: string; medianMs: number | null; ratio: number | null; note: string }[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Run contenders interleaved for `rounds` rounds after `warmup` rounds. `check(a, b)` compares
 * each contender's answer with the first one's and throws when they differ.
 */
export async function compare(
  caseName: string,
  contenders: Contender[],
  options: {
    rounds?: number;
    warmup?: number;
    baseline?: string;
    check?: (first: unknown, other: unknown, name: string) => void;
  } = {},
): Promise<CaseResult> {
  const rounds = options.rounds ?? 7;
  const warmup = options.warmup ?? 2;
  const active = contenders.filter((c) => !c.skip);
  const times = new Map<string, number[]>(active.map((c) => [c.name, []]));
  const answers = new Map<string, unknown>();
  for (let r = 0; r < warmup + rounds; r++) {
    for (const c of active) {
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      const out = await c.run();
      const dt = performance.now() - t0;
      if (r === 0) answers.set(c.name, out);
      if (r >= warmup) times.get(c.name)!.push(dt);
    }
  }
  const first = active[0];
  if (first && options.check)
    for (const c of active.slice(1)) options.check(answers.get(first.name), answers.get(c.name), c.name);
  const baseName = options.baseline ?? active[active.length - 1]?.name ?? "";
  const base = times.get(baseName);
  const baseMed = base ? median(base) : null;
  const rows = contenders.map((c) => {
    if (c.skip) return { name: c.name, medianMs: null, ratio: null, note: `skipped: ${c.skip}` };
    const m = median(times.get(c.name)!);
    return { name: c.name, medianMs: m, ratio: baseMed ? m / baseMed : null, note: "" };
  });
  const result = { case: caseName, baseline: baseName, rows };
  printCase(result);
  return result;
}

function printCase(r: CaseResult): void {
  console.log(`\n${r.case}  (ratio to ${r.baseline})`);
  for (const row of r.rows) {
    const t = row.medianMs === null ? "—" : `${row.medianMs.toFixed(2)} ms`;
    const q = row.ratio === null ? "" : `${row.ratio.toFixed(3)}×`;
    console.log(`  ${row.name.padEnd(48)} ${t.padStart(12)} ${q.padStart(9)} ${row.note}`);
  }
}

/** Machine line for result files. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpu} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version}`;
}

/** Write bench/results/<suite>.md with every case as a table, plus free-form notes. */
export function writeResults(suite: string, cases: CaseResult[], notes: string[] = []): void {
  const lines = [`## ${suite}`, "", `Machine: ${machineLine()}`, ""];
  for (const c of cases) {
    lines.push(`### ${c.case}`, "", `| contender | median | ratio to ${c.baseline} |`, "|---|---:|---:|");
    for (const r of c.rows) {
      lines.push(
        `| ${r.name} | ${r.medianMs === null ? r.note : `${r.medianMs.toFixed(2)} ms`} | ${r.ratio === null ? "—" : `${r.ratio.toFixed(3)}×`} |`,
      );
    }
    lines.push("");
  }
  if (notes.length) lines.push(...notes.map((n) => `- ${n}`), "");
  mkdirSync(join(here, "results"), { recursive: true });
  writeFileSync(join(here, "results", `${suite}.md`), lines.join("\n"));
}

/** Peak resident set size so far (MiB), from process.resourceUsage (maxRSS is in KiB). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** True when a command runs (`python3 -c "import scipy"`), for skipping missing peers. */
export function hasCommand(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
